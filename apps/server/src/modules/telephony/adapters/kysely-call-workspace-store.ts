/**
 * The `CallWorkspaceStore` port on Kysely: calls in progress and missed calls read from the calls table (its
 * partial indexes of migration 0015), the wrap-up in `call_wrap_ups`. Same queries on SQLite and PostgreSQL.
 */
import { type Expression, type Kysely, type SqlBool, sql } from 'kysely';
import type { Database } from '../../../platform/db/schema.js';
import type { CallOutcome, CallWorkspaceStore } from '../ports.js';
import { missedNotReturned } from './missed-call-condition.js';

/** `ringing_extensions` is a JSON array of strings: one extension matches as its quoted form. */
function rangAt(extension: string) {
  return sql<SqlBool>`k.ringing_extensions like ${`%${JSON.stringify(extension)}%`}`;
}

/** The store over `db`. Why: the workspace's reads are a few indexed rows, on any instance. */
export function createKyselyCallWorkspaceStore(db: Kysely<Database>): CallWorkspaceStore {
  async function upsert(
    callId: string,
    values: Partial<Omit<Database['call_wrap_ups'], 'call_id'>>,
  ): Promise<void> {
    await db
      .insertInto('call_wrap_ups')
      .values({
        call_id: callId,
        outcome: null,
        outcome_by: null,
        outcome_at: null,
        missed_dismissed_by: null,
        missed_dismissed_at: null,
        ...values,
      })
      .onConflict((oc) => oc.column('call_id').doUpdateSet(values))
      .execute();
  }

  return {
    async inProgressFor({ userId, extension, ringingSince, inProgressSince }) {
      const rows = await db
        .selectFrom('calls as k')
        .select('k.id')
        .where((eb) =>
          eb.or([
            eb.and([eb('k.status', '=', 'ringing'), eb('k.started_at', '>=', ringingSince)]),
            eb.and([eb('k.status', '=', 'in_progress'), eb('k.started_at', '>=', inProgressSince)]),
          ]),
        )
        .where((eb) => {
          const mine: Expression<SqlBool>[] = [eb('k.agent_user_id', '=', userId)];
          if (extension !== null) {
            mine.push(
              eb('k.answered_by', '=', extension),
              eb('k.origin_extension', '=', extension),
              rangAt(extension),
            );
          }
          return eb.or(mine);
        })
        .orderBy('k.started_at', 'desc')
        .limit(20)
        .execute();
      return rows.map((r) => r.id);
    },

    async missedFor({ userId, extension, since, limit }) {
      const rows = await db
        .selectFrom('calls as k')
        .leftJoin('call_wrap_ups as w', 'w.call_id', 'k.id')
        .select('k.id')
        .where(missedNotReturned('k'))
        .where('k.started_at', '>=', since)
        .where('w.missed_dismissed_at', 'is', null)
        .where((eb) => {
          const mine: Expression<SqlBool>[] = [
            eb(
              'k.contact_id',
              'in',
              eb.selectFrom('contacts').select('id').where('responsible_user_id', '=', userId),
            ),
          ];
          if (extension !== null) {
            mine.push(rangAt(extension));
          }
          return eb.or(mine);
        })
        .orderBy('k.started_at', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => r.id);
    },

    async isResponsibleFor(contactId, userId) {
      const row = await db
        .selectFrom('contacts')
        .select('id')
        .where('id', '=', contactId)
        .where('responsible_user_id', '=', userId)
        .executeTakeFirst();
      return row !== undefined;
    },

    async contactHasNumber(contactId, e164) {
      const row = await db
        .selectFrom('contact_phones')
        .select('id')
        .where('contact_id', '=', contactId)
        .where('e164', '=', e164)
        .executeTakeFirst();
      return row !== undefined;
    },

    async wrapUpOf(callId) {
      const row = await db
        .selectFrom('call_wrap_ups')
        .select(['outcome', 'outcome_by', 'outcome_at'])
        .where('call_id', '=', callId)
        .executeTakeFirst();
      return {
        outcome: (row?.outcome ?? null) as CallOutcome | null,
        outcomeBy: row?.outcome_by ?? null,
        outcomeAt: row?.outcome_at ?? null,
      };
    },

    async setOutcome(callId, outcome, userId, at) {
      await upsert(callId, { outcome, outcome_by: userId, outcome_at: outcome === null ? null : at });
    },

    async dismissMissed(callId, userId, at) {
      await upsert(callId, { missed_dismissed_by: userId, missed_dismissed_at: at });
    },
  };
}
