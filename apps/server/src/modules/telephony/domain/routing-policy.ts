/**
 * The NOTIFY_START decision (docs/zadarma-protocol.md §6): whether to reject a blacklisted caller, send a known caller to
 * the extension of the user responsible for them, and name the caller on the ringing phone. A pure function of
 * facts looked up beforehand, so the webhook can answer within its budget and tests cover every branch.
 */
import { isExtensionNumber, isHiddenNumber } from './call-event.js';

/** What is known about the caller's contact record. */
interface RoutingContact {
  readonly name: string;
  readonly company: string | null;
  /** The extension of the contact's responsible user, when that user has one. */
  readonly responsibleExtension: string | null;
  /** "Do not call" concerns calls we place: an inbound call from such a contact is still routed. */
  readonly doNotCall: boolean;
}

interface RoutingSwitches {
  readonly routeToResponsible: boolean;
  readonly callerName: boolean;
  readonly blacklist: boolean;
}

export interface RoutingInput {
  /** `caller_id` as sent (§5.5). */
  readonly callerNumber: string;
  readonly contact: RoutingContact | null;
  readonly blacklisted: boolean;
  readonly switches: RoutingSwitches;
  /** Seconds the extension rings before the call returns to the PBX scenario: 0 (never) or ≥ 3 (§6.1). */
  readonly returnTimeout: number;
  /** Whether the responsible extension is registered; `null` when unknown (then `return_timeout` is the fallback). */
  readonly extensionOnline: boolean | null;
}

/** The JSON body of the reply to NOTIFY_START, in Zadarma's keys (§6.1). `{}` leaves the PBX scenario in charge. */
interface RoutingReply {
  redirect?: string;
  return_timeout?: number;
  caller_name?: string;
}

export interface RoutingDecision {
  readonly reply: RoutingReply;
  /** Why, for the call trace (e.g. `known caller; routed to responsible extension 101; caller name set`). */
  readonly reason: string;
}

/** Zadarma documents no limit for `caller_name` (§6.2 [UNCONFIRMED]); 30 characters fit common phone screens. */
export const CALLER_NAME_MAX_LENGTH = 30;

/**
 * Decides the reply to NOTIFY_START from the caller's facts and the feature switches.
 * Why: the only place the CRM steers a live call; it must be total (never throws) and explainable.
 */
export function decideRouting(input: RoutingInput): RoutingDecision {
  if (isHiddenNumber(input.callerNumber)) {
    return { reply: {}, reason: 'hidden caller: PBX scenario' };
  }
  if (input.blacklisted) {
    if (input.switches.blacklist) {
      return { reply: { redirect: 'blacklist' }, reason: 'caller is blacklisted: rejected with busy' };
    }
  }
  const reasons: string[] = [];
  if (input.blacklisted) {
    reasons.push('caller is blacklisted but the blacklist is off');
  }
  const { contact } = input;
  if (!contact) {
    reasons.push('unknown caller: PBX scenario');
    return { reply: {}, reason: reasons.join('; ') };
  }
  reasons.push(
    contact.doNotCall ? 'known caller (do-not-call applies to outbound calls only)' : 'known caller',
  );
  const reply: RoutingReply = {};
  if (!input.switches.routeToResponsible) {
    reasons.push('routing to the responsible user is off');
  } else if (!contact.responsibleExtension) {
    reasons.push('no responsible extension');
  } else if (!isExtensionNumber(contact.responsibleExtension)) {
    reasons.push(`responsible extension "${contact.responsibleExtension}" is not 3–5 digits`);
  } else if (input.extensionOnline === false) {
    reasons.push(`responsible extension ${contact.responsibleExtension} is offline`);
  } else {
    reply.redirect = contact.responsibleExtension;
    const timeout = normaliseReturnTimeout(input.returnTimeout);
    if (timeout !== null) {
      reply.return_timeout = timeout;
    }
    reasons.push(`routed to responsible extension ${contact.responsibleExtension}`);
  }
  if (input.switches.callerName) {
    const name = formatCallerName(contact.name, contact.company);
    if (name) {
      reply.caller_name = name;
      reasons.push('caller name set');
    } else {
      reasons.push('contact has no name to show');
    }
  }
  return { reply, reason: reasons.join('; ') };
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

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

function truncate(text: string, max: number): string {
  const parts = graphemes(text);
  return parts.length <= max
    ? text
    : `${parts
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}

function clean(text: string | null): string {
  // A SIP display name is a quoted string: drop control characters, quotes and backslashes (RFC 3261 §25.1).
  return (text ?? '')
    .replace(/[\p{Cc}\p{Cf}"\\]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The caller name shown on the ringing phone: `Company — Name` as in §6.2, at most 30 characters, the name kept
 * whole before the company (Latin, Cyrillic, any script; never cut inside a character).
 * Why: the phone screen is small and the agent needs the person first.
 */
export function formatCallerName(name: string, company: string | null): string {
  const person = clean(name);
  const firm = clean(company);
  if (!person) {
    return truncate(firm, CALLER_NAME_MAX_LENGTH);
  }
  if (!firm) {
    return truncate(person, CALLER_NAME_MAX_LENGTH);
  }
  const full = `${firm} — ${person}`;
  if (graphemes(full).length <= CALLER_NAME_MAX_LENGTH) {
    return full;
  }
  const room = CALLER_NAME_MAX_LENGTH - graphemes(person).length - 3;
  return room >= 4 ? `${truncate(firm, room)} — ${person}` : truncate(person, CALLER_NAME_MAX_LENGTH);
}
