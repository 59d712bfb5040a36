/**
 * The `CallReadModel` port in SQL: the names and notes a list of calls is shown with (three batched reads) and
 * the chart's counts per day (one grouped, indexed query over calls by start time).
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../../platform/db/schema.js';
import type { CallCount, CallReadModel } from '../ports.js';
import { scopeCondition } from './kysely-call-visibility.js';

const CALL_COLUMNS = { agentUserId: 'k.agent_user_id', contactId: 'k.contact_id' } as const;

/** The read model over `db`. */
export function createKyselyCallReadModel(db: Kysely<Database>): CallReadModel {
  return {
    async detailsOf(calls) {
      const contactIds = [...new Set(calls.map((c) => c.contactId).filter((v): v is string => v !== null))];
      const userIds = [...new Set(calls.map((c) => c.agentUserId).filter((v): v is string => v !== null))];
      const callIds = calls.map((c) => c.id);
      const [contacts, users, notes] = await Promise.all([
        contactIds.length > 0
          ? db.selectFrom('contacts').select(['id', 'display_name']).where('id', 'in', contactIds).execute()
          : [],
        userIds.length > 0
          ? db.selectFrom('users').select(['id', 'name']).where('id', 'in', userIds).execute()
          : [],
        callIds.length > 0
          ? db
              .selectFrom('notes')
              .select(['subject_id', 'body'])
              .where('subject_type', '=', 'call')
              .where('subject_id', 'in', callIds)
              // Oldest first: the map keeps each call's latest note.
              .orderBy('created_at')
              .execute()
          : [],
      ]);
      return {
        contactNames: new Map(contacts.map((c) => [c.id, c.display_name])),
        userNames: new Map(users.map((u) => [u.id, u.name])),
        notes: new Map(notes.map((n) => [n.subject_id, n.body])),
      };
    },

    async countByDay({ scope, boundaries, statuses }) {
      const first = boundaries[0];
      const end = boundaries.at(-1);
      if (first === undefined || end === undefined || boundaries.length < 2 || statuses.length === 0) {
        return [];
      }
      const days = boundaries.length - 1;
      // Day index by the first inner boundary the call starts before; ISO text compares in order on SQLite,
      // and PostgreSQL reads the parameters as timestamptz.
      const inner = boundaries.slice(1, -1);
      const dayIndex =
        inner.length === 0
          ? sql<number>`${sql.lit(0)}`
          : sql<number>`case ${sql.join(
              inner.map((boundary, index) => sql`when k.started_at < ${boundary} then ${sql.lit(index)}`),
              sql` `,
            )} else ${sql.lit(days - 1)} end`;
      let inRange = db
        .selectFrom('calls as k')
        .select([dayIndex.as('day_index'), 'k.status'])
        .where('k.started_at', '>=', first)
        .where('k.started_at', '<', end)
        .where('k.status', 'in', statuses as string[]);
      const readable = scopeCondition(scope, CALL_COLUMNS);
      if (readable) {
        inRange = inRange.where(readable);
      }
      const rows = await db
        .selectFrom(inRange.as('r'))
        .select(['r.day_index', 'r.status', (eb) => eb.fn.countAll<number | string>().as('n')])
        .groupBy(['r.day_index', 'r.status'])
        .execute();
      return rows.map(
        (row): CallCount => ({ dayIndex: Number(row.day_index), status: row.status, count: Number(row.n) }),
      );
    },
  };
}
