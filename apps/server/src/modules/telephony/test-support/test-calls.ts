/**
 * Test helper: a finished call row (answered, 42 s) handled by an agent on a contact, and its timeline item.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../platform/db/schema.js';
import { newId } from '../../../platform/ids.js';
import { recordActivities } from '../../crm/timeline/record-activity.js';

/** Inserts the call (and, with a contact, its timeline item) and returns its id. Why: visibility suites need calls without a PBX. */
export async function insertTestCall(
  db: Kysely<Database>,
  call: { agentUserId: string | null; contactId: string | null; at?: string },
): Promise<string> {
  const id = newId();
  const at = call.at ?? new Date().toISOString();
  await db
    .insertInto('calls')
    .values({
      id,
      pbx_call_id: `test-${id}`,
      direction: 'inbound',
      status: 'answered',
      call_start: null,
      started_at: at,
      caller_id: '+33612345678',
      destination: '100',
      client_number: '+33612345678',
      client_e164: '+33612345678',
      did_number: null,
      ringing_extensions: '[]',
      origin_extension: null,
      answered_at: at,
      answered_by: '100',
      disposition: 'answered',
      duration: 42,
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
    })
    .execute();
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
