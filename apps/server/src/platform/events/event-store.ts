/**
 * The `events` table behind both event bus adapters: append, read by id, read since an id, prune.
 */
import type { Kysely, Selectable } from 'kysely';
import type { EventsTable } from '../db/schema/telephony.js';
import type { Database } from '../db/schema.js';
import type { BusEvent, EventFilter } from './event-bus.js';
import { matchesFilter } from './event-bus.js';

const DEFAULT_REPLAY_LIMIT = 1000;

/** Maps a row of `events` to a BusEvent (the payload is JSON text). */
export function toBusEvent(row: Selectable<EventsTable>): BusEvent {
  return {
    id: Number(row.id),
    topic: row.topic,
    payload: JSON.parse(row.payload),
    createdAt: row.created_at,
  };
}

/**
 * Inserts an event and returns it with its new id.
 * Why: the id is the replay cursor; it must exist before anyone is told about the event.
 */
export async function appendEvent<T>(
  db: Kysely<Database>,
  topic: string,
  payload: T,
  now: string,
): Promise<BusEvent<T>> {
  const row = await db
    .insertInto('events')
    .values({ topic, payload: JSON.stringify(payload) ?? 'null', created_at: now })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toBusEvent(row) as BusEvent<T>;
}

/** Reads one event by id (null once pruned). Why: a NOTIFY carries only the id. */
export async function readEvent(db: Kysely<Database>, id: number): Promise<BusEvent | null> {
  const row = await db.selectFrom('events').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toBusEvent(row) : null;
}

/**
 * Events after `afterId`, oldest first; topics are filtered in SQL, `match` in process.
 * Why: SSE `Last-Event-ID` replay and catching up after a lost LISTEN connection.
 */
export async function readEventsSince(
  db: Kysely<Database>,
  afterId: number,
  filter: (EventFilter & { readonly limit?: number }) | undefined,
): Promise<BusEvent[]> {
  let q = db.selectFrom('events').selectAll().where('id', '>', afterId);
  if (filter?.topics) {
    if (filter.topics.length === 0) {
      return [];
    }
    q = q.where('topic', 'in', filter.topics);
  }
  const rows = await q
    .orderBy('id')
    .limit(filter?.limit ?? DEFAULT_REPLAY_LIMIT)
    .execute();
  return rows
    .map(toBusEvent)
    .filter((event) => matchesFilter(event, filter?.match ? { match: filter.match } : undefined));
}

/**
 * Deletes events created before `before` (ISO instant), at most `limit` of them (oldest ids first) when given;
 * returns how many. Ids are never reused (AUTOINCREMENT / bigserial), so a client replaying from a pruned id
 * simply gets what remains.
 * Why: retention — the table only needs to cover SSE reconnect windows; a bounded delete never holds the
 * write lock for long (modules/telephony/adapters/inbox-retention.ts calls it chunk by chunk).
 */
export async function pruneEvents(db: Kysely<Database>, before: string, limit?: number): Promise<number> {
  const result =
    limit === undefined
      ? await db.deleteFrom('events').where('created_at', '<', before).executeTakeFirst()
      : await db
          .deleteFrom('events')
          .where('id', 'in', (eb) =>
            eb.selectFrom('events').select('id').where('created_at', '<', before).orderBy('id').limit(limit),
          )
          .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The highest id stored (0 when empty). Why: where a fresh listener starts its catch-up cursor. */
export async function latestEventId(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('events')
    .select((eb) => eb.fn.max('id').as('max'))
    .executeTakeFirst();
  return Number(row?.max ?? 0);
}
