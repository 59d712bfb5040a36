/**
 * Reading the CRM's reply to NOTIFY_START / NOTIFY_IVR (docs/zadarma-protocol.md §6.1). A body without steering keys
 * (`{}`, `OK`, empty) leaves the PBX scenario in charge; a malformed body is ignored the same way.
 */

export interface WaitDtmf {
  readonly timeout: number;
  readonly attempts: number;
  readonly maxdigits: number;
  readonly name: string;
  /** What to do on no input: `hangup` or a redirect target. */
  readonly default: string | null;
}

export interface CallControl {
  readonly redirect: string | null;
  readonly returnTimeout: number | null;
  readonly rewriteForwardNumber: string | null;
  readonly hangup: boolean;
  readonly callerName: string | null;
  readonly ivrPlay: string | null;
  readonly waitDtmf: WaitDtmf | null;
}

export type ReplyReading =
  | { readonly kind: 'steer'; readonly control: CallControl; readonly note: string }
  | { readonly kind: 'none'; readonly note: string }
  | { readonly kind: 'malformed'; readonly note: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown, key: string, problems: string[]): string | null {
  if (value === undefined || value === null) {
    return null;
  }
  if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) {
    return String(value);
  }
  problems.push(`${key} must be a string or a number`);
  return null;
}

function integer(value: unknown, key: string, problems: string[]): number | null {
  const raw = text(value, key, problems);
  if (raw === null) {
    return null;
  }
  if (!/^-?[0-9]+$/.test(raw.trim())) {
    problems.push(`${key} must be an integer, got "${raw}"`);
    return null;
  }
  return Number(raw.trim());
}

function readWaitDtmf(value: unknown, problems: string[]): WaitDtmf | null {
  if (value === undefined || value === null) {
    return null;
  }
  if (!isRecord(value)) {
    problems.push('wait_dtmf must be an object');
    return null;
  }
  return {
    timeout: integer(value.timeout, 'wait_dtmf.timeout', problems) ?? 5,
    attempts: integer(value.attempts, 'wait_dtmf.attempts', problems) ?? 1,
    maxdigits: integer(value.maxdigits, 'wait_dtmf.maxdigits', problems) ?? 1,
    name: text(value.name, 'wait_dtmf.name', problems) ?? '',
    default: text(value.default, 'wait_dtmf.default', problems),
  };
}

/** Interprets a reply body. Why: the PBX must act on valid steering and ignore anything else, saying why. */
export function readReply(body: string): ReplyReading {
  const trimmed = body.trim();
  if (trimmed === '' || trimmed === 'OK' || trimmed === 'ok') {
    return { kind: 'none', note: 'reply has no steering keys: the PBX scenario runs' };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return { kind: 'malformed', note: 'reply is not JSON: ignored, the PBX scenario runs' };
  }
  if (!isRecord(parsed)) {
    return { kind: 'malformed', note: 'reply is not a JSON object: ignored, the PBX scenario runs' };
  }
  const problems: string[] = [];
  const hangupRaw = text(parsed.hangup, 'hangup', problems);
  const control: CallControl = {
    redirect: text(parsed.redirect, 'redirect', problems),
    returnTimeout: integer(parsed.return_timeout, 'return_timeout', problems),
    rewriteForwardNumber: text(parsed.rewrite_forward_number, 'rewrite_forward_number', problems),
    hangup: hangupRaw !== null && hangupRaw !== '0' && hangupRaw !== '',
    callerName: text(parsed.caller_name, 'caller_name', problems),
    ivrPlay: text(parsed.ivr_play, 'ivr_play', problems),
    waitDtmf: readWaitDtmf(parsed.wait_dtmf, problems),
  };
  if (control.rewriteForwardNumber !== null && !/^\+*\d{5,}$/.test(control.rewriteForwardNumber)) {
    problems.push(`rewrite_forward_number "${control.rewriteForwardNumber}" is not a phone number`);
  }
  if (problems.length > 0) {
    return {
      kind: 'malformed',
      note: `reply is malformed (${problems.join('; ')}): ignored, the PBX scenario runs`,
    };
  }
  const steers =
    control.redirect !== null ||
    control.hangup ||
    control.callerName !== null ||
    control.ivrPlay !== null ||
    control.waitDtmf !== null;
  if (!steers) {
    return { kind: 'none', note: 'reply has no steering keys: the PBX scenario runs' };
  }
  return { kind: 'steer', control, note: `reply honoured: ${JSON.stringify(parsed)}` };
}

export type RedirectTarget =
  | { readonly kind: 'extension'; readonly extension: string }
  | { readonly kind: 'scenario'; readonly menuId: string; readonly scenarioId: string }
  | { readonly kind: 'menu'; readonly menuId: string }
  | { readonly kind: 'blacklist' };

/** Parses a `redirect` value: `101`, `blacklist`, `0-1`, `1` (menu 0), `0-main` (§6.1); `null` if unknown. */
export function parseRedirect(value: string): RedirectTarget | null {
  const v = value.trim();
  if (v === 'blacklist') {
    return { kind: 'blacklist' };
  }
  if (/^[0-9]{3}$/.test(v)) {
    return { kind: 'extension', extension: v };
  }
  const main = /^([0-9]+)-main$/.exec(v);
  if (main) {
    return { kind: 'menu', menuId: main[1] as string };
  }
  const pair = /^([0-9]+)-([0-9]+)$/.exec(v);
  if (pair) {
    return { kind: 'scenario', menuId: pair[1] as string, scenarioId: pair[2] as string };
  }
  if (/^[0-9]{1,2}$/.test(v)) {
    return { kind: 'scenario', menuId: '0', scenarioId: v };
  }
  return null;
}
