/**
 * The statistics rollups a call's fold moves (migrations 0011, 0022; domain/call-rollup.ts): each delta added to
 * its cell of every grain and to the team's and its extension's hourly tallies (migration 0031), in the fold's own transaction — prepared statements on
 * SQLite, the same upsert text through Kysely on PostgreSQL. Why apart: the rollups' shape is the statistics'
 * concern; the call repository only hands over the deltas (kysely-call-repository.ts), and the read-model rebuild
 * (call-read-model-rebuild.ts) recomputes the same tables.
 */
import type SQLite from 'better-sqlite3';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../../platform/db/schema.js';
import { monthOfDay, type RollupContribution, tallyOf } from '../domain/call-rollup.js';

/**
 * The grains of the statistics rollups a delta goes into (the two 0011 migrations): per UTC hour × extension
 * (the reference), per UTC day × extension (long periods), per UTC hour for the whole team (trends, heatmap).
 */
const ROLLUP_GRAINS: readonly {
  readonly table: 'call_rollups' | 'call_rollups_daily' | 'call_rollups_team' | 'call_rollups_monthly';
  readonly keys: readonly string[];
  readonly key: (d: RollupContribution) => readonly (string | number)[];
}[] = [
  {
    table: 'call_rollups',
    keys: ['hour', 'extension', 'direction', 'outcome'],
    key: (d) => [d.hour, d.extension, d.direction, d.outcome],
  },
  {
    table: 'call_rollups_daily',
    keys: ['day', 'extension', 'direction', 'outcome'],
    key: (d) => [Math.floor(d.hour / 24), d.extension, d.direction, d.outcome],
  },
  {
    table: 'call_rollups_team',
    keys: ['hour', 'direction', 'outcome'],
    key: (d) => [d.hour, d.direction, d.outcome],
  },
  // Migration 0022: whole months of long periods.
  {
    table: 'call_rollups_monthly',
    keys: ['month', 'extension', 'direction', 'outcome'],
    key: (d) => [monthOfDay(Math.floor(d.hour / 24)), d.extension, d.direction, d.outcome],
  },
];

const MEASURES = ['calls', 'talk_seconds', 'wait_seconds'] as const;

/** `… do update set calls = <table>.calls + excluded.calls, …`: the same text on both databases. */
function addMeasures(table: string): string {
  return MEASURES.map((m) => `${m} = ${table}.${m} + excluded.${m}`).join(', ');
}

function measuresOf(d: RollupContribution): number[] {
  return [d.calls, d.talkSeconds, d.waitSeconds];
}

/** The upserts adding a delta to its cell of every grain (SQLite, prepared once). */
export function sqliteRollupUpserts(sqlite: SQLite.Database): (d: RollupContribution) => void {
  const statements = ROLLUP_GRAINS.map((g) => ({
    grain: g,
    statement: sqlite.prepare(
      `insert into ${g.table} (${[...g.keys, ...MEASURES].join(', ')}) values (${[...g.keys, ...MEASURES]
        .map(() => '?')
        .join(', ')}) on conflict (${g.keys.join(', ')}) do update set ${addMeasures(g.table)}`,
    ),
  }));
  const tally = sqlite.prepare(TALLY_UPSERT);
  const extensionTally = sqlite.prepare(EXTENSION_TALLY_UPSERT);
  return (d) => {
    for (const { grain, statement } of statements) {
      statement.run(...grain.key(d), ...measuresOf(d));
    }
    tally.run(...tallyValues(d));
    extensionTally.run(d.extension, ...tallyValues(d));
  };
}

/** The team's hourly tally (migration 0022, domain `tallyOf`): the same upsert text on both databases. */
const TALLY_UPSERT =
  'insert into call_tallies_team (hour, calls, answered, inbound, missed) values (?, ?, ?, ?, ?) ' +
  'on conflict (hour) do update set calls = call_tallies_team.calls + excluded.calls, ' +
  'answered = call_tallies_team.answered + excluded.answered, ' +
  'inbound = call_tallies_team.inbound + excluded.inbound, missed = call_tallies_team.missed + excluded.missed';

/** The extension's hourly tally (migration 0031): the same tally, keyed by the delta's extension too. */
const EXTENSION_TALLY_UPSERT =
  'insert into call_tallies_extension (extension, hour, calls, answered, inbound, missed) values (?, ?, ?, ?, ?, ?) ' +
  'on conflict (extension, hour) do update set calls = call_tallies_extension.calls + excluded.calls, ' +
  'answered = call_tallies_extension.answered + excluded.answered, ' +
  'inbound = call_tallies_extension.inbound + excluded.inbound, missed = call_tallies_extension.missed + excluded.missed';

function tallyValues(d: RollupContribution): number[] {
  const t = tallyOf(d);
  return [t.hour, t.calls, t.answered, t.inbound, t.missed];
}

/** Adds one delta to its cell of every grain through Kysely (PostgreSQL, and SQLite without the raw connection). */
export async function addRollupDelta(trx: Kysely<Database>, d: RollupContribution): Promise<void> {
  for (const g of ROLLUP_GRAINS) {
    const columns = [...g.keys, ...MEASURES].map((c) => sql.ref(c));
    await sql`insert into ${sql.table(g.table)} (${sql.join(columns)}) values (${sql.join([...g.key(d), ...measuresOf(d)])}) on conflict (${sql.join(g.keys.map((c) => sql.ref(c)))}) do update set ${sql.raw(addMeasures(g.table))}`.execute(
      trx,
    );
  }
  await bound(TALLY_UPSERT, tallyValues(d)).execute(trx);
  await bound(EXTENSION_TALLY_UPSERT, [d.extension, ...tallyValues(d)]).execute(trx);
}

/** An upsert text's `?` placeholders as Kysely parameters (each dialect's own): one text for both databases. */
function bound(text: string, values: readonly (string | number)[]) {
  const parts = text.split('?');
  return sql.join(
    parts.map((part, i) => (i < values.length ? sql`${sql.raw(part)}${values[i]}` : sql.raw(part))),
    sql``,
  );
}
