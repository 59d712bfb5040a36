/**
 * Keeps each missed call's return (`calls.return_at`, `return_direction`) and the missed-call rollups
 * (`call_missed_rollups`, `_daily`; migration 0017; `_monthly`, 0022) in the fold's own transaction, so the statistics read the
 * classes instead of computing them (domain/missed-call-classification.ts).
 *
 * The invariant: every missed inbound call holds the first connected call with the same client that started
 * after it, and the rollups hold the sum of every missed call's bucket. Only a connected call can settle a
 * missed one, so when a call's connected key (client, start, direction, connected) changes, the missed calls of
 * that client whose return could move — started before it, returned at or after it or not at all — are looked
 * up again; and a call that is (or stops being) missed gets its own return looked up. Order, duplicates and
 * replays change nothing: the result is a function of the set of calls (`recomputeMissedFates` checks it).
 *
 * The steps are written once, as a generator of database requests: SQLite runs them synchronously on the
 * webhook's prepared-statement path, PostgreSQL through Kysely (with a per-client advisory lock, so two
 * transactions touching one client's calls cannot each miss the other's call). The rollups' additions go to the
 * transaction's sums (summed-upserts.ts), written before it commits; nothing here reads the rollups.
 */
import type SQLite from 'better-sqlite3';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../../platform/db/schema.js';
import type { CallOutcome } from '../domain/call-outcome.js';
import { isMissed } from '../domain/call-outcome.js';
import { monthOfDay } from '../domain/call-rollup.js';
import {
  type FateBucket,
  fateBucket,
  isConnectedStatus,
  type StoredReturn,
  secondsToReturn,
} from '../domain/missed-call-classification.js';
import { MISSED_PREDICATE } from './missed-call-condition.js';
import type { SummedUpserts } from './summed-upserts.js';

const HOUR_MS = 3_600_000;

/** What the upkeep needs of a call row. */
export interface CallFacts {
  readonly id: string;
  readonly client_e164: string | null;
  readonly started_at: string | null;
  readonly direction: string;
  readonly status: string;
  readonly outcome: string | null;
  readonly agent_extension: string | null;
  readonly return_at: string | null;
  readonly return_direction: string | null;
}

/** One missed call's share of the missed-call rollups. */
export interface MissedContribution {
  readonly hour: number;
  readonly extension: string;
  readonly fate: FateBucket;
  readonly calls: number;
  readonly returnSeconds: number;
}

function storedReturn(row: Pick<CallFacts, 'return_at' | 'return_direction'>): StoredReturn {
  return {
    returnAt: row.return_at,
    returnDirection: row.return_direction === 'out' ? 'out' : row.return_direction === 'in' ? 'in' : null,
  };
}

/** Whether the row is a missed inbound call with a start time (the rollups count it). */
function isCountedMissed(
  row: Pick<CallFacts, 'direction' | 'outcome' | 'started_at'>,
): row is typeof row & { started_at: string } {
  return (
    row.started_at !== null && isMissed(row.direction as never, (row.outcome ?? 'unknown') as CallOutcome)
  );
}

/** The row's contribution to the missed-call rollups, or null when it is not a counted missed call. */
export function missedContribution(
  row: Pick<
    CallFacts,
    'direction' | 'outcome' | 'started_at' | 'agent_extension' | 'return_at' | 'return_direction'
  >,
): MissedContribution | null {
  if (!isCountedMissed(row)) {
    return null;
  }
  const at = Date.parse(row.started_at);
  if (Number.isNaN(at)) {
    return null;
  }
  const stored = storedReturn(row);
  return {
    hour: Math.floor(at / HOUR_MS),
    extension: row.agent_extension ?? '',
    fate: fateBucket(row.started_at, stored),
    calls: 1,
    returnSeconds: secondsToReturn(row.started_at, stored) ?? 0,
  };
}

function sameContribution(a: MissedContribution | null, b: MissedContribution | null): boolean {
  if (a === null || b === null) {
    return a === b;
  }
  return (
    a.hour === b.hour &&
    a.extension === b.extension &&
    a.fate === b.fate &&
    a.returnSeconds === b.returnSeconds
  );
}

function deltas(before: MissedContribution | null, after: MissedContribution | null): MissedContribution[] {
  if (sameContribution(before, after)) {
    return [];
  }
  const out: MissedContribution[] = [];
  if (before) {
    out.push({ ...before, calls: -before.calls, returnSeconds: -before.returnSeconds });
  }
  if (after) {
    out.push(after);
  }
  return out;
}

/** A missed call of one client, as the upkeep reads it. */
type MissedRow = Omit<CallFacts, 'client_e164' | 'status'>;

/** The database requests of the upkeep, answered by a driver. */
type Request =
  | { readonly kind: 'lock'; readonly client: string }
  | {
      readonly kind: 'missedOfClient';
      readonly client: string;
      readonly startedBefore: string;
      readonly returnFrom: string;
      readonly exceptId: string;
    }
  | { readonly kind: 'firstReturn'; readonly client: string; readonly after: string }
  | { readonly kind: 'setReturn'; readonly id: string; readonly stored: StoredReturn }
  | { readonly kind: 'addRollup'; readonly delta: MissedContribution };

interface Answers {
  lock: undefined;
  missedOfClient: MissedRow[];
  firstReturn: StoredReturn;
  setReturn: undefined;
  addRollup: undefined;
}

type Steps = Generator<Request, void, unknown>;

/** The connected key of a call (null: it settles nothing). */
function connectedKey(row: CallFacts | null): { client: string; start: string; key: string } | null {
  if (row === null || row.client_e164 === null || row.started_at === null || !isConnectedStatus(row.status)) {
    return null;
  }
  const side = row.direction === 'outbound' ? 'out' : 'in';
  return {
    client: row.client_e164,
    start: row.started_at,
    key: `${row.client_e164}|${row.started_at}|${side}`,
  };
}

function sameReturn(a: StoredReturn, b: StoredReturn): boolean {
  return a.returnAt === b.returnAt && a.returnDirection === b.returnDirection;
}

/** One request, answered by the driver. */
function* ask<K extends Request['kind']>(
  request: Extract<Request, { kind: K }>,
): Generator<Request, Answers[K], unknown> {
  return (yield request) as Answers[K];
}

/**
 * The steps after call `after.id` was written (its return columns as stored before this write, like
 * `before`'s). `before` is null for a call that did not exist.
 */
function* upkeep(before: CallFacts | null, after: CallFacts): Steps {
  const was = connectedKey(before);
  const is = connectedKey(after);
  const locked = new Set<string>();
  const lock = function* (client: string): Generator<Request, void, unknown> {
    if (!locked.has(client)) {
      locked.add(client);
      yield* ask({ kind: 'lock', client });
    }
  };
  if (was?.key !== is?.key) {
    const clients = new Map<string, string[]>();
    for (const k of [was, is]) {
      if (k) {
        clients.set(k.client, [...(clients.get(k.client) ?? []), k.start]);
      }
    }
    for (const [client, starts] of clients) {
      yield* lock(client);
      const sorted = [...starts].sort();
      const missed = yield* ask({
        kind: 'missedOfClient',
        client,
        startedBefore: sorted.at(-1) as string,
        returnFrom: sorted[0] as string,
        exceptId: after.id,
      });
      for (const m of missed) {
        const found = yield* ask({ kind: 'firstReturn', client, after: m.started_at as string });
        if (!sameReturn(found, storedReturn(m))) {
          yield* ask({ kind: 'setReturn', id: m.id, stored: found });
          const next = { ...m, return_at: found.returnAt, return_direction: found.returnDirection };
          for (const delta of deltas(missedContribution(m), missedContribution(next))) {
            yield* ask({ kind: 'addRollup', delta });
          }
        }
      }
    }
  }
  // The call's own return: looked up when it is a missed call with a client, cleared otherwise.
  const stored = storedReturn(after);
  let own: StoredReturn = { returnAt: null, returnDirection: null };
  if (isCountedMissed(after) && after.client_e164 !== null) {
    const missedKeyChanged =
      before === null ||
      !isCountedMissed(before) ||
      before.client_e164 !== after.client_e164 ||
      before.started_at !== after.started_at;
    if (!missedKeyChanged) {
      own = stored;
    } else {
      yield* lock(after.client_e164);
      own = yield* ask({ kind: 'firstReturn', client: after.client_e164, after: after.started_at });
    }
  }
  if (!sameReturn(own, stored)) {
    yield* ask({ kind: 'setReturn', id: after.id, stored: own });
  }
  const beforeContribution = before ? missedContribution(before) : null;
  const afterContribution = missedContribution({
    ...after,
    return_at: own.returnAt,
    return_direction: own.returnDirection,
  });
  for (const delta of deltas(beforeContribution, afterContribution)) {
    yield* ask({ kind: 'addRollup', delta });
  }
}

/** The grains a missed-call delta goes into. */
const GRAINS = [
  { table: 'call_missed_rollups', grain: 'hour', key: (d: MissedContribution) => d.hour },
  {
    table: 'call_missed_rollups_daily',
    grain: 'day',
    key: (d: MissedContribution) => Math.floor(d.hour / 24),
  },
  // Migration 0022.
  {
    table: 'call_missed_rollups_monthly',
    grain: 'month',
    key: (d: MissedContribution) => monthOfDay(Math.floor(d.hour / 24)),
  },
] as const;

/** The missed calls' predicate, as the partial indexes read it (migration 0040). */
const MISSED_SQL = MISSED_PREDICATE;
const MISSED_COLUMNS = 'id, started_at, direction, outcome, agent_extension, return_at, return_direction';

function upsertSql(table: string, grain: string): string {
  const columns = [grain, 'extension', 'fate', 'calls', 'return_seconds'];
  return (
    `insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')}) ` +
    `on conflict (${grain}, extension, fate) do update set calls = ${table}.calls + excluded.calls, ` +
    `return_seconds = ${table}.return_seconds + excluded.return_seconds`
  );
}

const GRAIN_UPSERTS = GRAINS.map((g) => ({ g, text: upsertSql(g.table, g.grain) }));

/** The additions one missed-call delta makes: its cell of every grain (summed over the transaction). */
function addMissedRollups(rollups: SummedUpserts, d: MissedContribution): void {
  for (const { g, text } of GRAIN_UPSERTS) {
    rollups.add({ text, keys: [g.key(d), d.extension, d.fate], measures: [d.calls, d.returnSeconds] });
  }
}

/**
 * The earliest connected start after the missed call, and whether an outbound call started then (a tie goes to
 * us: we did call). `client` is bound twice.
 */
const FIRST_RETURN_WHERE =
  "r.client_e164 = ? and r.status in ('answered', 'in_progress') and r.client_e164 is not null " +
  'and r.started_at = (select min(c.started_at) from calls c where c.client_e164 = ? and c.started_at > ? ' +
  "and c.status in ('answered', 'in_progress') and c.client_e164 is not null)";
const FIRST_RETURN_SELECT =
  "select r.started_at as at, max(case when r.direction = 'outbound' then 1 else 0 end) as outbound from calls r";

function toReturn(row: { at: string | Date; outbound: number | string } | undefined): StoredReturn {
  if (!row) {
    return { returnAt: null, returnDirection: null };
  }
  const at = row.at instanceof Date ? row.at.toISOString() : row.at;
  return { returnAt: at, returnDirection: Number(row.outbound) > 0 ? 'out' : 'in' };
}

/** The upkeep on SQLite's raw connection, synchronously (inside the applier's transaction). */
export function sqliteMissedFates(sqlite: SQLite.Database) {
  const missedOfClient = sqlite.prepare<[string, string, string, string], MissedRow>(
    `select ${MISSED_COLUMNS} from calls where client_e164 = ? and started_at < ? and ${MISSED_SQL} ` +
      'and (return_at is null or return_at >= ?) and id <> ?',
  );
  const firstReturn = sqlite.prepare<[string, string, string], { at: string; outbound: number }>(
    `${FIRST_RETURN_SELECT} where ${FIRST_RETURN_WHERE} group by r.started_at`,
  );
  const setReturn = sqlite.prepare('update calls set return_at = ?, return_direction = ? where id = ?');
  return (before: CallFacts | null, after: CallFacts, rollups: SummedUpserts): void => {
    const steps = upkeep(before, after);
    let answer: unknown;
    for (;;) {
      const next = steps.next(answer);
      if (next.done) {
        return;
      }
      const r = next.value;
      switch (r.kind) {
        case 'lock':
          answer = undefined; // one writer: the transaction is the lock
          break;
        case 'missedOfClient':
          answer = missedOfClient.all(r.client, r.startedBefore, r.returnFrom, r.exceptId);
          break;
        case 'firstReturn':
          answer = toReturn(firstReturn.get(r.client, r.client, r.after));
          break;
        case 'setReturn':
          setReturn.run(r.stored.returnAt, r.stored.returnDirection, r.id);
          answer = undefined;
          break;
        case 'addRollup':
          addMissedRollups(rollups, r.delta);
          answer = undefined;
          break;
      }
    }
  };
}

/** The upkeep through Kysely, inside `trx` (PostgreSQL, and SQLite without the raw connection). */
export async function kyselyMissedFates(
  trx: Kysely<Database>,
  before: CallFacts | null,
  after: CallFacts,
  options: { readonly advisoryLocks: boolean; readonly rollups: SummedUpserts },
): Promise<void> {
  const steps = upkeep(before, after);
  let answer: unknown;
  for (;;) {
    const next = steps.next(answer);
    if (next.done) {
      return;
    }
    const r = next.value;
    answer = undefined;
    switch (r.kind) {
      case 'lock':
        if (options.advisoryLocks) {
          // Serialises the transactions that touch one client's missed calls (released at commit).
          await sql`select pg_advisory_xact_lock(hashtext(${`missed:${r.client}`}))`.execute(trx);
        }
        break;
      case 'missedOfClient':
        answer = (
          await sql<MissedRow>`select ${sql.raw(MISSED_COLUMNS)} from calls where client_e164 = ${r.client}
            and started_at < ${r.startedBefore} and ${sql.raw(MISSED_SQL)}
            and (return_at is null or return_at >= ${r.returnFrom}) and id <> ${r.exceptId}`.execute(trx)
        ).rows;
        break;
      case 'firstReturn': {
        const rows = await sql<{
          at: string | Date;
          outbound: number | string;
        }>`${sql.raw(FIRST_RETURN_SELECT)}
          where r.client_e164 = ${r.client} and r.status in ('answered', 'in_progress') and r.client_e164 is not null
          and r.started_at = (select min(c.started_at) from calls c where c.client_e164 = ${r.client}
            and c.started_at > ${r.after} and c.status in ('answered', 'in_progress') and c.client_e164 is not null)
          group by r.started_at`.execute(trx);
        answer = toReturn(rows.rows[0]);
        break;
      }
      case 'setReturn':
        await trx
          .updateTable('calls')
          .set({ return_at: r.stored.returnAt, return_direction: r.stored.returnDirection })
          .where('id', '=', r.id)
          .execute();
        break;
      case 'addRollup':
        addMissedRollups(options.rollups, r.delta);
        break;
    }
  }
}
