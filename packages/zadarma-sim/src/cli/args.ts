/**
 * Command-line options of `zadarma-sim`, read into {@link SimulatorOptions}. Every problem is reported at
 * once, so a wrong invocation is fixed in one go.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { SimulatorOptions } from '../simulator.js';
import type { SimStateInput } from '../state.js';

export const USAGE = `Usage: zadarma-sim --key KEY --secret SECRET [options]

  --port N                 port to listen on (default 4010; 0 = any free port)
  --host HOST              address to bind (default 127.0.0.1)
  --key KEY                API key the REST API accepts         (env ZADARMA_SIM_KEY)
  --secret SECRET          API secret; also signs webhooks      (env ZADARMA_SIM_SECRET)
  --webhook-url URL        PBX call notifications URL (NOTIFY_*)
  --events-url URL         other events URL (SMS, SPEECH_RECOGNITION)
  --state FILE             JSON account state (extensions, numbers, balance…); see README
  --speed N                virtual time speed (default 1 = real time)
  --format F               webhook bodies: urlencoded (default) or multipart
  --multipart-quirk        multipart delimiter with an extra "--" (PHP reads none; tests receivers)
  --duplicate-events       send every notification twice
  --shuffle-events         deliver each call's notifications out of order
  --reply-deadline-ms N    wait for NOTIFY_START/NOTIFY_IVR replies (default 3000)
  --no-rate-limits         switch off the 100/min and 3/min limits
  --no-callback-leg1-events  callback leg 1 (the extension) emits no NOTIFY_OUT_*
  --public-url URL         base URL used in recording links
  --print-default-state    print the default state as JSON and exit
  --help                   show this text`;

export type CliCommand =
  | { readonly kind: 'serve'; readonly options: SimulatorOptions; readonly stateFile: string | null }
  | { readonly kind: 'help' }
  | { readonly kind: 'print-state' }
  | { readonly kind: 'error'; readonly problems: readonly string[] };

function positiveNumber(value: string | undefined, name: string, problems: string[]): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) {
    problems.push(`--${name} must be a non-negative number, got "${value}"`);
    return undefined;
  }
  return n;
}

/** Reads argv (without `node` and the script) and the environment into a command. */
export function parseCliArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): CliCommand {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        key: { type: 'string' },
        secret: { type: 'string' },
        'webhook-url': { type: 'string' },
        'events-url': { type: 'string' },
        state: { type: 'string' },
        speed: { type: 'string' },
        format: { type: 'string' },
        'multipart-quirk': { type: 'boolean' },
        'duplicate-events': { type: 'boolean' },
        'shuffle-events': { type: 'boolean' },
        'reply-deadline-ms': { type: 'string' },
        'no-rate-limits': { type: 'boolean' },
        'no-callback-leg1-events': { type: 'boolean' },
        'public-url': { type: 'string' },
        'print-default-state': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    return { kind: 'error', problems: [error instanceof Error ? error.message : String(error)] };
  }
  if (values.help) {
    return { kind: 'help' };
  }
  if (values['print-default-state']) {
    return { kind: 'print-state' };
  }
  const str = (name: string): string | undefined => values[name] as string | undefined;
  const problems: string[] = [];
  const key = str('key') ?? env.ZADARMA_SIM_KEY;
  const secret = str('secret') ?? env.ZADARMA_SIM_SECRET;
  if (!key) {
    problems.push('--key is required (or ZADARMA_SIM_KEY)');
  }
  if (!secret) {
    problems.push('--secret is required (or ZADARMA_SIM_SECRET)');
  }
  const port = positiveNumber(str('port') ?? '4010', 'port', problems);
  const speed = positiveNumber(str('speed'), 'speed', problems);
  if (speed === 0) {
    problems.push('--speed must be greater than 0');
  }
  const deadline = positiveNumber(str('reply-deadline-ms'), 'reply-deadline-ms', problems);
  const format = str('format');
  if (format !== undefined && format !== 'urlencoded' && format !== 'multipart') {
    problems.push(`--format must be urlencoded or multipart, got "${format}"`);
  }
  let state: SimStateInput | undefined;
  const stateFile = str('state') ?? null;
  if (stateFile !== null) {
    try {
      state = JSON.parse(readFileSync(stateFile, 'utf8')) as SimStateInput;
    } catch (error) {
      problems.push(`--state ${stateFile}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (problems.length > 0) {
    return { kind: 'error', problems };
  }
  const options: SimulatorOptions = {
    key: key as string,
    secret: secret as string,
    port: port ?? 4010,
    ...(str('host') ? { host: str('host') as string } : {}),
    ...(str('webhook-url') ? { webhookUrl: str('webhook-url') as string } : {}),
    ...(str('events-url') ? { eventsUrl: str('events-url') as string } : {}),
    ...(str('public-url') ? { publicUrl: str('public-url') as string } : {}),
    ...(speed !== undefined ? { speed } : {}),
    ...(deadline !== undefined ? { replyDeadlineMs: deadline } : {}),
    ...(format !== undefined ? { format: format as 'urlencoded' | 'multipart' } : {}),
    ...(state !== undefined ? { state } : {}),
    multipartQuirk: values['multipart-quirk'] === true,
    duplicateEvents: values['duplicate-events'] === true,
    shuffleEvents: values['shuffle-events'] === true,
    callbackLeg1Events: !values['no-callback-leg1-events'],
    ...(values['no-rate-limits'] ? { rateLimits: false as const } : {}),
  };
  return { kind: 'serve', options, stateFile };
}
