/**
 * What a test or the control API asks the PBX to play, checked and completed with defaults before a call
 * starts, so a bad request is refused with a message instead of producing a strange call.
 */
import { findExtension, type SimState } from '../state.js';

export type Outcome = 'answered' | 'no answer' | 'busy' | 'cancel';
const OUTCOMES: readonly Outcome[] = ['answered', 'no answer', 'busy', 'cancel'];

/** An inbound call from the outside to one of the account's numbers. */
export interface InboundInput {
  /** Caller number as the network presents it (`+33612345678`); `null`, `''` or `hidden: true` = hidden. */
  readonly from?: string | null;
  readonly hidden?: boolean;
  /** One of the account's numbers (`+` allowed). */
  readonly to: string;
  /** Extension that picks up when it rings; `null` = nobody answers; omitted = the first extension rung. */
  readonly answer?: string | null;
  /** Defaults to `answered` unless `answer` is `null` (then `no answer`). */
  readonly outcome?: Outcome;
  readonly talkSeconds?: number;
  /** Seconds of ringing before the pick-up (or, for `cancel`, before the caller hangs up). */
  readonly ringSeconds?: number;
  /** After the answer, the call is transferred to this extension half-way through (`last_internal`). */
  readonly transferTo?: string;
  /** Digits typed at each prompt (PBX menu or `wait_dtmf`), in order; `''` or a missing entry = no input. */
  readonly dtmf?: readonly string[];
  /** Overrides the answering extension's recording setting. */
  readonly record?: boolean;
}

/** A call dialled from an extension to an outside number. */
export interface OutboundInput {
  readonly extension: string;
  readonly to: string;
  readonly outcome?: Outcome;
  readonly talkSeconds?: number;
  readonly ringSeconds?: number;
  readonly record?: boolean;
}

/** An API callback (`/v1/request/callback/`): `from` rings first, then `to` (reversed when `predicted`). */
export interface CallbackInput {
  readonly from: string;
  readonly to: string;
  readonly sip?: string;
  readonly predicted?: boolean;
  /** Outcome of the customer leg (`to`). */
  readonly outcome?: Outcome;
  /** Outcome of the extension leg (`from`); defaults to `answered` when it is online. */
  readonly extensionOutcome?: Outcome;
  readonly talkSeconds?: number;
  readonly ringSeconds?: number;
  readonly record?: boolean;
}

/** Thrown for a call request that cannot be played; the message names the field. */
export class SimInputError extends Error {
  override readonly name = 'SimInputError';
}

const PHONE = /^\+?[0-9]{3,15}$/;

function seconds(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) {
    return fallback;
  }
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new SimInputError(`${name} must be a non-negative number of seconds`);
  }
  return value;
}

function outcomeOf(value: unknown, name: string): Outcome | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (!OUTCOMES.includes(value as Outcome)) {
    throw new SimInputError(`${name} must be one of ${OUTCOMES.map((o) => `"${o}"`).join(', ')}`);
  }
  return value as Outcome;
}

function knownExtension(state: SimState, value: unknown, name: string): string {
  if (typeof value !== 'string' || !findExtension(state, value)) {
    throw new SimInputError(`${name} "${String(value)}" is not an extension of the simulator`);
  }
  return value;
}

export interface Timings {
  /** Ringing before a pick-up, in seconds. */
  readonly ringSeconds: number;
  /** How long the PBX rings before giving up (`no answer`). */
  readonly noAnswerSeconds: number;
  readonly busySeconds: number;
  readonly talkSeconds: number;
  readonly ivrPlaySeconds: number;
  readonly dtmfSeconds: number;
  /** Delay between the end of a recorded call and NOTIFY_RECORD. */
  readonly recordDelaySeconds: number;
  /** Delay between NOTIFY_RECORD and SPEECH_RECOGNITION, for an extension with automatic recognition. */
  readonly recognitionDelaySeconds: number;
}

export const DEFAULT_TIMINGS: Timings = {
  ringSeconds: 5,
  noAnswerSeconds: 20,
  busySeconds: 2,
  talkSeconds: 30,
  ivrPlaySeconds: 3,
  dtmfSeconds: 2,
  recordDelaySeconds: 10,
  recognitionDelaySeconds: 20,
};

export interface NormalizedInbound {
  readonly callerId: string;
  readonly hidden: boolean;
  readonly calledDid: string;
  readonly answer: string | null | undefined;
  readonly outcome: Outcome;
  readonly talkSeconds: number;
  readonly ringSeconds: number;
  readonly transferTo: string | null;
  readonly dtmf: string[];
  readonly record: boolean | undefined;
}

/** Checks an inbound request against the account. */
export function normalizeInbound(
  state: SimState,
  input: InboundInput,
  timings: Timings,
  hiddenCallerId: string,
): NormalizedInbound {
  const to = typeof input.to === 'string' ? input.to.replace(/^\+/, '') : '';
  if (!state.numbers.some((n) => n.number === to)) {
    throw new SimInputError(
      `to "${String(input.to)}" is not one of the simulator's numbers (${state.numbers.map((n) => n.number).join(', ')})`,
    );
  }
  const hidden =
    input.hidden === true || input.from === null || input.from === undefined || input.from === '';
  if (!hidden && (typeof input.from !== 'string' || !PHONE.test(input.from))) {
    throw new SimInputError(`from "${String(input.from)}" is not a phone number`);
  }
  const answer =
    input.answer === undefined || input.answer === null
      ? input.answer
      : knownExtension(state, input.answer, 'answer');
  const outcome = outcomeOf(input.outcome, 'outcome') ?? (answer === null ? 'no answer' : 'answered');
  if (outcome === 'answered' && answer === null) {
    throw new SimInputError('outcome "answered" needs an extension in answer (or leave answer out)');
  }
  if (
    input.dtmf !== undefined &&
    (!Array.isArray(input.dtmf) || input.dtmf.some((d) => typeof d !== 'string'))
  ) {
    throw new SimInputError('dtmf must be a list of strings');
  }
  return {
    callerId: hidden ? hiddenCallerId : (input.from as string),
    hidden,
    calledDid: to,
    answer,
    outcome,
    talkSeconds: seconds(input.talkSeconds, 'talkSeconds', timings.talkSeconds),
    ringSeconds: seconds(input.ringSeconds, 'ringSeconds', timings.ringSeconds),
    transferTo: input.transferTo === undefined ? null : knownExtension(state, input.transferTo, 'transferTo'),
    dtmf: [...(input.dtmf ?? [])],
    record: input.record,
  };
}

export interface NormalizedOutbound {
  readonly extension: string;
  readonly to: string;
  readonly outcome: Outcome;
  readonly talkSeconds: number;
  readonly ringSeconds: number;
  readonly record: boolean | undefined;
}

/** Checks an outbound request: a known, online extension and a dialable number. */
export function normalizeOutbound(
  state: SimState,
  input: OutboundInput,
  timings: Timings,
): NormalizedOutbound {
  const extension = knownExtension(state, input.extension, 'extension');
  if (!findExtension(state, extension)?.online) {
    throw new SimInputError(`extension ${extension} is offline and cannot place a call`);
  }
  if (typeof input.to !== 'string' || !PHONE.test(input.to)) {
    throw new SimInputError(`to "${String(input.to)}" is not a phone number`);
  }
  return {
    extension,
    to: input.to,
    outcome: outcomeOf(input.outcome, 'outcome') ?? 'answered',
    talkSeconds: seconds(input.talkSeconds, 'talkSeconds', timings.talkSeconds),
    ringSeconds: seconds(input.ringSeconds, 'ringSeconds', timings.ringSeconds),
    record: input.record,
  };
}

export interface NormalizedCallback {
  readonly from: string;
  /** The extension the call belongs to (`from` when it is one, else `sip`), or `null`. */
  readonly extension: string | null;
  readonly to: string;
  readonly predicted: boolean;
  readonly outcome: Outcome;
  readonly extensionOutcome: Outcome;
  readonly talkSeconds: number;
  readonly ringSeconds: number;
  readonly record: boolean | undefined;
}

/** Checks a callback request (`from` an extension or a phone number, `to` a number). */
export function normalizeCallback(
  state: SimState,
  input: CallbackInput,
  timings: Timings,
): NormalizedCallback {
  if (typeof input.from !== 'string' || !(PHONE.test(input.from) || /^[0-9]+-[0-9]+$/.test(input.from))) {
    throw new SimInputError(`from "${String(input.from)}" is not an extension, SIP id or phone number`);
  }
  if (typeof input.to !== 'string' || !PHONE.test(input.to)) {
    throw new SimInputError(`to "${String(input.to)}" is not a phone number`);
  }
  const fromExt = findExtension(state, input.from);
  const sipExt = input.sip ? findExtension(state, input.sip) : undefined;
  const extension = fromExt?.number ?? sipExt?.number ?? null;
  const defaultExtOutcome: Outcome = fromExt && !fromExt.online ? 'no answer' : 'answered';
  return {
    from: input.from,
    extension,
    to: input.to,
    predicted: input.predicted === true,
    outcome: outcomeOf(input.outcome, 'outcome') ?? 'answered',
    extensionOutcome: outcomeOf(input.extensionOutcome, 'extensionOutcome') ?? defaultExtOutcome,
    talkSeconds: seconds(input.talkSeconds, 'talkSeconds', timings.talkSeconds),
    ringSeconds: seconds(input.ringSeconds, 'ringSeconds', timings.ringSeconds),
    record: input.record,
  };
}
