/**
 * Test helper: a finished call row (answered, 42 s) handled by an agent on a contact, and its timeline item.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../platform/db/schema.js';
import { newId } from '../../../platform/ids.js';
import { recordActivities } from '../../crm/timeline/record-activity.js';
import { kyselyMissedFates } from '../adapters/missed-call-fates.js';
import { createSummedUpserts, kyselySummedUpserts } from '../adapters/summed-upserts.js';

/** Inserts the call (and, with a contact, its timeline item) and returns its id. Why: visibility suites need calls without a PBX. */
export async function insertTestCall(
  db: Kysely<Database>,
  call: {
    agentUserId: string | null;
    contactId: string | null;
    at?: string;
    /** Default `answered`; `missed` leaves it unanswered. */
    status?: 'answered' | 'missed';
    direction?: 'inbound' | 'outbound';
    clientE164?: string;
    ringingExtensions?: readonly string[];
  },
): Promise<string> {
  const id = newId();
  const at = call.at ?? new Date().toISOString();
  const answered = (call.status ?? 'answered') === 'answered';
  const client = call.clientE164 ?? '+33612345678';
  await db
    .insertInto('calls')
    .values({
      id,
      pbx_call_id: `test-${id}`,
      direction: call.direction ?? 'inbound',
      status: call.status ?? 'answered',
      call_start: null,
      started_at: at,
      caller_id: client,
      destination: '100',
      client_number: client,
      client_e164: client,
      did_number: null,
      ringing_extensions: JSON.stringify(call.ringingExtensions ?? []),
      origin_extension: null,
      answered_at: answered ? at : null,
      answered_by: answered ? '100' : null,
      disposition: answered ? 'answered' : 'no answer',
      duration: answered ? 42 : 0,
      status_code: null,
      ended_at: at,
      is_recorded: 0,
      recording_ids: '[]',
      calltype: null,
      events: '[]',
      contact_id: call.contactId,
      agent_user_id: call.agentUserId,
      version: 1,
      created_at: at,
      updated_at: at,
      outcome: answered ? 'answered' : 'no_answer',
    })
    .execute();
  // What the fold keeps beside the row: missed calls' returns (the one "missed and not returned" rule reads them).
  const rollups = createSummedUpserts();
  await kyselyMissedFates(
    db,
    null,
    {
      id,
      client_e164: client,
      started_at: at,
      direction: call.direction ?? 'inbound',
      status: call.status ?? 'answered',
      outcome: answered ? 'answered' : 'no_answer',
      agent_extension: null,
      return_at: null,
      return_direction: null,
    },
    { advisoryLocks: false, rollups },
  );
  await kyselySummedUpserts(db, rollups.take());
  if (call.contactId) {
    await recordActivities(db, [
      {
        subjectType: 'contact',
        subjectId: call.contactId,
        kind: 'call',
        actorId: call.agentUserId,
        at,
        title: `Incoming call — answered, 0:42 (${id})`,
        ref: { type: 'call', id },
      },
    ]);
  }
  return id;
}

/**
 * A call as the owner-chain suites (CallerHistory, CallerFactsReader) describe it: answered, missed, or busy (a
 * missed call whose status the PBX named busy). Why one helper: both suites wrote the same insert and update.
 */
export async function insertCallerCall(
  db: Kysely<Database>,
  call: {
    readonly e164: string;
    readonly contactId: string | null;
    readonly agentUserId: string | null;
    readonly at: string;
    readonly direction: 'inbound' | 'outbound';
    readonly status: 'answered' | 'missed' | 'busy';
  },
): Promise<void> {
  const id = await insertTestCall(db, {
    agentUserId: call.agentUserId,
    contactId: call.contactId,
    at: call.at,
    direction: call.direction,
    status: call.status === 'answered' ? 'answered' : 'missed',
    clientE164: call.e164,
  });
  if (call.status === 'busy') {
    await db.updateTable('calls').set({ status: 'busy' }).where('id', '=', id).execute();
  }
}
