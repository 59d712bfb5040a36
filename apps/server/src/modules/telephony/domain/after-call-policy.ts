/**
 * What happens after a call, decided from the finished call alone (issue 12, items 6 and 9): whether it is a
 * missed call to call back, whether it is the evidence that closes a callback task, which new-caller rule it
 * matches, whether a rule set would create a record for every call, and the spam hint of a new caller.
 * Pure: the use cases (use-cases/follow-up-ended-call.ts…) read and store, this decides.
 */
import type { CallRecord } from './fold-call.js';

/** A new-caller rule: direction × outcome × minimum talk time → what to create (first match wins). */
export interface NewCallerRule {
  readonly direction: 'in' | 'out' | 'any';
  readonly outcome: 'answered' | 'missed' | 'any';
  readonly minTalkSeconds: number;
  /** `inbox`: wait in the new-callers inbox for a person to accept, merge or decline. */
  readonly action: 'none' | 'inbox' | 'contact' | 'lead' | 'deal';
  /** For `deal`: the pipeline and stage (null: the first pipeline's first open stage). */
  readonly pipelineId: string | null;
  readonly stageId: string | null;
  /** Who the record is assigned to: the agent who talked (else the default responsible), or the default one. */
  readonly assignTo: 'agent' | 'default';
}

/** The finished call as the rules see it. */
type FinishedCall = Pick<CallRecord, 'direction' | 'status' | 'duration'>;

/** Statuses of a call that has ended. */
const ENDED = new Set(['answered', 'missed', 'no_answer', 'busy', 'failed']);

/** Whether the call has ended (its end notification folded). */
export function hasEnded(call: Pick<CallRecord, 'status'>): boolean {
  return ENDED.has(call.status);
}

/**
 * A missed inbound call the client should be called back for: not answered, busy, cancelled or hung up in the
 * IVR (Zadarma's `no answer`, `busy`, `cancel`). Why not `failed`: `no money`, `line limit`… are our line's
 * failures, not a client waiting for a call.
 */
export function isMissedInbound(
  call: Pick<CallRecord, 'direction' | 'status'> & { readonly blacklisted?: boolean },
): boolean {
  // Not a caller the blacklist refused: nobody should call them back.
  return (
    call.direction === 'inbound' && (call.status === 'missed' || call.status === 'busy') && !call.blacklisted
  );
}

/** An answered call, in either direction (a click-to-call included): the evidence that closes a callback task. */
export function isAnsweredCall(call: Pick<CallRecord, 'status'>): boolean {
  return call.status === 'answered';
}

/** The first rule the call matches, or null (nothing happens). */
export function matchNewCallerRule(
  rules: readonly NewCallerRule[],
  call: FinishedCall,
): NewCallerRule | null {
  const direction = call.direction === 'outbound' ? 'out' : 'in';
  const answered = call.status === 'answered';
  const talk = answered ? (call.duration ?? 0) : 0;
  for (const rule of rules) {
    if (rule.direction !== 'any' && rule.direction !== direction) {
      continue;
    }
    if (rule.outcome === 'answered' && !answered) {
      continue;
    }
    if (rule.outcome === 'missed' && answered) {
      continue;
    }
    if (talk < rule.minTalkSeconds) {
      continue;
    }
    return rule;
  }
  return null;
}

/**
 * Whether the rules turn every call of a new number into a CRM record (contact, lead or deal): some rule
 * that creates one matches whatever the direction, outcome and talk time — spam and wrong numbers included.
 * Why: Frappe CRM's "a lead for every call" is the complaint; saving such a set takes a confirmation.
 */
export function createsForEveryCall(rules: readonly NewCallerRule[]): boolean {
  const probes: FinishedCall[] = [];
  for (const direction of ['inbound', 'outbound'] as const) {
    probes.push({ direction, status: 'answered', duration: 0 });
    probes.push({ direction, status: direction === 'inbound' ? 'missed' : 'no_answer', duration: 0 });
  }
  return probes.every((call) => {
    const rule = matchNewCallerRule(rules, call);
    return rule !== null && (rule.action === 'contact' || rule.action === 'lead' || rule.action === 'deal');
  });
}

/** Talk time under which a call counts as "very short" for the spam hint, seconds. */
const SHORT_CALL_SECONDS = 5;
/** Very short calls from one number from which it looks like spam. */
const SPAM_SHORT_CALLS = 3;

/** Whether a call is very short: unanswered, or answered and hung up within `SHORT_CALL_SECONDS`. */
export function isShortCall(call: Pick<CallRecord, 'status' | 'duration'>): boolean {
  return call.status !== 'answered' || (call.duration ?? 0) < SHORT_CALL_SECONDS;
}

/** The spam hint of a new caller: repeated very short calls. Why: junk must never become leads. */
export function looksLikeSpam(caller: { readonly calls: number; readonly shortCalls: number }): boolean {
  return caller.shortCalls >= SPAM_SHORT_CALLS && caller.shortCalls === caller.calls;
}

/**
 * Whether a create rule must hold this call of a new number in the inbox rather than make a record of it: the
 * number already looks like spam, or this call was answered and hung up within `SHORT_CALL_SECONDS` — no
 * conversation, the robocall's and the wrong number's pattern. Why here and not only in the inbox: under a create
 * rule the first call made the record, so the hint (which needs repeated calls) could never fire. An unanswered
 * call is not held: "a lead for every missed call" is a rule people choose on purpose.
 */
export function holdsAsSpam(
  caller: { readonly calls: number; readonly shortCalls: number },
  call: Pick<CallRecord, 'status' | 'duration'>,
): boolean {
  return looksLikeSpam(caller) || (call.status === 'answered' && isShortCall(call));
}

/** The callback task's owner: the first of the chain who exists. */
export interface OwnerChain {
  readonly dealOwnerId: string | null;
  readonly leadOwnerId: string | null;
  readonly contactOwnerId: string | null;
  readonly defaultResponsibleId: string | null;
}

/** Which link of the owner chain gave the owner (stored on the call's trace). */
export type OwnerSource = 'deal' | 'lead' | 'contact' | 'default' | 'nobody';

/** The owner chain: responsible of the open deal → lead → contact → the default responsible user. */
export function callbackOwner(chain: OwnerChain): { userId: string | null; source: OwnerSource } {
  if (chain.dealOwnerId) {
    return { userId: chain.dealOwnerId, source: 'deal' };
  }
  if (chain.leadOwnerId) {
    return { userId: chain.leadOwnerId, source: 'lead' };
  }
  if (chain.contactOwnerId) {
    return { userId: chain.contactOwnerId, source: 'contact' };
  }
  if (chain.defaultResponsibleId) {
    return { userId: chain.defaultResponsibleId, source: 'default' };
  }
  return { userId: null, source: 'nobody' };
}

type Locale = 'en' | 'fr' | 'ru';

/** Russian plural of "раз" after a number. */
function russianTimes(n: number): string {
  const mod10 = n % 10;
  const mod100 = n % 100;
  return mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14) ? 'раза' : 'раз';
}

/**
 * The callback task's title in its assignee's language ("Call back +33 6… — called 3×").
 * Why the assignee's language: a task is text its owner reads in their list; the call's trace stays structured.
 */
export function callbackTaskTitle(input: {
  readonly number: string;
  readonly name: string | null;
  readonly missedCalls: number;
  readonly locale: Locale;
}): string {
  const who = input.name ? `${input.name} (${input.number})` : input.number;
  const n = input.missedCalls;
  switch (input.locale) {
    case 'fr':
      return n > 1 ? `Rappeler ${who} — a appelé ${n}×` : `Rappeler ${who} — appel manqué`;
    case 'ru':
      return n > 1
        ? `Перезвонить ${who} — звонил(а) ${n} ${russianTimes(n)}`
        : `Перезвонить ${who} — пропущенный звонок`;
    default:
      return n > 1 ? `Call back ${who} — called ${n}×` : `Call back ${who} — missed call`;
  }
}
