/**
 * `createSimulator()` — one HTTP server on 127.0.0.1 that is Zadarma for tests and demos: the REST API
 * under `/v1/`, recording downloads, and the control API under `/_sim/`, plus a programmatic API.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createWav } from './audio/wav.js';
import { createClock } from './clock.js';
import type { CallbackPlan, SimContext } from './context.js';
import { handleControl } from './control/routes.js';
import { createFaults, type FaultPlan, planFaults, takeDownloadCut, takeExpiredLink } from './faults.js';
import { type CallEngine, type CallTrace, createCallEngine } from './pbx/call-engine.js';
import {
  type CallbackInput,
  DEFAULT_TIMINGS,
  type InboundInput,
  type OutboundInput,
  type Timings,
} from './pbx/scenarios.js';
import { checkDownload } from './rest/methods/records.js';
import { speechRecognitionFields } from './rest/methods/speech.js';
import { createRateLimiter, DEFAULT_RATE_LIMITS, type RateLimits } from './rest/rate-limit.js';
import { handleRest, type RestLogEntry, sendJson } from './rest/router.js';
import { buildState, findExtension, type SimState, type SimStateInput, timezoneOffset } from './state.js';
import { createData, type SimData } from './store.js';
import { formatZadarmaDate } from './time-format.js';
import { createDeliveryQueue, type DeliveryRecord } from './webhooks/deliver.js';
import type { WebhookFormat } from './webhooks/encode.js';

export interface SimulatorOptions {
  /** API key and secret the REST API accepts; the secret also signs webhooks (docs/zadarma-protocol.md §5.4). */
  readonly key: string;
  readonly secret: string;
  /** PBX call notifications URL (as if set in the cabinet; no `zd_echo` check). */
  readonly webhookUrl?: string;
  /** Other-events URL (SMS, SPEECH_RECOGNITION). */
  readonly eventsUrl?: string;
  /** Port to listen on; 0 (default) picks a free one. */
  readonly port?: number;
  readonly host?: string;
  /** Base URL used in recording links when the simulator sits behind another address. */
  readonly publicUrl?: string;
  /** Virtual time speed: 1 = real time (default), 1000 = a 30 s call plays in 30 ms. */
  readonly speed?: number;
  /** Virtual time at start (epoch ms or Date); defaults to now. */
  readonly startTime?: number | Date;
  readonly state?: SimStateInput;
  /** Webhook body encoding (default `urlencoded`). */
  readonly format?: WebhookFormat;
  /**
   * Multipart bodies with the boundary quirk: delimiter `----boundary` instead of the standard `--boundary`
   * (default false). PHP's `$_POST` reads none of them (docs/zadarma-protocol.md §5.3): use it to test a receiver's
   * tolerance, not as what Zadarma sends.
   */
  readonly multipartQuirk?: boolean;
  /** Send every notification twice. */
  readonly duplicateEvents?: boolean;
  /** Deliver each call's notifications (after NOTIFY_START) in a shuffled order once the call ends. */
  readonly shuffleEvents?: boolean;
  /** Seed of the shuffle. */
  readonly seed?: number;
  /** Real ms to wait for the reply to NOTIFY_START / NOTIFY_IVR (default 3000). */
  readonly replyDeadlineMs?: number;
  /** Real ms before any other webhook delivery is abandoned (default 10000). */
  readonly deliveryTimeoutMs?: number;
  /** Limits per key per real minute; `false` switches them off. */
  readonly rateLimits?: Partial<RateLimits> | false;
  readonly authErrorMessage?: string;
  /** `caller_id` for hidden callers: `'0'` (default) or `''`. */
  readonly hiddenCallerId?: '0' | '';
  /** Whether the extension leg of a callback emits NOTIFY_OUT_* with calltype callback_leg1 (default true). */
  readonly callbackLeg1Events?: boolean;
  /** Virtual durations of ringing, menus, recording delay… */
  readonly timings?: Partial<Timings>;
  /** How API callbacks (`/v1/request/callback/`) play (default: both legs answer, 30 s talk). */
  readonly callbackPlan?: CallbackPlan;
  /** Real ms the `zd_echo` check waits (default 5000). */
  readonly echoTimeoutMs?: number;
}

export interface Simulator {
  /** `http://127.0.0.1:<port>` — REST base (`<url>/v1/...`) and control API (`<url>/_sim/...`). */
  readonly url: string;
  /** The live account state (mutable: tests may change it directly). */
  readonly state: SimState;
  /** Statistics rows, recordings and SMS produced so far. */
  readonly data: SimData;
  setWebhookUrl(url: string | null): void;
  setEventsUrl(url: string | null): void;
  setExtensionOnline(extension: string, online: boolean): void;
  setCallbackPlan(plan: CallbackPlan): void;
  placeInbound(input: InboundInput): { pbxCallId: string };
  placeOutbound(input: OutboundInput): { pbxCallId: string };
  placeCallback(input: CallbackInput): { pbxCallId: string };
  /** Resolves with the full trace when the call (and its NOTIFY_RECORD and deliveries) is finished. */
  waitForCall(pbxCallId: string, options?: { timeoutMs?: number }): Promise<CallTrace>;
  getCall(pbxCallId: string): CallTrace | undefined;
  listCalls(): CallTrace[];
  /** Every "other events" webhook sent so far (SMS, SPEECH_RECOGNITION…), oldest first. */
  listEventWebhooks(): readonly DeliveryRecord[];
  /** Emits an inbound `SMS` event (§5.6.9) to the events URL. */
  sendInboundSms(input: { from: string; to: string; text: string }): Promise<DeliveryRecord | null>;
  /** Plans failures: the next REST calls to a method answer 429/5xx, the next downloads are cut halfway. */
  setFaults(plan: FaultPlan): void;
  /** Virtual time now (epoch ms). */
  now(): number;
  close(): Promise<void>;
}

function optionProblems(options: SimulatorOptions): string[] {
  const problems: string[] = [];
  if (!options.key || !options.secret) {
    problems.push('key and secret are required');
  }
  if (options.format !== undefined && options.format !== 'urlencoded' && options.format !== 'multipart') {
    problems.push(`format must be urlencoded or multipart, got "${String(options.format)}"`);
  }
  if (options.speed !== undefined && !(options.speed > 0 && Number.isFinite(options.speed))) {
    problems.push(`speed must be a positive number, got ${String(options.speed)}`);
  }
  for (const name of ['replyDeadlineMs', 'deliveryTimeoutMs', 'echoTimeoutMs'] as const) {
    const value = options[name];
    if (value !== undefined && !(value >= 0 && Number.isFinite(value))) {
      problems.push(`${name} must be a non-negative number of milliseconds, got ${String(value)}`);
    }
  }
  if (
    options.hiddenCallerId !== undefined &&
    options.hiddenCallerId !== '0' &&
    options.hiddenCallerId !== ''
  ) {
    problems.push('hiddenCallerId must be "0" or ""');
  }
  return problems;
}

/**
 * Starts a simulator. Why: every integration test, the demo mode and the browser tests need a Zadarma
 * that behaves like the real one, signs like it, and can be driven and inspected.
 */
export async function createSimulator(options: SimulatorOptions): Promise<Simulator> {
  const problems = optionProblems(options);
  if (problems.length > 0) {
    throw new Error(`invalid simulator options: ${problems.join('; ')}`);
  }
  const state = buildState(options.state);
  if (options.webhookUrl !== undefined) {
    state.webhooks.callinfoUrl = options.webhookUrl;
  }
  if (options.eventsUrl !== undefined) {
    state.webhooks.eventsUrl = options.eventsUrl;
  }
  const data = createData();
  const start = options.startTime instanceof Date ? options.startTime.getTime() : options.startTime;
  const clock = createClock({ speed: options.speed ?? 1, ...(start !== undefined ? { start } : {}) });
  const format = options.format ?? 'urlencoded';
  const deliveryTimeoutMs = options.deliveryTimeoutMs ?? 10_000;
  const multipartQuirk = options.multipartQuirk ?? false;
  const engine: CallEngine = createCallEngine({
    state,
    data,
    clock,
    config: {
      secret: options.secret,
      format,
      multipartQuirk,
      duplicateEvents: options.duplicateEvents ?? false,
      shuffleEvents: options.shuffleEvents ?? false,
      seed: options.seed ?? 1,
      replyDeadlineMs: options.replyDeadlineMs ?? 3000,
      deliveryTimeoutMs,
      hiddenCallerId: options.hiddenCallerId ?? '0',
      callbackLeg1Events: options.callbackLeg1Events ?? true,
      timings: { ...DEFAULT_TIMINGS, ...options.timings },
    },
    async recognized(recording) {
      const sent = await sim.sendEventWebhook(speechRecognitionFields(recording), 'speech_recognition');
      if (!sent || sent.url === null) {
        return sent?.note ?? 'not sent';
      }
      return sent.error
        ? `sent to ${sent.url}: ${sent.error}`
        : `sent to ${sent.url}: HTTP ${sent.httpStatus ?? '?'}`;
    },
  });
  const eventQueue = createDeliveryQueue(
    { secret: options.secret, format, multipartQuirk, duplicateEvents: false, deliveryTimeoutMs },
    (record) => sim.eventWebhooks.push(record),
  );
  let baseUrl = '';
  const sim: SimContext = {
    state,
    data,
    clock,
    engine,
    credentials: [{ key: options.key, secret: options.secret }],
    baseUrl: () => options.publicUrl ?? baseUrl,
    linkSecret: randomBytes(16).toString('hex'),
    echoTimeoutMs: options.echoTimeoutMs ?? 5000,
    callbackPlan: options.callbackPlan ?? { outcome: 'answered' },
    eventWebhooks: [],
    faults: createFaults(),
    async sendEventWebhook(fields, hook) {
      const sentAt = formatZadarmaDate(clock.now(), timezoneOffset(state));
      if (!state.webhooks.eventsUrl) {
        return eventQueue.send({
          fields,
          url: null,
          skipReason: 'not sent: no events URL is configured',
          sentAt,
        });
      }
      if (!state.webhooks.hooks[hook]) {
        return eventQueue.send({ fields, url: null, skipReason: `not sent: hook ${hook} is off`, sentAt });
      }
      return eventQueue.send({ fields, url: state.webhooks.eventsUrl, sentAt });
    },
  };
  const limits = options.rateLimits === false ? false : { ...DEFAULT_RATE_LIMITS, ...options.rateLimits };
  const restOptions = {
    limiter: createRateLimiter(limits),
    authErrorMessage: options.authErrorMessage ?? 'Not authorized',
  };
  const requests: RestLogEntry[] = [];
  const logRequest = (entry: RestLogEntry): void => {
    requests.push(entry);
    if (requests.length > 500) {
      requests.shift();
    }
  };

  const api: Omit<Simulator, 'url'> = {
    state,
    data,
    setWebhookUrl(url) {
      state.webhooks.callinfoUrl = url ?? '';
    },
    setEventsUrl(url) {
      state.webhooks.eventsUrl = url ?? '';
    },
    setExtensionOnline(extension, online) {
      const ext = findExtension(state, extension);
      if (!ext) {
        throw new Error(`unknown extension "${extension}"`);
      }
      ext.online = online;
    },
    setCallbackPlan(plan) {
      sim.callbackPlan = plan;
    },
    placeInbound: (input) => engine.placeInbound(input),
    placeOutbound: (input) => engine.placeOutbound(input),
    placeCallback: (input) => engine.placeCallback(input),
    waitForCall: (id, o) => engine.waitForCall(id, o?.timeoutMs),
    getCall: (id) => engine.getCall(id),
    listCalls: () => engine.listCalls(),
    listEventWebhooks: () => [...sim.eventWebhooks],
    sendInboundSms({ from, to, text }) {
      // §5.6.9: `result` is a JSON string with caller_did, caller_id, text — in that order.
      const result = JSON.stringify({
        caller_did: to.replace(/^\+/, ''),
        caller_id: from.replace(/^\+/, ''),
        text,
      });
      return sim.sendEventWebhook(
        [
          ['event', 'SMS'],
          ['result', result],
        ],
        'sms',
      );
    },
    setFaults(plan) {
      planFaults(sim.faults, plan);
    },
    now: () => clock.now(),
    async close() {
      await engine.close();
      await eventQueue.idle();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };

  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] as string;
    if (path.startsWith('/_sim')) {
      void handleControl(req, res, {
        sim,
        requests,
        setWebhookUrl: api.setWebhookUrl,
        setEventsUrl: api.setEventsUrl,
        sendInboundSms: api.sendInboundSms,
      });
      return;
    }
    const download = checkDownload(sim, path);
    if (download !== null) {
      if (!download.ok) {
        sendJson(res, download.status, { status: 'error', message: download.message });
        return;
      }
      if (takeExpiredLink(sim.faults)) {
        sendJson(res, 403, { status: 'error', message: 'Link expired' });
        return;
      }
      const wav = createWav({ seconds: download.recording.seconds });
      res.writeHead(200, {
        'Content-Type': 'audio/wav',
        'Content-Length': String(wav.length),
        'Content-Disposition': `attachment; filename="${download.recording.callId}.wav"`,
      });
      if (takeDownloadCut(sim.faults)) {
        // Half the promised bytes, then the connection drops: the client must see a short body.
        res.write(wav.subarray(0, Math.floor(wav.length / 2)), () => res.destroy());
        return;
      }
      res.end(wav);
      return;
    }
    if (path.startsWith('/v1/')) {
      void handleRest(req, res, sim, restOptions, logRequest);
      return;
    }
    sendJson(res, 404, { status: 'error', message: `Unknown method ${path}` });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  baseUrl = `http://${host}:${address.port}`;
  return { ...api, url: baseUrl };
}
