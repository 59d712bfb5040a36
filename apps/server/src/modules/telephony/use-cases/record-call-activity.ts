/**
 * Puts a finished call on its contact's timeline (`kind: 'call'`, `ref: {type: 'call', id}`), replacing the
 * item when a late or repeated notification changes the outcome, so each call appears once.
 */
import type { CallTimeline, CallTimelineItem, ExtensionDirectory, StoredCall } from '../ports.js';
import { formatDuration } from './call-view.js';

const FINAL = new Set(['answered', 'missed', 'busy', 'failed', 'no_answer']);

/** The timeline title, e.g. "Incoming call — answered by Olga, 1:07". */
function callTitle(call: StoredCall, agentName: string | null): string {
  const kind = call.direction === 'outbound' ? 'Outgoing call' : 'Incoming call';
  switch (call.status) {
    case 'answered': {
      const who = agentName ?? (call.answeredBy ? `extension ${call.answeredBy}` : null);
      const length = call.duration !== null ? `, ${formatDuration(call.duration)}` : '';
      return who ? `${kind} — answered by ${who}${length}` : `${kind} — answered${length}`;
    }
    case 'missed':
      return `${kind} — missed`;
    case 'no_answer':
      return `${kind} — no answer`;
    case 'busy':
      return `${kind} — busy`;
    case 'failed':
      return `${kind} — failed (${call.disposition ?? 'unknown'})`;
    default:
      return kind;
  }
}

/** The structured form of `callTitle`, e.g. `{type:'call.ended', params:{direction:'in', status:'answered', agent:'Olga', duration:67}}`. Why: clients phrase it in the reader's language. */
function callEvent(call: StoredCall, agentName: string | null): CallTimelineItem['event'] {
  const params: Record<string, string | number> = {
    direction: call.direction === 'outbound' ? 'out' : 'in',
    status: call.status,
  };
  if (agentName) {
    params.agent = agentName;
  } else if (call.answeredBy) {
    params.extension = call.answeredBy;
  }
  if (call.duration !== null) {
    params.duration = call.duration;
  }
  if (call.status === 'failed') {
    params.disposition = call.disposition ?? 'unknown';
  }
  return { type: 'call.ended', params };
}

/**
 * Writes (or rewrites) the call's item on its contact's timeline once the call has ended.
 * Why: the contact page shows every call with its outcome (issue 5).
 */
export async function recordCallActivity(
  ports: { readonly timeline: CallTimeline; readonly directory: ExtensionDirectory },
  call: StoredCall,
): Promise<void> {
  if (!call.contactId || !FINAL.has(call.status)) {
    return;
  }
  const agentName = call.agentUserId ? await ports.directory.nameOf(call.agentUserId) : null;
  await ports.timeline.putCall({
    callId: call.id,
    contactId: call.contactId,
    actorId: call.agentUserId,
    at: call.startedAt ?? call.createdAt,
    title: callTitle(call, agentName),
    event: callEvent(call, agentName),
    payload: { status: call.status, duration: call.duration, disposition: call.disposition },
  });
}
