/**
 * The `NewCallerInbox` port on `new_callers`: a decision is one transaction that first moves the number out of
 * `pending` (the claim: whoever is first) and then creates or changes the CRM record through the CRM's own use
 * cases as the deciding user — their permissions apply, and a refusal rolls the claim back.
 */
import type { Kysely } from 'kysely';
import { actorUserId } from '../../../platform/auth/actor.js';
import { inTransaction } from '../../../platform/db/in-transaction.js';
import type { NewCallerStatus } from '../../../platform/db/schema/after-call.js';
import type { Database } from '../../../platform/db/schema.js';
import { updateContact } from '../../crm/contacts/update-contact.js';
import type { NewCallerInbox, PipelineStages } from '../ports.js';
import { createNewCallerRecord, toNewCaller } from './kysely-new-callers.js';

/** Moves a pending number to `status`; false when someone decided first. */
async function claim(
  trx: Kysely<Database>,
  clientE164: string,
  status: NewCallerStatus,
  decidedBy: string | null,
  at: string,
): Promise<boolean> {
  const claimed = await trx
    .updateTable('new_callers')
    .set({ status, decided_by: decidedBy, decided_at: at })
    .where('client_e164', '=', clientE164)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(claimed.numUpdatedRows) > 0;
}

/** The inbox over the app's database; `defaultCountry` normalises the phones written. */
export function createKyselyNewCallerInbox(
  db: Kysely<Database>,
  defaultCountry: () => Promise<string>,
): NewCallerInbox {
  return {
    async listPending(limit) {
      const rows = await db
        .selectFrom('new_callers')
        .selectAll()
        .where('status', '=', 'pending')
        .orderBy('last_call_at', 'desc')
        .limit(limit)
        .execute();
      return rows.map(toNewCaller);
    },
    async accept(input) {
      const country = await defaultCountry();
      const userId = actorUserId(input.actor);
      return inTransaction(db, async (trx) => {
        if (!(await claim(trx, input.clientE164, 'accepted', userId, input.at))) {
          return null;
        }
        const record = await createNewCallerRecord(trx, {
          clientE164: input.clientE164,
          kind: input.kind,
          pipelineId: null,
          stageId: null,
          ownerId: userId,
          at: input.at,
          actor: input.actor,
          defaultCountry: country,
          ...(input.name ? { name: input.name } : {}),
        });
        await trx
          .updateTable('new_callers')
          .set({ record_type: record.type, record_id: record.id })
          .where('client_e164', '=', input.clientE164)
          .execute();
        return { type: record.type, id: record.id };
      });
    },
    async merge(input) {
      const country = await defaultCountry();
      return inTransaction(db, async (trx) => {
        if (!(await claim(trx, input.clientE164, 'merged', actorUserId(input.actor), input.at))) {
          return false;
        }
        const phones = await trx
          .selectFrom('contact_phones')
          .select(['raw', 'label'])
          .where('contact_id', '=', input.contactId)
          .orderBy('position')
          .execute();
        // The CRM's own use case: the user's right to change the contact applies (a refusal undoes the claim).
        await updateContact({
          db: trx,
          actor: input.actor,
          id: input.contactId,
          patch: { phones: [...phones, { raw: input.clientE164, label: '' }] },
          defaultCountry: country,
          now: new Date(input.at),
        });
        await trx
          .updateTable('new_callers')
          .set({ record_type: 'contact', record_id: input.contactId })
          .where('client_e164', '=', input.clientE164)
          .execute();
        return true;
      });
    },
    async decline(input) {
      return inTransaction(db, (trx) =>
        claim(trx, input.clientE164, 'declined', actorUserId(input.actor), input.at),
      );
    },
  };
}

/** Whether a deal rule's pipeline and stage exist (the stage open and in that pipeline). */
export function createKyselyPipelineStages(db: Kysely<Database>): PipelineStages {
  return {
    async exists(pipelineId, stageId) {
      if (stageId === null) {
        if (pipelineId === null) {
          return true;
        }
        return (
          (await db.selectFrom('pipelines').select('id').where('id', '=', pipelineId).executeTakeFirst()) !==
          undefined
        );
      }
      let query = db
        .selectFrom('pipeline_stages')
        .select('id')
        .where('id', '=', stageId)
        .where('kind', '=', 'open');
      if (pipelineId !== null) {
        query = query.where('pipeline_id', '=', pipelineId);
      }
      return (await query.executeTakeFirst()) !== undefined;
    },
  };
}
