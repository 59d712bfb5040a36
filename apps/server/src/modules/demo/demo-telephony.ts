/**
 * Demo telephony: in demo mode the server runs the Zadarma simulator itself, connects to it with generated
 * credentials, maps the demo accounts to extensions and switches on the call-steering features so the demo
 * shows them (issue 5, "Demo mode").
 */
import { randomBytes } from 'node:crypto';
import { createSimulator, type Simulator } from '@switchboard/zadarma-sim';
import type { Kysely } from 'kysely';
import type { Config } from '../../platform/config/config.js';
import type { Database } from '../../platform/db/schema.js';
import { createTelephonySeeding, type TelephonyRuntimeControl } from '../telephony/telephony-seeding.js';

/** Demo accounts → extensions (the simulator's default account has 100–105; 442037691999 rings 100–102). */
export const DEMO_EXTENSIONS: readonly { readonly email: string; readonly extension: string }[] =
  Object.freeze([
    { email: 'admin@example.com', extension: '100' },
    { email: 'agent1@example.com', extension: '101' },
    { email: 'agent2@example.com', extension: '102' },
    { email: 'agent3@example.com', extension: '103' },
  ]);

const DEMO_DEFAULT_RESPONSIBLE_EMAIL = 'agent1@example.com';

export interface DemoTelephony {
  readonly simulator: Simulator;
  /** The start-up log lines: where the simulator is and how to ring a call. */
  readonly message: string;
  close(): Promise<void>;
}

/** The demo number a simulated inbound call dials (the simulator's first number). */
export function demoInboundNumber(simulator: Simulator): string {
  const first = simulator.state.numbers[0];
  if (!first) {
    throw new Error('the demo simulator has no phone number to ring');
  }
  return first.number;
}

/** The start-up message: the simulator's URL and a curl that rings the CRM. */
function demoTelephonyMessage(simulatorUrl: string, number: string): string {
  return [
    `Demo telephony: the built-in Zadarma simulator runs on ${simulatorUrl} (REST ${simulatorUrl}/v1/…, control ${simulatorUrl}/_sim/…).`,
    `  Ring an inbound call (answered by agent1 on extension 101) with:`,
    `  curl -s -X POST ${simulatorUrl}/_sim/calls/inbound -H 'content-type: application/json' \\`,
    `    -d '{"from":"+33612345678","to":"${number}","answer":"101","outcome":"answered","talkSeconds":30}'`,
    '  or use "Simulate an incoming call" in the app.',
  ].join('\n');
}

/**
 * Starts the simulator, points it at this server's `/zadarma`, and stores credentials, mappings, the default
 * responsible user and the demo features (the latter three only the first time, so an admin's changes stay).
 * Why: demo mode must show live telephony with no Zadarma account.
 */
export async function startDemoTelephony(options: {
  readonly db: Kysely<Database>;
  readonly runtime: TelephonyRuntimeControl;
  readonly config: Config;
  /** This server's own URL (the simulator posts webhooks to `<serverUrl>/zadarma`). */
  readonly serverUrl: string;
}): Promise<DemoTelephony> {
  const { db, runtime, config } = options;
  const stored = await runtime.stored();
  const firstStart = !(stored.apiKey && stored.apiSecret);
  const key = stored.apiKey && stored.apiSecret ? stored.apiKey : `demo-${randomBytes(10).toString('hex')}`;
  const secret = stored.apiKey && stored.apiSecret ? stored.apiSecret : randomBytes(20).toString('hex');
  let simulator: Simulator;
  try {
    simulator = await createSimulator({
      key,
      secret,
      port: config.simulator.port,
      host: config.simulator.host,
      webhookUrl: `${options.serverUrl.replace(/\/+$/, '')}/zadarma`,
      // The "other events" channel (SMS, SPEECH_RECOGNITION) comes to the same receiver.
      eventsUrl: `${options.serverUrl.replace(/\/+$/, '')}/zadarma`,
      speed: 1,
      // A demo's transcript should not keep a visitor waiting as long as Zadarma's recognition can.
      timings: { recognitionDelaySeconds: 5 },
    });
    // Every demo extension has automatic speech recognition: recorded calls show their transcript (§5.6.12).
    for (const extension of simulator.state.extensions) {
      extension.speechRecognition = 'all';
    }
  } catch (error) {
    throw new Error(
      `demo mode could not start the Zadarma simulator on ${config.simulator.host}:${config.simulator.port} ` +
        `(${(error as Error).message}); set SIMULATOR_PORT to a free port (0 = any)`,
      { cause: error },
    );
  }
  try {
    if (firstStart) {
      const users = await db
        .selectFrom('users')
        .select(['id', 'email'])
        .where(
          'email',
          'in',
          DEMO_EXTENSIONS.map((d) => d.email),
        )
        .execute();
      const idByEmail = new Map(users.map((u) => [u.email, u.id]));
      await createTelephonySeeding(db).assignExtensions(
        DEMO_EXTENSIONS.flatMap(({ email, extension }) => {
          const userId = idByEmail.get(email);
          return userId ? [{ extension, userId }] : [];
        }),
      );
      await runtime.update({
        apiKey: key,
        apiSecret: secret,
        apiBaseUrl: simulator.url,
        timezone: simulator.state.account.timezone,
        defaultResponsibleUserId: idByEmail.get(DEMO_DEFAULT_RESPONSIBLE_EMAIL) ?? null,
        features: {
          routeToResponsible: true,
          callerName: true,
          blacklist: true,
          autoCreate: true,
          missedCallTasks: true,
        },
        // What the phones show for strangers, so the demo's first call from an unknown number shows it too.
        callerNameFormat: {
          unknownLabel: 'New client',
          missedLabel: 'Missed you {missed}x today',
          vipAmount: 10_000,
        },
      });
    } else {
      // The port may differ from the last start (SIMULATOR_PORT=0).
      await runtime.update({ apiBaseUrl: simulator.url, timezone: simulator.state.account.timezone });
    }
    runtime.attach({ simulator });
  } catch (error) {
    await simulator.close();
    throw error;
  }
  return {
    simulator,
    message: demoTelephonyMessage(simulator.url, demoInboundNumber(simulator)),
    async close() {
      runtime.attach({ simulator: null });
      await simulator.close();
    },
  };
}
