/**
 * A call's signed identity. Zadarma signs only two or three fields of a notification and no timestamp
 * (docs/zadarma-protocol.md §5.4), so one captured signature verifies any body that repeats those fields — whatever its
 * `pbx_call_id`, `internal`, `duration` or `disposition`. What a signature does prove is its signed fields; the
 * first verified notifications of a call fix them, and a later notification of that call that signs other values
 * is refused rather than folded.
 */
import { type CallEvent, type CallEventKind, isExtensionNumber } from './call-event.js';

/** A signed field, in domain terms. */
export type SignedClaim = 'callStart' | 'callerId' | 'calledDid' | 'destination' | 'extension';

/**
 * The fields each notification's signature covers, in domain terms (the SDK's `SIGNED_FIELDS`: `call_start`,
 * `caller_id`, `called_did`, `destination`, `internal`). NOTIFY_RECORD signs `pbx_call_id` and
 * `call_id_with_rec`: bound to its call by the signature itself, it has no claim to compare.
 * Why: the domain cannot read the SDK's wire names; a test checks the two lists agree.
 */
export const SIGNED_CLAIMS: Readonly<Record<CallEventKind, readonly SignedClaim[]>> = {
  start: ['callerId', 'calledDid', 'callStart'],
  internal: ['callerId', 'calledDid', 'callStart'],
  answer: ['callerId', 'destination', 'callStart'],
  end: ['callerId', 'calledDid', 'callStart'],
  out_start: ['extension', 'destination', 'callStart'],
  out_end: ['extension', 'destination', 'callStart'],
  record: [],
};

/** The notifications each direction of call receives (§5.7); `answer` and `record` come in both. */
const INBOUND_KINDS: ReadonlySet<CallEventKind> = new Set(['start', 'internal', 'answer', 'end', 'record']);
const OUTBOUND_KINDS: ReadonlySet<CallEventKind> = new Set(['out_start', 'answer', 'out_end', 'record']);

function claimOf(event: CallEvent, claim: SignedClaim): string | null {
  const value = (event as unknown as Record<string, unknown>)[claim];
  return typeof value === 'string' ? value : null;
}

const NAMES: Record<SignedClaim, string> = {
  callStart: 'call_start',
  callerId: 'caller_id',
  calledDid: 'called_did',
  destination: 'destination',
  extension: 'internal',
};

/**
 * Whether two notifications of one call must agree on `claim`, both signing it. `call_start`, `caller_id` and
 * `called_did` are the call's own; a `destination` is the call's only on an outbound call and between two
 * customer numbers (an inbound answer names the extension, which a transfer changes; the agent leg of a
 * click-to-call dials an extension); an outbound `internal` binds when both name one.
 */
function mustAgree(claim: SignedClaim, a: string | null, b: string | null, outbound: boolean): boolean {
  switch (claim) {
    case 'callStart':
    case 'callerId':
    case 'calledDid':
      return true;
    case 'destination':
      return outbound && a !== null && b !== null && !isExtensionNumber(a) && !isExtensionNumber(b);
    case 'extension':
      return outbound && a !== null && b !== null;
  }
}

function eventName(event: CallEvent): string {
  return `NOTIFY_${event.kind.toUpperCase()}`;
}

/**
 * Why `event` may not be folded into the call whose notifications so far are `known` (null: it may). Refused:
 * a notification of the wrong direction for its `pbx_call_id` (an inbound NOTIFY_END on an `out_` call — a
 * signature split differently across the concatenated fields), and one whose signed fields disagree with those
 * the call's notifications signed (a captured signature replayed under this call's id).
 * Why: without it one captured signature rewrites any known call (issue 9, finding 4).
 */
export function identityConflict(known: readonly CallEvent[], event: CallEvent): string | null {
  const id = event.pbxCallId;
  const outbound = id.startsWith('out_');
  if (outbound ? !OUTBOUND_KINDS.has(event.kind) : id.startsWith('in_') && !INBOUND_KINDS.has(event.kind)) {
    return `refused: a ${eventName(event)} cannot belong to the ${outbound ? 'outbound' : 'inbound'} call ${id}`;
  }
  const claims = SIGNED_CLAIMS[event.kind];
  if (claims.length === 0) {
    return null;
  }
  if (event.imported) {
    return null; // our own rebuild from the statistics API (already bound to known values): nothing to compare
  }
  for (const other of known) {
    if (other.imported) {
      // Signed nothing: a late webhook fills what the import lacked (its DID) rather than being refused. Nothing
      // opens by it: a call the webhooks never reached could be made up under any id the same way.
      continue;
    }
    const signed = SIGNED_CLAIMS[other.kind];
    for (const claim of claims) {
      if (!signed.includes(claim)) {
        continue;
      }
      const mine = claimOf(event, claim);
      const theirs = claimOf(other, claim);
      if (mine !== theirs && mustAgree(claim, mine, theirs, outbound)) {
        return (
          `refused: ${eventName(event)} signs ${NAMES[claim]} "${mine ?? ''}" but call ${id} was signed with ` +
          `"${theirs ?? ''}" (a captured signature replayed under another call?)`
        );
      }
    }
  }
  return null;
}
