/**
 * The JSON a receiver may answer to `NOTIFY_START` / `NOTIFY_IVR` to steer the call (docs/zadarma-protocol.md §6.1).
 *
 * Zadarma silently ignores a reply it does not understand and runs the PBX's own scenario, so a typo or an
 * impossible combination shows up only as a call that went the wrong way. This builder refuses those at
 * the source, listing every problem at once.
 *
 * Rules, and where they come from (§6.1 unless noted):
 * - `redirect`: an extension (3–5 digits), a scenario `1` / `0-1` / `0-main`, or `blacklist` (busy tone).
 * - `return_timeout` (0, or ≥ 3 seconds) and `rewrite_forward_number` (`^\+*\d{5,}$`) only with a redirect;
 *   not with `blacklist`; `rewrite_forward_number` only for an extension (it replaces that extension's
 *   "forward to phone" number).
 * - `hangup` stands alone: it ends the call, so anything else in the reply would be meaningless.
 * - `language` only with an `ivr_say*` key (it is the voice of those phrases).
 * - `wait_dtmf` needs a prompt (`ivr_play` or `ivr_say*`): Zadarma collects digits "after playback", and
 *   every documented recipe pairs them; a silent wait would leave the caller in dead air. `ivr_play`
 *   alone is allowed (the old PHP check requiring `wait_dtmf` was removed, §6.1).
 * - A reply either routes (`redirect`) or runs an IVR step (`ivr_*`, `wait_dtmf`), never both.
 * - `ivr_saydigits` is a digit string, so leading zeros survive (PHP casts it to int and loses them).
 * - `{}` is a valid reply: the PBX's configured scenario stays in charge.
 */

export const REPLY_LANGUAGES = ['ru', 'ua', 'en', 'es', 'pl', 'fr', 'de'] as const;
export type ReplyLanguage = (typeof REPLY_LANGUAGES)[number];

/** Collect DTMF after the prompt; `name` is echoed back in `NOTIFY_IVR.wait_dtmf.name`. */
export interface WaitDtmf {
  /** Seconds to wait for input after the prompt. */
  readonly timeout: number;
  /** How many times the prompt is replayed. */
  readonly attempts: number;
  /** Up to how many digits are accepted. */
  readonly maxdigits: number;
  readonly name: string;
  /** What happens without usable input: `hangup` or a redirect target (extension or scenario). */
  readonly default: string;
}

/** What the CRM wants; keys are Zadarma's own (§6.1). */
export interface CallControlReplySpec {
  readonly redirect?: string;
  readonly return_timeout?: number;
  readonly rewrite_forward_number?: string;
  readonly caller_name?: string;
  readonly hangup?: boolean | 1;
  readonly ivr_play?: string;
  readonly ivr_saypopular?: number;
  readonly ivr_saydigits?: string;
  readonly ivr_saynumber?: number;
  readonly language?: ReplyLanguage;
  readonly wait_dtmf?: WaitDtmf;
}

/** The validated reply, ready for `JSON.stringify` (key order fixed, `hangup` as `1`). */
export interface CallControlReply {
  readonly redirect?: string;
  readonly return_timeout?: number;
  readonly rewrite_forward_number?: string;
  readonly caller_name?: string;
  readonly hangup?: 1;
  readonly ivr_play?: string;
  readonly ivr_saypopular?: number;
  readonly ivr_saydigits?: string;
  readonly ivr_saynumber?: number;
  readonly language?: ReplyLanguage;
  readonly wait_dtmf?: WaitDtmf;
}

/** Thrown for a reply Zadarma could not act on; `problems` lists each rule that was broken. */
export class CallControlReplyError extends Error {
  override readonly name = 'CallControlReplyError';
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`invalid call-control reply: ${problems.join('; ')}`);
    this.problems = problems;
  }
}

const KEYS: readonly (keyof CallControlReplySpec)[] = [
  'redirect',
  'return_timeout',
  'rewrite_forward_number',
  'caller_name',
  'hangup',
  'ivr_play',
  'ivr_saypopular',
  'ivr_saydigits',
  'ivr_saynumber',
  'language',
  'wait_dtmf',
];
const WAIT_DTMF_KEYS = ['timeout', 'attempts', 'maxdigits', 'name', 'default'];

const EXTENSION = /^\d{3,5}$/;
const SCENARIO = /^(\d{1,2}|\d+-(\d+|main))$/;
const FORWARD_NUMBER = /^\+*\d{5,}$/;

/** Whether `target` is something `redirect` accepts: extension, scenario or `blacklist`. */
export function isRedirectTarget(target: string): boolean {
  return target === 'blacklist' || EXTENSION.test(target) || SCENARIO.test(target);
}

function isInt(value: unknown, min: number): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what we refuse.
const CONTROL = /[\u0000-\u001f\u007f]/;

function checkWaitDtmf(value: unknown, problems: string[]): void {
  if (typeof value !== 'object' || value === null) {
    problems.push('wait_dtmf must be an object {timeout, attempts, maxdigits, name, default}');
    return;
  }
  const w = value as Record<string, unknown>;
  for (const key of Object.keys(w)) {
    if (!WAIT_DTMF_KEYS.includes(key)) {
      problems.push(`wait_dtmf has an unknown key "${key}"`);
    }
  }
  if (!isInt(w.timeout, 1)) {
    problems.push('wait_dtmf.timeout must be a whole number of seconds ≥ 1');
  }
  if (!isInt(w.attempts, 1)) {
    problems.push('wait_dtmf.attempts must be a whole number ≥ 1');
  }
  if (!isInt(w.maxdigits, 1)) {
    problems.push('wait_dtmf.maxdigits must be a whole number ≥ 1');
  }
  if (typeof w.name !== 'string' || w.name === '') {
    problems.push('wait_dtmf.name must be a non-empty string (it comes back in NOTIFY_IVR)');
  }
  if (typeof w.default !== 'string' || !(w.default === 'hangup' || isRedirectTarget(w.default))) {
    problems.push('wait_dtmf.default must be "hangup" or a redirect target (extension or scenario)');
  }
}

/**
 * Validates a reply against §6.1 and returns it in canonical form; throws `CallControlReplyError` listing
 * every broken rule. Use it where the routing decision is made, so a bad rule fails loudly in tests.
 */
export function buildCallControlReply(spec: CallControlReplySpec = {}): CallControlReply {
  const problems: string[] = [];
  const s = spec as Record<string, unknown>;
  for (const key of Object.keys(s)) {
    if (!(KEYS as readonly string[]).includes(key)) {
      problems.push(`unknown key "${key}" (Zadarma ignores it; keys are ${KEYS.join(', ')})`);
    }
  }
  const has = (key: keyof CallControlReplySpec) => s[key] !== undefined;
  const present = KEYS.filter(has);
  const redirect = s.redirect;
  const isBlacklist = redirect === 'blacklist';

  if (has('redirect') && (typeof redirect !== 'string' || !isRedirectTarget(redirect))) {
    problems.push(
      `redirect "${String(redirect)}" is not an extension (3–5 digits), a scenario ("1", "0-1", "0-main") or "blacklist"`,
    );
  }
  if (has('return_timeout')) {
    const t = s.return_timeout;
    if (!has('redirect') || isBlacklist) {
      problems.push('return_timeout only applies to a redirect to an extension or scenario');
    }
    if (!isInt(t, 0) || t === 1 || t === 2) {
      problems.push(
        `return_timeout must be 0 (never return) or a whole number of seconds ≥ 3, got ${String(t)}`,
      );
    }
  }
  if (has('rewrite_forward_number')) {
    const n = s.rewrite_forward_number;
    if (typeof redirect !== 'string' || !EXTENSION.test(redirect)) {
      problems.push('rewrite_forward_number only applies to a redirect to an extension');
    }
    if (typeof n !== 'string' || !FORWARD_NUMBER.test(n)) {
      problems.push(`rewrite_forward_number must match ^\\+*\\d{5,}$, got "${String(n)}"`);
    }
  }
  if (has('hangup')) {
    if (s.hangup !== true && s.hangup !== 1) {
      problems.push('hangup must be true (or 1) when given');
    }
    const others = present.filter((k) => k !== 'hangup');
    if (others.length > 0) {
      problems.push(`hangup ends the call and cannot be combined with ${others.join(', ')}`);
    }
  }
  if (has('caller_name')) {
    const name = s.caller_name;
    if (typeof name !== 'string' || name.trim() === '' || CONTROL.test(name)) {
      problems.push('caller_name must be a non-empty string without control characters');
    }
    if (isBlacklist) {
      problems.push('caller_name is never shown for a blacklisted call');
    }
  }
  if (has('ivr_play') && (typeof s.ivr_play !== 'string' || s.ivr_play === '')) {
    problems.push('ivr_play must be a sound file id');
  }
  if (has('ivr_saypopular') && !isInt(s.ivr_saypopular, 1)) {
    problems.push('ivr_saypopular must be a phrase number (whole number ≥ 1)');
  }
  if (has('ivr_saydigits') && (typeof s.ivr_saydigits !== 'string' || !/^\d+$/.test(s.ivr_saydigits))) {
    problems.push('ivr_saydigits must be a string of digits (a string keeps leading zeros)');
  }
  if (has('ivr_saynumber') && !isInt(s.ivr_saynumber, 0)) {
    problems.push('ivr_saynumber must be a whole number ≥ 0');
  }
  const says = has('ivr_saypopular') || has('ivr_saydigits') || has('ivr_saynumber');
  if (has('language')) {
    if (!(REPLY_LANGUAGES as readonly unknown[]).includes(s.language)) {
      problems.push(`language must be one of ${REPLY_LANGUAGES.join(', ')}, got "${String(s.language)}"`);
    }
    if (!says) {
      problems.push('language only applies to ivr_saypopular, ivr_saydigits or ivr_saynumber');
    }
  }
  if (has('wait_dtmf')) {
    checkWaitDtmf(s.wait_dtmf, problems);
    if (!says && !has('ivr_play')) {
      problems.push('wait_dtmf needs a prompt (ivr_play or ivr_say*) to collect digits after');
    }
  }
  const ivrKeys = present.filter((k) => k.startsWith('ivr_') || k === 'wait_dtmf');
  if (has('redirect') && ivrKeys.length > 0) {
    problems.push(
      `a reply either redirects or runs an IVR step: redirect cannot go with ${ivrKeys.join(', ')}`,
    );
  }

  if (problems.length > 0) {
    throw new CallControlReplyError(problems);
  }
  const out: Record<string, unknown> = {};
  for (const key of present) {
    if (key === 'hangup') {
      out.hangup = 1;
    } else if (key === 'wait_dtmf') {
      const w = s.wait_dtmf as WaitDtmf;
      out.wait_dtmf = {
        timeout: w.timeout,
        attempts: w.attempts,
        maxdigits: w.maxdigits,
        name: w.name,
        default: w.default,
      };
    } else {
      out[key] = s[key];
    }
  }
  return out as CallControlReply;
}

/** The HTTP body for a reply: `buildCallControlReply` serialised (serve it as `application/json`). */
export function callControlReplyJson(spec: CallControlReplySpec = {}): string {
  return JSON.stringify(buildCallControlReply(spec));
}
