/**
 * Derives the call log's columns and the statistics rollups from the calls' own notifications, from scratch.
 * Why: rows folded before migration 0011 have neither; start-up runs this once for them. The fold keeps both
 * up to date afterwards (kysely-call-repository.ts), and the rollup tests compare that incremental upkeep
 * with {@link recomputeRollupCells}.
 */
import { type Insertable, type Kysely, sql } from 'kysely';
import type { Database } from '../../../platform/db/schema.js';
import { attributeCall } from '../domain/call-attribution.js';
import type { CallEvent } from '../domain/call-event.js';
import { type CallOutcome, callOutcome, isMissed, waitingSeconds } from '../domain/call-outcome.js';
import {
  type HourTally,
  monthOfDay,
  type RollupContribution,
  rollupContribution,
  tallyOf,
} from '../domain/call-rollup.js';
import { type CallRecord, foldCall } from '../domain/fold-call.js';
import {
  classifyMissedCall,
  type FateBucket,
  type FollowUpCall,
  fateBucket,
  isConnectedStatus,
  type MissedCallFate,
} from '../domain/missed-call-classification.js';
import { missedCall } from './missed-call-condition.js';
import { type MissedContribution, missedContribution } from './missed-call-fates.js';

const BATCH = 1000;

/** A call refolded from its notifications, with its stored client number. */
interface FoldedCall {
  readonly id: string;
  readonly clientE164: string | null;
  readonly record: CallRecord;
}

/**
 * Every call (or only those still without the derived columns, `pending`) refolded from its notifications, in id
 * order, read a page of {@link BATCH} at a time; calls without notifications are skipped. Why: the three rebuilds
 * walk the calls the same way, and a page at a time keeps a large history out of memory.
 */
async function* foldedCalls(db: Kysely<Database>, which: 'all' | 'pending'): AsyncGenerator<FoldedCall> {
  let after = '';
  for (;;) {
    let query = db
      .selectFrom('calls')
      .select(['id', 'events', 'client_e164'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(BATCH);
    if (which === 'pending') {
      query = query.where('attribution_rule', 'is', null);
    }
    const rows = await query.execute();
    for (const row of rows) {
      const events = JSON.parse(row.events) as CallEvent[];
      if (events.length > 0) {
        yield { id: row.id, clientE164: row.client_e164, record: foldCall(events) };
      }
    }
    const last = rows.at(-1);
    if (!last || rows.length < BATCH) {
      return;
    }
    after = last.id;
  }
}

/** The rollup tables a rebuild writes. */
type RollupTable =
  | 'call_rollups'
  | 'call_rollups_daily'
  | 'call_rollups_team'
  | 'call_missed_rollups'
  | 'call_missed_rollups_daily'
  | 'call_rollups_monthly'
  | 'call_missed_rollups_monthly'
  | 'call_tallies_team'
  | 'call_tallies_extension';

/** Inserts `rows` into `table` 500 at a time. Why: one statement per chunk stays under SQLite's bound-variable limit. */
async function insertInChunks<T extends RollupTable>(
  db: Kysely<Database>,
  table: T,
  rows: readonly Insertable<Database[T]>[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto(table)
      .values(rows.slice(i, i + 500))
      .execute();
  }
}

/** A rollup cell's key and measures, as the table holds them. */
export interface RollupCellRow {
  readonly hour: number;
  readonly extension: string;
  readonly direction: string;
  readonly outcome: string;
  readonly calls: number;
  readonly talk_seconds: number;
  readonly wait_seconds: number;
}

function cellKey(c: { hour: number; extension: string; direction: string; outcome: string }): string {
  return `${c.hour}|${c.extension}|${c.direction}|${c.outcome}`;
}

/**
 * The rollup cells recomputed from every call's notifications (refolded), cells that sum to nothing left out,
 * sorted by key. Why: the definition the incrementally kept table must always equal.
 */
export async function recomputeRollupCells(db: Kysely<Database>): Promise<RollupCellRow[]> {
  const cells = new Map<string, RollupCellRow>();
  for await (const call of foldedCalls(db, 'all')) {
    const contribution = rollupContribution(call.record);
    if (contribution) {
      add(cells, contribution);
    }
  }
  return sortCells(nonEmpty([...cells.values()]));
}

/** The rollup table as stored, cells that sum to nothing left out, sorted by key. */
export async function storedRollupCells(db: Kysely<Database>): Promise<RollupCellRow[]> {
  return sortCells(countedCells(await db.selectFrom('call_rollups').selectAll().execute()));
}

type Measures = { calls: number; talk_seconds: number; wait_seconds: number };

/** Cells with their measures as numbers (PostgreSQL's bigint sums arrive as strings), empty ones left out. */
function countedCells<T extends Measures>(rows: readonly T[]): T[] {
  return nonEmpty(
    rows.map((r) => ({
      ...r,
      calls: Number(r.calls),
      talk_seconds: Number(r.talk_seconds),
      wait_seconds: Number(r.wait_seconds),
    })),
  );
}

/** The cells that sum to something. */
function nonEmpty<T extends Measures>(rows: readonly T[]): T[] {
  return rows.filter((c) => c.calls !== 0 || c.talk_seconds !== 0 || c.wait_seconds !== 0);
}

/** The daily, team and monthly grains and the tallies as stored (cells that sum to nothing left out), in key order. */
export async function storedGrains(db: Kysely<Database>): Promise<RollupGrains> {
  const daily = countedCells(await db.selectFrom('call_rollups_daily').selectAll().execute()).map((r) => ({
    ...r,
    day: Number(r.day),
  }));
  const team = countedCells(await db.selectFrom('call_rollups_team').selectAll().execute()).map((r) => ({
    ...r,
    hour: Number(r.hour),
  }));
  const monthly = countedCells(await db.selectFrom('call_rollups_monthly').selectAll().execute()).map(
    (r) => ({
      ...r,
      month: Number(r.month),
    }),
  );
  const tallies = (await db.selectFrom('call_tallies_team').selectAll().execute())
    .map((r) => ({
      hour: Number(r.hour),
      calls: Number(r.calls),
      answered: Number(r.answered),
      inbound: Number(r.inbound),
      missed: Number(r.missed),
    }))
    .filter(counts);
  const extensionTallies = (await db.selectFrom('call_tallies_extension').selectAll().execute())
    .map((r) => ({
      extension: r.extension,
      hour: Number(r.hour),
      calls: Number(r.calls),
      answered: Number(r.answered),
      inbound: Number(r.inbound),
      missed: Number(r.missed),
    }))
    .filter(counts);
  return {
    daily: sortBy(daily, dailyKey),
    team: sortBy(team, teamKey),
    monthly: sortBy(monthly, monthlyKey),
    tallies: tallies.sort((a, b) => a.hour - b.hour),
    extensionTallies: sortBy(extensionTallies, extensionTallyKey),
  };
}

export interface RollupGrains {
  readonly daily: (Omit<RollupCellRow, 'hour'> & { day: number })[];
  readonly team: Omit<RollupCellRow, 'extension'>[];
  /** Migration 0022: per UTC month (domain/call-rollup.ts, `monthOfDay`). */
  readonly monthly: (Omit<RollupCellRow, 'hour'> & { month: number })[];
  /** Migration 0022: the team's hourly tallies (domain/call-rollup.ts, `tallyOf`). */
  readonly tallies: HourTally[];
  /** Migration 0031: each extension's hourly tallies. */
  readonly extensionTallies: (HourTally & { extension: string })[];
}

/** A tally that counts something (the fold's upserts leave zeros behind where a call moved away). */
const counts = (t: HourTally) => t.calls !== 0 || t.answered !== 0 || t.inbound !== 0 || t.missed !== 0;
const extensionTallyKey = (t: { extension: string; hour: number }) => `${t.extension}|${t.hour}`;

const dailyKey = (c: { day: number; extension: string; direction: string; outcome: string }) =>
  `${c.day}|${c.extension}|${c.direction}|${c.outcome}`;
const teamKey = (c: { hour: number; direction: string; outcome: string }) =>
  `${c.hour}|${c.direction}|${c.outcome}`;
const monthlyKey = (c: { month: number; extension: string; direction: string; outcome: string }) =>
  `${c.month}|${c.extension}|${c.direction}|${c.outcome}`;

function sortBy<T>(rows: T[], key: (row: T) => string): T[] {
  return rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** The grains and tallies the hourly cells sum to. Why: every table must always agree with the hourly one. */
export function grainsOf(hourly: readonly RollupCellRow[]): RollupGrains {
  const daily = new Map<string, RollupGrains['daily'][number]>();
  const team = new Map<string, RollupGrains['team'][number]>();
  const monthly = new Map<string, RollupGrains['monthly'][number]>();
  const tallies = new Map<number, HourTally>();
  const extensionTallies = new Map<string, RollupGrains['extensionTallies'][number]>();
  for (const c of hourly) {
    const tally = tallyOf({
      hour: c.hour,
      extension: c.extension,
      direction: c.direction === 'out' ? 'out' : 'in',
      outcome: c.outcome as CallOutcome,
      calls: c.calls,
      talkSeconds: c.talk_seconds,
      waitSeconds: c.wait_seconds,
    });
    const seen = tallies.get(tally.hour);
    tallies.set(tally.hour, {
      hour: tally.hour,
      calls: (seen?.calls ?? 0) + tally.calls,
      answered: (seen?.answered ?? 0) + tally.answered,
      inbound: (seen?.inbound ?? 0) + tally.inbound,
      missed: (seen?.missed ?? 0) + tally.missed,
    });
    const extensionKey = extensionTallyKey(c);
    const own = extensionTallies.get(extensionKey);
    extensionTallies.set(extensionKey, {
      extension: c.extension,
      hour: tally.hour,
      calls: (own?.calls ?? 0) + tally.calls,
      answered: (own?.answered ?? 0) + tally.answered,
      inbound: (own?.inbound ?? 0) + tally.inbound,
      missed: (own?.missed ?? 0) + tally.missed,
    });
    const d = {
      day: Math.floor(c.hour / 24),
      extension: c.extension,
      direction: c.direction,
      outcome: c.outcome,
    };
    const t = { hour: c.hour, direction: c.direction, outcome: c.outcome };
    const m = {
      month: monthOfDay(d.day),
      extension: c.extension,
      direction: c.direction,
      outcome: c.outcome,
    };
    for (const [map, key, base] of [
      [daily, dailyKey(d), d],
      [team, teamKey(t), t],
      [monthly, monthlyKey(m), m],
    ] as const) {
      const known = (map as Map<string, { calls: number; talk_seconds: number; wait_seconds: number }>).get(
        key,
      );
      (map as Map<string, object>).set(key, {
        ...base,
        calls: (known?.calls ?? 0) + c.calls,
        talk_seconds: (known?.talk_seconds ?? 0) + c.talk_seconds,
        wait_seconds: (known?.wait_seconds ?? 0) + c.wait_seconds,
      });
    }
  }
  return {
    daily: sortBy(nonEmpty([...daily.values()]), dailyKey),
    team: sortBy(nonEmpty([...team.values()]), teamKey),
    monthly: sortBy(nonEmpty([...monthly.values()]), monthlyKey),
    tallies: [...tallies.values()].filter(counts).sort((a, b) => a.hour - b.hour),
    extensionTallies: sortBy([...extensionTallies.values()].filter(counts), extensionTallyKey),
  };
}

function add(cells: Map<string, RollupCellRow>, c: RollupContribution): void {
  const key = cellKey(c);
  const known = cells.get(key);
  cells.set(key, {
    hour: c.hour,
    extension: c.extension,
    direction: c.direction,
    outcome: c.outcome,
    calls: (known?.calls ?? 0) + c.calls,
    talk_seconds: (known?.talk_seconds ?? 0) + c.talkSeconds,
    wait_seconds: (known?.wait_seconds ?? 0) + c.waitSeconds,
  });
}

function sortCells(cells: RollupCellRow[]): RollupCellRow[] {
  return cells.sort((a, b) => (cellKey(a) < cellKey(b) ? -1 : cellKey(a) > cellKey(b) ? 1 : 0));
}

/**
 * When some call predates the derived columns (migration 0011), derives them for every such call and rebuilds
 * the rollups from scratch, in one transaction. Returns how many calls it derived (0: nothing to do).
 */
export async function deriveCallReadModel(db: Kysely<Database>): Promise<number> {
  const pending = await db
    .selectFrom('calls')
    .select('id')
    .where('attribution_rule', 'is', null)
    .limit(1)
    .executeTakeFirst();
  if (!pending) {
    return 0;
  }
  return db.transaction().execute(async (trx) => {
    let derived = 0;
    for await (const { id, record } of foldedCalls(trx, 'pending')) {
      const attribution = attributeCall(record);
      await trx
        .updateTable('calls')
        .set({
          outcome: callOutcome(record),
          agent_extension: attribution.extension,
          attribution_rule: attribution.rule,
          wait_seconds: waitingSeconds(record),
        })
        .where('id', '=', id)
        .execute();
      derived += 1;
    }
    // The missed calls' returns (migration 0017 could not see outcomes it had not yet): set again, and their
    // rollups summed afresh by deriveMissedRollups.
    await sql`update calls set return_at = (
        select min(r.started_at) from calls r
        where r.client_e164 = calls.client_e164 and r.started_at > calls.started_at
          and r.status in ('answered', 'in_progress') and r.client_e164 is not null),
      return_direction = null
      where ${missedCall('calls')} and client_e164 is not null and started_at is not null`.execute(trx);
    await sql`update calls set return_direction = case when exists (
        select 1 from calls r
        where r.client_e164 = calls.client_e164 and r.started_at = calls.return_at
          and r.status in ('answered', 'in_progress') and r.client_e164 is not null and r.direction = 'outbound')
      then 'out' else 'in' end
      where return_at is not null`.execute(trx);
    for (const table of [
      'call_missed_rollups',
      'call_missed_rollups_daily',
      'call_missed_rollups_monthly',
    ] as const) {
      await trx.deleteFrom(table).execute();
    }
    const cells = await recomputeRollupCells(trx);
    const { daily, team, monthly, tallies, extensionTallies } = grainsOf(cells);
    for (const table of [
      'call_rollups',
      'call_rollups_daily',
      'call_rollups_team',
      'call_rollups_monthly',
      'call_tallies_team',
      'call_tallies_extension',
    ] as const) {
      await trx.deleteFrom(table).execute();
    }
    await insertInChunks(trx, 'call_rollups', cells);
    await insertInChunks(trx, 'call_rollups_daily', daily);
    await insertInChunks(trx, 'call_rollups_team', team);
    await insertInChunks(trx, 'call_rollups_monthly', monthly);
    await insertInChunks(trx, 'call_tallies_team', tallies);
    await insertInChunks(trx, 'call_tallies_extension', extensionTallies);
    return derived;
  });
}

/** A missed-call rollup cell as the tables hold it (hourly grain). */
export interface MissedCellRow {
  readonly hour: number;
  readonly extension: string;
  readonly fate: string;
  readonly calls: number;
  readonly return_seconds: number;
}

const missedKey = (c: { hour: number; extension: string; fate: string }) =>
  `${c.hour}|${c.extension}|${c.fate}`;

function addMissed(cells: Map<string, MissedCellRow>, c: MissedContribution): void {
  const key = missedKey(c);
  const known = cells.get(key);
  cells.set(key, {
    hour: c.hour,
    extension: c.extension,
    fate: c.fate,
    calls: (known?.calls ?? 0) + c.calls,
    return_seconds: (known?.return_seconds ?? 0) + c.returnSeconds,
  });
}

/**
 * Every missed call's fate and the missed-call rollups recomputed from scratch: each call refolded from its
 * notifications, each missed call classified by {@link classifyMissedCall} over the connected calls of its
 * client. Why: the definition that the fold's incremental upkeep (missed-call-fates.ts) must always equal.
 */
export async function recomputeMissedFates(
  db: Kysely<Database>,
  returnWithinMinutes: number,
): Promise<{ fates: Record<string, MissedCallFate>; cells: MissedCellRow[] }> {
  const calls: {
    id: string;
    client: string | null;
    startedAt: string | null;
    direction: CallRecord['direction'];
    status: string;
    outcome: string;
    extension: string;
  }[] = [];
  for await (const { id, clientE164, record } of foldedCalls(db, 'all')) {
    calls.push({
      id,
      client: clientE164,
      startedAt: record.startedAt,
      direction: record.direction,
      status: record.status,
      outcome: callOutcome(record),
      extension: attributeCall(record).extension ?? '',
    });
  }
  const fates: Record<string, MissedCallFate> = {};
  const cells = new Map<string, MissedCellRow>();
  for (const call of calls) {
    if (call.startedAt === null || !isMissed(call.direction, call.outcome as CallOutcome)) {
      continue;
    }
    const later: FollowUpCall[] =
      call.client === null
        ? []
        : calls
            .filter((c) => c.client === call.client && c.startedAt !== null)
            .map((c) => ({
              startedAt: c.startedAt as string,
              direction: c.direction === 'outbound' ? 'outbound' : 'inbound',
              answered: isConnectedStatus(c.status),
            }));
    const fate = classifyMissedCall(call.startedAt, later, returnWithinMinutes);
    fates[call.id] = fate;
    const seconds = fate.secondsToCallBack;
    const bucket =
      seconds === null
        ? 'open'
        : fateBucket(call.startedAt, {
            returnAt: new Date(Date.parse(call.startedAt) + seconds * 1000).toISOString(),
            returnDirection: fate.classification === 'client_called_back' ? 'in' : 'out',
          });
    addMissed(cells, {
      hour: Math.floor(Date.parse(call.startedAt) / 3_600_000),
      extension: call.extension,
      fate: bucket,
      calls: 1,
      returnSeconds: seconds ?? 0,
    });
  }
  return { fates, cells: sortMissed([...cells.values()]) };
}

/** The daily grain of hourly missed-call cells (`hour` holding the day number), unsorted. */
function missedDaysOf(hourly: readonly MissedCellRow[]): MissedCellRow[] {
  return missedCellsBy(hourly, (hour) => Math.floor(hour / 24));
}

/** The missed cells per UTC month (migration 0022), keyed in `hour` like the others. */
function missedMonthsOf(hourly: readonly MissedCellRow[]): MissedCellRow[] {
  return missedCellsBy(hourly, (hour) => monthOfDay(Math.floor(hour / 24)));
}

/** Sums hourly missed cells into the grain `grainOf` maps an hour to. */
function missedCellsBy(hourly: readonly MissedCellRow[], grainOf: (hour: number) => number): MissedCellRow[] {
  const cells = new Map<string, MissedCellRow>();
  for (const c of hourly) {
    addMissed(cells, {
      hour: grainOf(c.hour),
      extension: c.extension,
      fate: c.fate as FateBucket,
      calls: c.calls,
      returnSeconds: c.return_seconds,
    });
  }
  return [...cells.values()];
}

function sortMissed(cells: MissedCellRow[]): MissedCellRow[] {
  return sortBy(
    cells.filter((c) => c.calls !== 0 || c.return_seconds !== 0),
    missedKey,
  );
}

/** The hourly missed-call rollups as stored, and whether the daily grain sums them. */
export async function storedMissedCells(
  db: Kysely<Database>,
): Promise<{ cells: MissedCellRow[]; dailyAgrees: boolean; monthlyAgrees: boolean }> {
  const hourly = sortMissed(
    (await db.selectFrom('call_missed_rollups').selectAll().execute()).map((r) => ({
      hour: Number(r.hour),
      extension: r.extension,
      fate: r.fate,
      calls: Number(r.calls),
      return_seconds: Number(r.return_seconds),
    })),
  );
  const daily = sortMissed(
    (await db.selectFrom('call_missed_rollups_daily').selectAll().execute()).map((r) => ({
      hour: Number(r.day),
      extension: r.extension,
      fate: r.fate,
      calls: Number(r.calls),
      return_seconds: Number(r.return_seconds),
    })),
  );
  const monthly = sortMissed(
    (await db.selectFrom('call_missed_rollups_monthly').selectAll().execute()).map((r) => ({
      hour: Number(r.month),
      extension: r.extension,
      fate: r.fate,
      calls: Number(r.calls),
      return_seconds: Number(r.return_seconds),
    })),
  );
  return {
    cells: hourly,
    dailyAgrees: JSON.stringify(sortMissed(missedDaysOf(hourly))) === JSON.stringify(daily),
    monthlyAgrees: JSON.stringify(sortMissed(missedMonthsOf(hourly))) === JSON.stringify(monthly),
  };
}

/**
 * Fills the missed-call rollups from the returns stored on the calls when they are empty while missed calls
 * exist (a database migrated to 0017: the migration sets the returns, this sums them). Returns the missed calls
 * counted (0: nothing to do). Reads the missed calls in pages by the partial index.
 */
export async function deriveMissedRollups(db: Kysely<Database>): Promise<number> {
  const filled = await db.selectFrom('call_missed_rollups').select('hour').limit(1).executeTakeFirst();
  const anyMissed = await db
    .selectFrom('calls as k')
    .select('k.id')
    .where(missedCall('k'))
    .where('k.started_at', 'is not', null)
    .limit(1)
    .executeTakeFirst();
  if (filled || !anyMissed) {
    return 0;
  }
  const cells = new Map<string, MissedCellRow>();
  let counted = 0;
  let after: { startedAt: string; id: string } | null = null;
  for (;;) {
    let q = db
      .selectFrom('calls as k')
      .select([
        'k.id',
        'k.started_at',
        'k.direction',
        'k.outcome',
        'k.agent_extension',
        'k.return_at',
        'k.return_direction',
      ])
      .where(missedCall('k'))
      .where('k.started_at', 'is not', null);
    if (after) {
      const { startedAt, id } = after;
      q = q.where((eb) =>
        eb.or([
          eb('k.started_at', '>', startedAt),
          eb.and([eb('k.started_at', '=', startedAt), eb('k.id', '>', id)]),
        ]),
      );
    }
    const rows = await q.orderBy('k.started_at').orderBy('k.id').limit(10_000).execute();
    for (const row of rows) {
      const c = missedContribution(row);
      if (c) {
        addMissed(cells, c);
        counted += 1;
      }
    }
    const last = rows.at(-1);
    if (!last || rows.length < 10_000) {
      break;
    }
    after = { startedAt: last.started_at as string, id: last.id };
  }
  const hourly = [...cells.values()];
  await db.transaction().execute(async (trx) => {
    await insertInChunks(trx, 'call_missed_rollups', hourly);
    await insertInChunks(
      trx,
      'call_missed_rollups_daily',
      missedDaysOf(hourly).map(({ hour, ...rest }) => ({ day: hour, ...rest })),
    );
    await insertInChunks(
      trx,
      'call_missed_rollups_monthly',
      missedMonthsOf(hourly).map(({ hour, ...rest }) => ({ month: hour, ...rest })),
    );
  });
  return counted;
}
