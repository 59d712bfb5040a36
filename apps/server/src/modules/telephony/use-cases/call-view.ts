/**
 * Calls as the API shows them (api-contract-telephony.md `CallView`): the stored fold plus the linked contact's
 * and agent's names and the note written during the call (a `notes` row with subject `call`).
 */
import type { CallReadModel, StoredCall } from '../ports.js';

type ApiCallStatus =
  | 'ringing'
  | 'in_progress'
  | 'answered'
  | 'missed'
  | 'busy'
  | 'failed'
  | 'no_answer'
  | 'unknown';

export interface CallView {
  readonly id: string;
  readonly pbxCallId: string;
  readonly direction: 'in' | 'out';
  readonly status: ApiCallStatus;
  readonly clientNumber: string | null;
  readonly clientE164: string | null;
  readonly contact: { id: string; displayName: string } | null;
  readonly agent: { id: string; name: string } | null;
  readonly extension: string | null;
  readonly startedAt: string;
  readonly answeredAt: string | null;
  readonly endedAt: string | null;
  readonly duration: number | null;
  readonly disposition: string | null;
  readonly isRecorded: boolean;
  readonly note: string;
}

/** `outbound` → `out`; inbound and unknown → `in`. */
export function toApiDirection(direction: string): 'in' | 'out' {
  return direction === 'outbound' ? 'out' : 'in';
}

/** The extension that handled the call: who talked, else the placing or last ringing extension. */
export function callExtension(call: StoredCall): string | null {
  return call.answeredBy ?? call.originExtension ?? call.ringingExtensions.at(-1) ?? null;
}

/**
 * Builds the views of stored calls with the read model's batched lookups (names, notes).
 * Why: lists of 50 calls must not cost 150 queries.
 */
export async function toCallViews(
  readModel: CallReadModel,
  calls: readonly StoredCall[],
): Promise<CallView[]> {
  if (calls.length === 0) {
    return [];
  }
  const { contactNames, userNames, notes } = await readModel.detailsOf(calls);
  return calls.map((call) => {
    const contactName = call.contactId ? contactNames.get(call.contactId) : undefined;
    const agentName = call.agentUserId ? userNames.get(call.agentUserId) : undefined;
    return {
      id: call.id,
      pbxCallId: call.pbxCallId,
      direction: toApiDirection(call.direction),
      status: call.status,
      clientNumber: call.clientNumber,
      clientE164: call.clientE164,
      contact:
        call.contactId && contactName !== undefined ? { id: call.contactId, displayName: contactName } : null,
      agent: call.agentUserId && agentName !== undefined ? { id: call.agentUserId, name: agentName } : null,
      extension: callExtension(call),
      startedAt: call.startedAt ?? call.createdAt,
      answeredAt: call.answeredAt,
      endedAt: call.endedAt,
      duration: call.duration,
      disposition: call.disposition,
      isRecorded: call.isRecorded,
      note: notes.get(call.id) ?? '',
    };
  });
}

/** Minutes and seconds, `1:07`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
