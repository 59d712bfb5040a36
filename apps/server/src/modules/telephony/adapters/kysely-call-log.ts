/**
 * Kysely adapter of `CallLogReader`: the call log's keyset pages over the calls table, newest or oldest first, and
 * the calls a missed call's fate is decided by. A page is planned so that its cost is bounded by the page, not by
 * how rare the filters are (ARCHITECTURE.md "How a page is planned"): one ordered stream per direction × outcome ×
 * recorded value the filters allow, on migration 0021's indexes, merged by start time; a client, a contact or a
 * transcript's calls on their own index; an agent's own calls and their clients' calls as two branches.
 */
import { type Kysely, type RawBuilder, type SelectQueryBuilder, type SqlBool, sql } from 'kysely';
import type { Actor } from '../../../platform/auth/actor.js';
import { dialectOf } from '../../../platform/db/column-types.js';
import type { Database } from '../../../platform/db/schema.js';
import { eventFromPayload } from '../../crm/timeline/record-activity.js';
import { type CallOutcome, MISSED_OUTCOMES } from '../domain/call-outcome.js';
import { hoursOfWeekTouched, weeklyRuns } from '../domain/local-hour-slots.js';
import { isConnectedStatus } from '../domain/missed-call-classification.js';
import type { CallLogFilter, CallLogQuery, CallLogReader, CallTraceEntry, StoredCall } from '../ports.js';
import { callReadScope } from '../use-cases/call-visibility.js';
import { toStoredCall } from './call-row-fold.js';
import { MAX_TRACE_ENTRIES } from './call-trace-entries.js';
import { readCallReadPolicy } from './kysely-call-visibility.js';
import { missedCall, missedCallOfClass, missedNotReturned, returnOfClass } from './missed-call-condition.js';

const MAX_PAGE = 500;

/** The values the fold writes into the stream columns (fold-call.ts `CallDirection`, call-outcome.ts `CallOutcome`). */
const DIRECTIONS = ['inbound', 'outbound', 'unknown'] as const;
const OUTCOMES = [
  'live',
  'answered',
  'no_answer',
  'busy',
  'cancelled',
  'ivr_hangup',
  'failed',
  'blacklisted',
  'unknown',
] as const satisfies readonly CallOutcome[];

/**
 * `not (column = a or column = b …)`: a value none of `values` is. Not `not in (…)`: SQLite builds an `in` list of
 * more than two constants as a temporary B-tree each time a partial index's predicate is checked on a write
 * (migration 0042).
 */
function noneOf(column: string, values: readonly string[]): string {
  return `not (${values.map((v) => `${column} = ${v}`).join(' or ')})`;
}

/**
 * The calls no stream of (direction, outcome, recorded) values names: rows folded before migration 0011 whose
 * outcome is not derived yet, or a value written by hand. Migration 0042's `calls_log_odd_idx` (0021's, rewritten without `in` lists) repeats it verbatim
 * (a test holds them equal), so this last stream is an index seek too — on an empty index, as a rule.
 */
export const ODD_CALL_PREDICATE = `outcome is null or ${noneOf(
  'outcome',
  OUTCOMES.map((o) => `'${o}'`),
)} or ${noneOf(
  'direction',
  DIRECTIONS.map((d) => `'${d}'`),
)} or ${noneOf('is_recorded', ['0', '1'])}`;

/** A range of start times a query reads; with `hoursOfWeek`, only its calls on those UTC hours of the week. */
interface Span {
  readonly from?: string;
  readonly to?: string;
  readonly hoursOfWeek?: readonly number[] | null;
}

/**
 * A call's UTC hour of the week as `weeklyRuns` counts it: whole hours since 1970, modulo a week. Written as
 * migration 0039's `calls_missed_hour_idx` writes it (a test holds them equal), so both databases match the index;
 * on PostgreSQL through `at time zone 'UTC'`, the immutable form an index accepts.
 */
export const HOUR_OF_WEEK_SQL = {
  sqlite: "((cast(strftime('%s', k.started_at) as integer) / 3600) % 168)",
  postgres: "((floor(extract(epoch from (k.started_at at time zone 'UTC')) / 3600))::bigint % 168)",
} as const;

function hourOfWeek(sqlite: boolean) {
  return sql<number>`${sql.raw(HOUR_OF_WEEK_SQL[sqlite ? 'sqlite' : 'postgres'])}`;
}

type CallsQuery = SelectQueryBuilder<Database & { k: Database['calls'] }, 'k', object>;

/** One ordered index range: the equalities that pin an index prefix (a null value: none). */
interface Stream {
  readonly direction: string | null;
  readonly outcome: string | null;
  readonly recorded: 0 | 1 | null;
  /** The stream of the calls none of the others names. */
  readonly odd?: true;
}

/**
 * The streams a query reads: one per (direction, outcome, recorded) value its filters allow when it filters on
 * any of them — each an ordered range of migration 0021's indexes, so a combination that matches nothing costs a
 * few seeks instead of a walk to the end of the start-time index — else one stream (the start-time order itself).
 */
export function callLogStreams(query: CallLogFilter): Stream[] {
  const missedOnly = query.notReturned === true || query.outcome === 'missed' || query.fate !== undefined;
  const filtersDims =
    query.direction !== undefined ||
    query.outcome !== undefined ||
    query.hasRecording !== undefined ||
    missedOnly;
  if (!filtersDims) {
    return [{ direction: null, outcome: null, recorded: null }];
  }
  const directions = DIRECTIONS.filter(
    (d) =>
      (query.direction === undefined || (query.direction === 'out') === (d === 'outbound')) &&
      (!missedOnly || d !== 'outbound'),
  );
  const outcomes = OUTCOMES.filter(
    (o) =>
      (query.outcome === undefined || query.outcome === 'missed' || query.outcome === o) &&
      (!missedOnly || MISSED_OUTCOMES.includes(o)),
  );
  const recorded =
    query.hasRecording === undefined ? ([0, 1] as const) : ([query.hasRecording ? 1 : 0] as const);
  const streams: Stream[] = [];
  for (const direction of directions) {
    for (const outcome of outcomes) {
      for (const r of recorded) {
        streams.push({ direction, outcome, recorded: r });
      }
    }
  }
  streams.push({ direction: null, outcome: null, recorded: null, odd: true });
  return streams;
}

/**
 * Every filter of `query` but the reader's visibility, as conditions on `q` (alias `k`). `pinned`: the query reads
 * one stream, whose equalities already say the direction, outcome and recorded filters — not repeated, since a
 * repeated term misleads SQLite's planner into sorting the whole stream (a skip-scan instead of its order).
 */
function filtered(
  q: CallsQuery,
  query: CallLogQuery,
  pinned: boolean,
  dialect: 'sqlite' | 'postgres',
): CallsQuery {
  let out = q.where('k.started_at', 'is not', null);
  if (query.from) {
    out = out.where('k.started_at', '>=', query.from);
  }
  if (query.to) {
    out = out.where('k.started_at', '<', query.to);
  }
  if (query.extension) {
    out = out.where('k.agent_extension', '=', query.extension);
  }
  if (query.userId) {
    out = out.where('k.agent_user_id', '=', query.userId);
  }
  if (query.direction && !pinned) {
    out =
      query.direction === 'out'
        ? out.where('k.direction', '=', 'outbound')
        : out.where('k.direction', '!=', 'outbound');
  }
  if (pinned) {
    // The stream's direction and outcome are a missed call's when the filter asks for one.
    if (query.notReturned) {
      out = out.where('k.return_at', 'is', null);
    }
  } else if (query.notReturned) {
    out = out.where(missedNotReturned('k'));
  } else if (query.outcome === 'missed') {
    out = out.where(missedCall('k'));
  }
  if (query.fate) {
    // One class of missed calls (statistics' figures open exactly theirs): the SQL of `classifyReturn` over the
    // stored return — on a pinned stream its return part alone (the stream is a missed call's, as for
    // `notReturned`).
    const { class: missedClass, returnWithinMinutes } = query.fate;
    out = out.where(
      pinned
        ? returnOfClass('k', missedClass, returnWithinMinutes, dialect)
        : missedCallOfClass('k', missedClass, returnWithinMinutes, dialect),
    );
  }
  if (query.outcome && query.outcome !== 'missed' && !pinned) {
    out = out.where('k.outcome', '=', query.outcome);
  }
  if (query.contactId) {
    out = out.where('k.contact_id', '=', query.contactId);
  }
  if (query.clientE164) {
    out = out.where('k.client_e164', '=', query.clientE164);
  }
  if (query.callIds) {
    out = out.where('k.id', 'in', query.callIds);
  }
  if (query.hasRecording !== undefined && !pinned) {
    out = out.where('k.is_recorded', '=', query.hasRecording ? 1 : 0);
  }
  if (query.after) {
    // `<=` first: an index range on the start time, whatever the planner makes of the OR after it.
    const { startedAt, id } = query.after;
    out =
      query.order === 'newest'
        ? out
            .where('k.started_at', '<=', startedAt)
            .where(sql<SqlBool>`(k.started_at < ${startedAt} or k.id < ${id})`)
        : out
            .where('k.started_at', '>=', startedAt)
            .where(sql<SqlBool>`(k.started_at > ${startedAt} or k.id > ${id})`);
  }
  return out;
}

/** `q` narrowed to one stream's index prefix. */
function onStream(q: CallsQuery, stream: Stream): CallsQuery {
  if (stream.odd) {
    return q.where(
      sql<SqlBool>`(${sql.raw(ODD_CALL_PREDICATE.replace(/\b(direction|outcome|is_recorded)\b/g, 'k.$1'))})`,
    );
  }
  let out = q;
  if (stream.direction !== null) {
    out = out.where('k.direction', '=', stream.direction);
  }
  if (stream.outcome !== null) {
    out = out.where('k.outcome', '=', stream.outcome);
  }
  if (stream.recorded !== null) {
    out = out.where('k.is_recorded', '=', stream.recorded);
  }
  return out;
}

/** Whether any call is one no stream of values names (as a rule none: the probe reads an empty index). */
async function hasOddCalls(db: Kysely<Database>): Promise<boolean> {
  const row = await db
    .selectFrom('calls')
    .select('id')
    .where(sql<SqlBool>`(${sql.raw(ODD_CALL_PREDICATE)})`)
    // In the index's order: else PostgreSQL, guessing odd calls common, scans the table for one (seconds).
    .orderBy('started_at')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** A call of a page and its start time as its row stores it (what the page is ordered by). */
interface StartedCall {
  readonly call: StoredCall;
  readonly startedAt: string;
}

function startedCall(row: Parameters<typeof toStoredCall>[0] & { started_at: string | null }): StartedCall {
  return { call: toStoredCall(row), startedAt: row.started_at as string };
}

/** A bounded read's first chunk of ids, in pages. */
const FIRST_CHUNK_PAGES = 2;

/** Whether (a, aId) comes before (b, bId) newest first: a later start, or the same start and a larger id. */
function isNewer(a: number, aId: string, b: number, bId: string): boolean {
  return a > b || (a === b && aId > bId);
}

/**
 * The page of `callIds` newest first, read a chunk of ids at a time — the ids with no bound first, then the others
 * by bound, latest first — until the page is full and the next id's bound is older than the page's last row: a
 * call started at or before its bound, so no id left can come before that row. Why: a transcript search names up to
 * 1,000 calls, each two seeks into the calls table (a rowid table with a text key: its key's index, then the row)
 * at random places of a file of gigabytes, and the page needs the newest few of those that match. The first chunk
 * is two pages' worth; each next one what the rows still missing need at the rate the filters matched so far, and
 * a quarter more (twice the last when none matched yet): a filter matching one call in k reads about k pages'
 * worth in two or three queries, one that matches none reads every id as before. Oldest first has no such bound to
 * stop by (a start can move earlier than any bound says): there the ids are read at once.
 */
async function pageByStartBounds(
  planned: (reader: Actor, query: CallLogQuery) => Promise<StartedCall[]>,
  reader: Actor,
  query: CallLogQuery,
  callIds: readonly string[],
  bounds: ReadonlyMap<string, string>,
): Promise<StartedCall[]> {
  const limit = Math.min(Math.max(query.limit, 1), MAX_PAGE);
  const unbounded: string[] = [];
  const bounded: { id: string; at: number }[] = [];
  for (const id of new Set(callIds)) {
    const bound = bounds.get(id);
    if (bound === undefined) {
      unbounded.push(id);
    } else {
      bounded.push({ id, at: Date.parse(bound) });
    }
  }
  bounded.sort((a, b) => (isNewer(a.at, a.id, b.at, b.id) ? -1 : 1));
  const ids = [...unbounded.map((id) => ({ id, at: Number.POSITIVE_INFINITY })), ...bounded];
  let page: (StartedCall & { at: number })[] = [];
  let read = 0;
  let matched = 0;
  let size = limit * FIRST_CHUNK_PAGES;
  while (read < ids.length) {
    const chunk = ids.slice(read, read + size).map((c) => c.id);
    read += chunk.length;
    const rows = await planned(reader, { ...query, callIds: chunk });
    matched += rows.length;
    page = [...page, ...rows.map((r) => ({ ...r, at: Date.parse(r.startedAt) }))]
      .sort((a, b) => (isNewer(a.at, a.call.id, b.at, b.call.id) ? -1 : 1))
      .slice(0, limit);
    const next = ids[read];
    const last = page.at(-1);
    if (!next || (last && page.length >= limit && isNewer(last.at, last.call.id, next.at, next.id))) {
      break;
    }
    size =
      matched === 0 ? size * 2 : Math.max(limit, Math.ceil(((limit - page.length) * read * 1.25) / matched));
  }
  return page;
}

/** Creates the call log reader over the app's database (either dialect). */
export function createKyselyCallLog(db: Kysely<Database>): CallLogReader {
  const sqlite = dialectOf(db as Kysely<unknown>) === 'sqlite';
  /** A page as one plan (every id of `callIds` read when given), each call with its start time as stored. */
  const planned = async (reader: Actor, query: CallLogQuery): Promise<StartedCall[]> => {
    const limit = Math.min(Math.max(query.limit, 1), MAX_PAGE);
    const newest = query.order === 'newest';
    const direction = newest ? 'desc' : 'asc';
    let scope = callReadScope(reader);
    // No call is in an empty list (and `in ()` is not SQL on PostgreSQL).
    if (scope.kind === 'none' || query.callIds?.length === 0) {
      return [];
    }
    if (scope.kind === 'agent') {
      // Read here rather than inside the query: the visibility then splits into two ordered streams below.
      scope = callReadScope(reader, await readCallReadPolicy(db));
    }
    // A client, a contact or a transcript's calls are few: one query, on the index of that value.
    const narrow =
      query.clientE164 !== undefined || query.contactId !== undefined || query.callIds !== undefined;
    const single: Stream[] = [{ direction: null, outcome: null, recorded: null }];
    // A class of calls we returned, by its delay (migration 0029's index): one range over the delay, the class's
    // few calls sorted, instead of each missed stream walked by start time to its end for the rare returns.
    const byReturnDelay =
      query.fate?.class === 'returned_within_n' || query.fate?.class === 'returned_within_24h';
    let streams = narrow || byReturnDelay ? single : callLogStreams(query);
    // The odd calls' stream only when there are any (one probe of an empty index): PostgreSQL guesses that
    // stream large, and compiles the whole query (JIT, hundreds of milliseconds) for it.
    if (streams.some((s) => s.odd) && !(await hasOddCalls(db))) {
      streams = streams.filter((s) => !s.odd);
    }
    const own = scope.kind === 'agent' ? scope.userId : null;
    // Missed calls on some hours of the week (a heatmap cell's weekly run): one range of migration 0039's index,
    // the cell's missed calls of the span newest first, instead of sixteen streams each computing every row's
    // hour — and on PostgreSQL two arms to plan instead of seventeen.
    const missedOnly = query.notReturned === true || query.outcome === 'missed' || query.fate !== undefined;
    const byHour = (range: Span) => missedOnly && !narrow && !byReturnDelay && Boolean(range.hoursOfWeek);
    // An agent's clients' missed calls not returned: on the partial index of those calls by contact (migration
    // 0025), a few of each client's instead of every call of every client, read from the index alone (0032).
    const openMissedOnly = query.notReturned === true || query.fate?.class === 'not_returned';
    /** A stream's query, on the index that keeps it bounded (SQLite is told: it has no statistics by default). */
    const arm = (stream: Stream, range: Span, extra: (q: CallsQuery) => CallsQuery, contacts = false) => {
      const index = stream.odd
        ? 'calls_log_odd_idx'
        : contacts && openMissedOnly
          ? 'calls_missed_open_contact_idx'
          : byReturnDelay && !narrow && !contacts
            ? 'calls_missed_returned_idx'
            : byHour(range)
              ? 'calls_missed_hour_idx'
              : stream.direction === null
                ? null
                : query.extension
                  ? 'calls_log_agent_idx'
                  : query.userId || own
                    ? 'calls_log_user_idx'
                    : 'calls_log_dims_idx';
      /** PostgreSQL: the calls of `only` first (`offset 0` keeps the subquery whole, so its only condition
       * picks its partial index), the filters and the order after — else the start-time order is walked. */
      const fenced = (only: RawBuilder<SqlBool>) =>
        db.selectFrom(
          db.selectFrom('calls').selectAll().where(only).offset(0).as('k'),
        ) as unknown as CallsQuery;
      const from =
        index && sqlite
          ? (db.selectFrom(sql`calls as k indexed by ${sql.raw(index)}` as never) as unknown as CallsQuery)
          : stream.odd
            ? // The odd calls: their empty index, else a filter's index is walked to its end.
              fenced(sql<SqlBool>`(${sql.raw(ODD_CALL_PREDICATE)})`)
            : index === 'calls_missed_returned_idx' && query.fate
              ? // A returned class: the range over its delay (migration 0029), then its few calls sorted.
                fenced(
                  missedCallOfClass('calls', query.fate.class, query.fate.returnWithinMinutes, 'postgres'),
                )
              : (db.selectFrom('calls as k') as CallsQuery);
      const pinned = stream.direction !== null && !stream.odd;
      const { hoursOfWeek, ...bounds } = range;
      const ranged = { ...query, ...bounds };
      const inHours = (q: CallsQuery) =>
        hoursOfWeek
          ? q.where(
              hourOfWeek(sqlite),
              'in',
              hoursOfWeek.map((h) => sql.lit(h)),
            )
          : q;
      return onStream(inHours(extra(filtered(from, ranged, pinned, sqlite ? 'sqlite' : 'postgres'))), stream)
        .select(['k.id', 'k.started_at'])
        .orderBy('k.started_at', direction)
        .orderBy('k.id', direction)
        .limit(sql.lit(limit));
    };
    /** The reader's view of one range of start times: all calls, or an agent's own calls and their clients'. */
    const partsOf = (range: Span) => {
      const parts = (byHour(range) ? single : streams).map((stream) =>
        arm(stream, range, (q) => (own ? q.where('k.agent_user_id', '=', own) : q)),
      );
      if (own) {
        // The agent's clients' calls not theirs: one query on a contact index, which covers the filters.
        parts.push(
          arm(
            single[0] as Stream,
            range,
            (q) =>
              q
                .where(
                  sqlite || query.within === undefined || (byHour(range) && !openMissedOnly)
                    ? // On migration 0039's index (a cell's missed calls by hour): the contacts as a hashed set, each
                      // of the cell's calls looked up in it — not an array each is compared with element by element.
                      sql<SqlBool>`k.contact_id in (select id from contacts where responsible_user_id = ${own})`
                    : // A heatmap cell's ranges on PostgreSQL: the contacts as an array first, so each is a seek on
                      // the contact's index. As a subquery the planner merge-joined the contacts with the whole
                      // contact index, filtering every client call of every agent (0.9 s of a cell's 1.3 s at 1 M
                      // calls). Not for a plain page: there the array became a filter on the start-time order,
                      // each row compared with every contact (p50 20 → 120–170 ms).
                      sql<SqlBool>`k.contact_id = any(array(select id from contacts where responsible_user_id = ${own}))`,
                )
                .where((eb) => eb.or([eb('k.agent_user_id', 'is', null), eb('k.agent_user_id', '!=', own)])),
            true,
          ),
        );
      }
      return parts;
    };
    /** The first `n` rows of the parts' union, in the page's order (each part is ordered and limited). */
    const readParts = async (parts: ReturnType<typeof arm>[], n: number): Promise<StartedCall[]> => {
      if (parts.length === 0) {
        return [];
      }
      if (parts.length === 1) {
        const rows = await (parts[0] as ReturnType<typeof arm>)
          .clearSelect()
          .selectAll('k')
          .limit(sql.lit(n))
          .execute();
        return rows.map(startedCall);
      }
      // Each stream's first keys, merged by the database; then the page's rows by primary key.
      const [first, ...rest] = parts.map((part, i) => db.selectFrom(part.as(`s${i}`)).selectAll());
      let union = first as NonNullable<typeof first>;
      for (const part of rest) {
        union = union.unionAll(part);
      }
      const keys = union.orderBy('started_at', direction).orderBy('id', direction).limit(sql.lit(n));
      const rows = await db
        .selectFrom(keys.as('p'))
        .innerJoin('calls as k', 'k.id', 'p.id')
        .selectAll('k')
        .orderBy('p.started_at', direction)
        .orderBy('p.id', direction)
        .execute();
      return rows.map(startedCall);
    };
    if (!query.within) {
      return readParts(partsOf({}), limit);
    }
    // Several ranges (a heatmap cell): the first in reading order alone (it fills the page, as a rule), then the
    // others a weekly run at a time — the run's span, on its hours of the week — so an empty or sparse cell over
    // a year costs a few queries, not one per week (domain/local-hour-slots.ts `weeklyRuns`).
    const clip = (r: { from: string; to: string }) => ({
      from: query.from && query.from > r.from ? query.from : r.from,
      to: query.to && query.to < r.to ? query.to : r.to,
    });
    const byOrder = <T extends { from: string }>(a: T, b: T) =>
      (a.from < b.from ? -1 : 1) * (newest ? -1 : 1);
    const [first, ...others] = [...query.within].sort(byOrder);
    if (!first) {
      return [];
    }
    // A lone range's hours of the week, implied by its bounds, when missed calls can be read by them.
    const hoursOf = (r: { from: string; to: string }, hours: readonly number[] | null) =>
      hours ?? (missedOnly ? hoursOfWeekTouched(r) : null);
    const rows = await readParts(partsOf({ ...clip(first), hoursOfWeek: hoursOf(first, null) }), limit);
    for (const run of weeklyRuns(others).sort(byOrder)) {
      if (rows.length >= limit) {
        break;
      }
      rows.push(
        ...(await readParts(
          partsOf({ ...clip(run), hoursOfWeek: hoursOf(run, run.hoursOfWeek) }),
          limit - rows.length,
        )),
      );
    }
    return rows;
  };
  return {
    async page(reader: Actor, query) {
      const bounds = query.callStartBounds;
      const rows =
        query.callIds && bounds && query.order === 'newest'
          ? await pageByStartBounds(planned, reader, query, query.callIds, bounds)
          : await planned(reader, query);
      return rows.map((r) => r.call);
    },

    async followUps(clientE164, after, limit) {
      const rows = await db
        .selectFrom('calls')
        .select(['started_at', 'direction', 'status'])
        .where('client_e164', '=', clientE164)
        .where('started_at', '>', after)
        .orderBy('started_at')
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        startedAt: r.started_at as string,
        direction:
          r.direction === 'outbound' ? 'outbound' : r.direction === 'inbound' ? 'inbound' : 'unknown',
        // Connected, as the fold's upkeep of missed calls' returns counts it (one rule).
        answered: isConnectedStatus(r.status),
      }));
    },

    async trace(callId) {
      const rows = await db
        .selectFrom('activities')
        .select(['at', 'title', 'body', 'payload'])
        .where('subject_type', '=', 'call')
        .where('subject_id', '=', callId)
        .orderBy('at')
        .limit(MAX_TRACE_ENTRIES)
        .execute();
      return rows.map((r): CallTraceEntry => {
        const event = eventFromPayload(r.payload);
        return {
          at: r.at,
          type: event?.type ?? 'unknown',
          params: event?.params ?? {},
          text: r.body ?? r.title,
        };
      });
    },
  };
}
