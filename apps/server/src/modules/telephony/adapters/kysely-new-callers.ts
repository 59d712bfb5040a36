/**
 * The `NewCallers` port on `new_callers` (one row per number: pending in the inbox, or what was decided) and
 * `new_caller_calls` (each call counted once). A record is created only by the one transaction that moves the
 * number from `pending` to `created`, through the CRM's own create use cases as the given actor — so two calls
 * from one new number at once make one record, on both dialects.
 */
import type { Kysely } from 'kysely';
import { inTransaction } from '../../../platform/db/in-transaction.js';
import { preparedQuery } from '../../../platform/db/prepared-query.js';
import type { NewCallersTable } from '../../../platform/db/schema/after-call.js';
import type { Database } from '../../../platform/db/schema.js';
import { createContact } from '../../crm/contacts/create-contact.js';
import { createDeal } from '../../crm/deals/create-deal.js';
import { createLead } from '../../crm/leads/create-lead.js';
import type { NewCaller, NewCallerRecordRequest, NewCallers } from '../ports.js';

/** A stored row as the port's `NewCaller`. */
export function toNewCaller(row: NewCallersTable): NewCaller {
  return {
    clientE164: row.client_e164,
    status: row.status,
    calls: Number(row.calls),
    shortCalls: Number(row.short_calls),
    firstCallId: row.first_call_id,
    lastCallId: row.last_call_id,
    lastDirection: row.last_direction === 'outbound' ? 'outbound' : 'inbound',
    lastStatus: row.last_status,
    agentUserId: row.agent_user_id,
    recordType: row.record_type,
    recordId: row.record_id,
    firstCallAt: row.first_call_at,
    lastCallAt: row.last_call_at,
  };
}

/**
 * Creates the records of a new number in `trx` through the CRM's use cases: a contact named from the number
 * (its phone is what makes the next call known), and the lead or deal with it.
 */
export async function createNewCallerRecord(
  trx: Kysely<Database>,
  request: NewCallerRecordRequest & { readonly defaultCountry: string; readonly name?: string },
): Promise<{ type: 'contact' | 'lead' | 'deal'; id: string; contactId: string }> {
  const { actor } = request;
  const now = new Date(request.at);
  const name = request.name?.trim() || request.clientE164;
  const contact = await createContact({
    db: trx,
    actor,
    input: {
      firstName: '',
      lastName: '',
      displayName: name,
      phones: [{ raw: request.clientE164, label: 'work' }],
      emails: [],
      notes: '',
      doNotCall: false,
      responsibleUserId: request.ownerId,
    },
    defaultCountry: request.defaultCountry,
    now,
  });
  if (request.kind === 'lead') {
    const lead = await createLead({
      db: trx,
      actor,
      input: {
        title: name,
        notes: '',
        source: 'call',
        status: 'new',
        contactId: contact.id,
        responsibleUserId: request.ownerId,
      },
      now,
    });
    return { type: 'lead', id: lead.id, contactId: contact.id };
  }
  if (request.kind === 'deal') {
    const deal = await createDeal({
      db: trx,
      actor,
      input: {
        title: name,
        amount: 0,
        contactId: contact.id,
        responsibleUserId: request.ownerId,
        ...(request.pipelineId ? { pipelineId: request.pipelineId } : {}),
        ...(request.stageId ? { stageId: request.stageId } : {}),
      },
      now,
    });
    return { type: 'deal', id: deal.id, contactId: contact.id };
  }
  return { type: 'contact', id: contact.id, contactId: contact.id };
}

// Prepared once (platform/db/prepared-query.ts): the after-call job runs them for every call of a new number.
const countNewCallerCall = preparedQuery((db, callId: string, clientE164: string) =>
  db
    .insertInto('new_caller_calls')
    .values({ call_id: callId, client_e164: clientE164 })
    .onConflict((oc) => oc.column('call_id').doNothing()),
);
const upsertNewCaller = preparedQuery(
  (
    db,
    clientE164: string,
    short: number,
    callId: string,
    direction: 'inbound' | 'outbound',
    status: string,
    agentUserId: string | null,
    at: string,
  ) =>
    db
      .insertInto('new_callers')
      .values({
        client_e164: clientE164,
        status: 'pending',
        calls: 1,
        short_calls: short,
        first_call_id: callId,
        last_call_id: callId,
        last_direction: direction,
        last_status: status,
        agent_user_id: agentUserId,
        record_type: null,
        record_id: null,
        decided_by: null,
        decided_at: null,
        first_call_at: at,
        last_call_at: at,
      })
      .onConflict((oc) =>
        oc.column('client_e164').doUpdateSet((eb) => ({
          calls: eb('new_callers.calls', '+', 1),
          short_calls: eb('new_callers.short_calls', '+', eb.ref('excluded.short_calls')),
          last_call_id: eb.ref('excluded.last_call_id'),
          last_direction: eb.ref('excluded.last_direction'),
          last_status: eb.ref('excluded.last_status'),
          last_call_at: eb.ref('excluded.last_call_at'),
          agent_user_id: eb.fn.coalesce('excluded.agent_user_id', 'new_callers.agent_user_id'),
        })),
      )
      .returningAll(),
);
const newCallerOf = preparedQuery((db, clientE164: string) =>
  db.selectFrom('new_callers').selectAll().where('client_e164', '=', clientE164),
);

/** The new callers over the app's database; `defaultCountry` normalises the contact's phone. */
export function createKyselyNewCallers(
  db: Kysely<Database>,
  defaultCountry: () => Promise<string>,
): NewCallers {
  return {
    noteCall(input) {
      return inTransaction(db, async (trx) => {
        const inserted = await countNewCallerCall(trx, input.callId, input.clientE164);
        const counted = Number(inserted.numAffectedRows ?? 0) > 0;
        if (counted) {
          // The upsert answers the row as it now is: no second read.
          const [row] = (
            await upsertNewCaller(
              trx,
              input.clientE164,
              input.short ? 1 : 0,
              input.callId,
              input.direction,
              input.status,
              input.agentUserId,
              input.at,
            )
          ).rows;
          if (row) {
            return { caller: toNewCaller(row), counted };
          }
        }
        const [row] = (await newCallerOf(trx, input.clientE164)).rows;
        if (!row) {
          throw new Error(`new caller ${input.clientE164} not stored`);
        }
        return { caller: toNewCaller(row), counted };
      });
    },
    async createRecord(request) {
      const country = await defaultCountry();
      return inTransaction(db, async (trx) => {
        const claimed = await trx
          .updateTable('new_callers')
          .set({ status: 'created', decided_at: request.at })
          .where('client_e164', '=', request.clientE164)
          .where('status', '=', 'pending')
          .executeTakeFirst();
        if (Number(claimed.numUpdatedRows) === 0) {
          return null;
        }
        const record = await createNewCallerRecord(trx, { ...request, defaultCountry: country });
        await trx
          .updateTable('new_callers')
          .set({ record_type: record.type, record_id: record.id })
          .where('client_e164', '=', request.clientE164)
          .execute();
        return { type: record.type, id: record.id };
      });
    },
  };
}
