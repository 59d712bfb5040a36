/**
 * The NOTIFY_START decision (docs/zadarma-protocol.md §6, issue 12 §7, §8, §10): refuse a blacklisted caller (busy
 * or hang-up), walk the routing chain — the responsible user of the caller's open deal, lead, contact, the last
 * agent who spoke with them, the default responsible — skipping an owner whose extension is offline or who is
 * outside their working hours, and name the caller on the ringing phone. A pure function of facts looked up
 * beforehand, so the webhook answers within its budget and tests cover every branch. Every step taken or skipped
 * is a trace item with a kind code and parameters (never English), which the web renders in the user's language.
 */
import { isExtensionNumber, isHiddenNumber } from './call-event.js';

/** The steps of the routing chain, in the settings' words. */
export type RoutingStepName = 'deal' | 'lead' | 'contact' | 'lastAgent' | 'defaultResponsible';

/** One step of the chain as configured: its place is its index; a disabled step is never looked up. */
export interface RoutingStepSetting {
  readonly step: RoutingStepName;
  readonly enabled: boolean;
}

/** One owner the chain could send the call to, with the facts that decide whether it does. */
export interface RouteCandidate {
  readonly step: RoutingStepName;
  /** Null: the step found nobody (no open deal, no recent call, no default responsible…). */
  readonly userId: string | null;
  /** The deal, lead or contact that made this user the owner (for the trace), else null. */
  readonly recordId: string | null;
  readonly extension: string | null;
  /** Registration state as last known; null when unknown (then the call is tried, `return_timeout` covers it). */
  readonly online: boolean | null;
  readonly withinHours: boolean;
}

/** A trace item: what was decided and why, as a code and its parameters. */
export interface RoutingTraceStep {
  readonly code: RoutingTraceCode;
  readonly params: Readonly<Record<string, string | number>>;
}

type RoutingTraceCode =
  | 'hidden'
  | 'blacklisted'
  | 'blacklistOff'
  | 'unknownCaller'
  | 'knownCaller'
  | 'routingOff'
  | 'stepNone'
  | 'noExtension'
  | 'badExtension'
  | 'offline'
  | 'outsideHours'
  | 'routed'
  | 'pbxScenario'
  | 'callerName'
  | 'noCallerName'
  | 'budgetSpent'
  | 'timeout'
  | 'lookupFailed';

export interface RoutingInput {
  /** `caller_id` as sent (§5.5). */
  readonly callerNumber: string;
  /** The contact's id when the caller is known. */
  readonly contactId: string | null;
  /** The blacklist entry (number or prefix) the caller matched, null when none. */
  readonly blacklistedBy: string | null;
  readonly switches: {
    readonly routeToResponsible: boolean;
    readonly callerName: boolean;
    readonly blacklist: boolean;
  };
  readonly blacklistAction: 'busy' | 'hangup';
  /** The enabled steps' candidates, in the configured order. */
  readonly candidates: readonly RouteCandidate[];
  /** Seconds the extension rings before the call returns to the PBX scenario: 0 (never) or ≥ 3 (§6.1). */
  readonly returnTimeout: number;
  /** The caller's name as rendered from the template or label ('' or null: none). */
  readonly callerName: string | null;
}

/** The JSON body of the reply to NOTIFY_START, in Zadarma's keys (§6.1). `{}` leaves the PBX scenario in charge. */
interface RoutingReply {
  redirect?: string;
  return_timeout?: number;
  caller_name?: string;
  hangup?: 1;
}

export interface RoutingDecision {
  readonly reply: RoutingReply;
  /** The same decision in English, for logs (`routed to 101 — responsible for deal 42; caller name set`). */
  readonly reason: string;
  readonly trace: readonly RoutingTraceStep[];
}

/** How a NOTIFY_START reply refuses a blacklisted caller: redirected to the busy tone, or hung up on. */
export type RoutingRefusal = 'blacklist' | 'hangup';

/** How a decision refuses the caller, or null (only the blacklist hangs up or redirects to `blacklist`). */
export function refusalOf(decision: Pick<RoutingDecision, 'reply'>): RoutingRefusal | null {
  if (decision.reply.hangup === 1) {
    return 'hangup';
  }
  return decision.reply.redirect === 'blacklist' ? 'blacklist' : null;
}

/** Whether a decision refuses the caller. */
export function refusesCaller(decision: Pick<RoutingDecision, 'reply'>): boolean {
  return refusalOf(decision) !== null;
}

/** The decision of a trace: the English reason is written from the trace, so the two never disagree. */
export function decisionOf(reply: RoutingReply, trace: readonly RoutingTraceStep[]): RoutingDecision {
  return { reply, trace, reason: trace.map(describeTraceStep).join('; ') };
}

/**
 * Decides the reply to NOTIFY_START from the caller's facts and the settings.
 * Why: the only place the CRM steers a live call; it must be total (never throws) and explainable.
 */
export function decideRouting(input: RoutingInput): RoutingDecision {
  const trace: RoutingTraceStep[] = [];
  if (isHiddenNumber(input.callerNumber)) {
    return decisionOf({}, [{ code: 'hidden', params: {} }]);
  }
  if (input.blacklistedBy !== null) {
    if (input.switches.blacklist) {
      const reply: RoutingReply =
        input.blacklistAction === 'hangup' ? { hangup: 1 } : { redirect: 'blacklist' };
      return decisionOf(reply, [
        { code: 'blacklisted', params: { entry: input.blacklistedBy, action: input.blacklistAction } },
      ]);
    }
    trace.push({ code: 'blacklistOff', params: { entry: input.blacklistedBy } });
  }
  trace.push(
    input.contactId
      ? { code: 'knownCaller', params: { contactId: input.contactId } }
      : { code: 'unknownCaller', params: {} },
  );
  const reply: RoutingReply = {};
  if (!input.switches.routeToResponsible) {
    trace.push({ code: 'routingOff', params: {} });
  } else if (input.contactId) {
    walkChain(input, reply, trace);
  } else {
    // An unknown number keeps the PBX's own scenario (its ring group or menu): the chain is for known callers.
    trace.push({ code: 'pbxScenario', params: {} });
  }
  if (input.switches.callerName) {
    if (input.callerName) {
      reply.caller_name = input.callerName;
      trace.push({ code: 'callerName', params: { name: input.callerName } });
    } else {
      trace.push({ code: 'noCallerName', params: {} });
    }
  }
  return decisionOf(reply, trace);
}

function walkChain(input: RoutingInput, reply: RoutingReply, trace: RoutingTraceStep[]): void {
  const tried = new Set<string>();
  for (const candidate of input.candidates) {
    const { step, userId, extension } = candidate;
    const record = candidate.recordId ?? '';
    if (!userId) {
      trace.push({ code: 'stepNone', params: { step } });
      continue;
    }
    if (tried.has(userId)) {
      // The same owner reached by a later step: already tried and skipped, say nothing twice.
      continue;
    }
    tried.add(userId);
    if (!extension) {
      trace.push({ code: 'noExtension', params: { step, userId, record } });
    } else if (!isExtensionNumber(extension)) {
      trace.push({ code: 'badExtension', params: { step, userId, extension } });
    } else if (candidate.online === false) {
      trace.push({ code: 'offline', params: { step, userId, extension, record } });
    } else if (!candidate.withinHours) {
      trace.push({ code: 'outsideHours', params: { step, userId, extension, record } });
    } else {
      reply.redirect = extension;
      const timeout = normaliseReturnTimeout(input.returnTimeout);
      if (timeout !== null) {
        reply.return_timeout = timeout;
      }
      trace.push({ code: 'routed', params: { step, userId, extension, record } });
      return;
    }
  }
  trace.push({ code: 'pbxScenario', params: {} });
}

/**
 * `return_timeout` must be 0 or at least 3 (§6.1): 1–2 become 3, fractions are rounded, and a negative or
 * non-finite value is left out so the PBX default applies.
 */
function normaliseReturnTimeout(seconds: number): number | null {
  if (!Number.isFinite(seconds) || seconds < 0) {
    return null;
  }
  const whole = Math.round(seconds);
  return whole > 0 && whole < 3 ? 3 : whole;
}

const STEP_WORDS: Readonly<Record<string, string>> = {
  deal: 'responsible for the open deal',
  lead: 'responsible for the open lead',
  contact: 'responsible for the contact',
  lastAgent: 'last agent who spoke with the client',
  defaultResponsible: 'default responsible user',
};

/** One trace item in English, for logs and the call's stored reason. */
export function describeTraceStep(step: RoutingTraceStep): string {
  const p = step.params;
  const who = STEP_WORDS[String(p.step)] ?? String(p.step);
  const of = p.record ? ` ${p.record}` : '';
  switch (step.code) {
    case 'hidden':
      return 'hidden caller: PBX scenario';
    case 'blacklisted':
      return `caller is blacklisted (${p.entry}): ${p.action === 'hangup' ? 'hung up' : 'rejected with busy'}`;
    case 'blacklistOff':
      return `caller is blacklisted (${p.entry}) but the blacklist is off`;
    case 'unknownCaller':
      return 'unknown caller';
    case 'knownCaller':
      return `known caller (contact ${p.contactId})`;
    case 'routingOff':
      return 'routing chain is off';
    case 'stepNone':
      return `no ${who}`;
    case 'noExtension':
      return `${who}${of} has no extension`;
    case 'badExtension':
      return `${who}: extension "${p.extension}" is not 3–5 digits`;
    case 'offline':
      return `${p.extension} skipped — offline (${who}${of})`;
    case 'outsideHours':
      return `${p.extension} skipped — outside working hours (${who}${of})`;
    case 'routed':
      return `routed to ${p.extension} — ${who}${of}`;
    case 'pbxScenario':
      return 'nobody to route to: PBX scenario';
    case 'callerName':
      return `caller name "${p.name}"`;
    case 'noCallerName':
      return 'no caller name to show';
    case 'budgetSpent':
      return 'decision budget spent before the lookup: PBX scenario';
    case 'timeout':
      return `decision budget exceeded (${p.budgetMs} ms left): PBX scenario`;
    case 'lookupFailed':
      return `lookup failed (${p.error}): PBX scenario`;
  }
}
