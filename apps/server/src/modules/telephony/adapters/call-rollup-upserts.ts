/**
 * The statistics rollups a call's fold moves (migrations 0011, 0022; domain/call-rollup.ts): each delta added to
 * its cell of every grain and to the team's and its extension's hourly tallies (migration 0031), summed over the
 * fold's own transaction and written before it commits (summed-upserts.ts) — the same upsert text on both
 * databases. Why apart: the rollups' shape is the statistics' concern; the call repository only hands over the
 * deltas (kysely-call-repository.ts), and the read-model rebuild (call-read-model-rebuild.ts) recomputes the same
 * tables.
 */
import { monthOfDay, type RollupContribution, tallyOf } from '../domain/call-rollup.js';
import type { CellUpsert } from './summed-upserts.js';

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

/** Each grain's upsert text, keys then measures (`?` placeholders: summed-upserts.ts binds them per dialect). */
const GRAIN_UPSERTS = ROLLUP_GRAINS.map((g) => ({
  grain: g,
  text: `insert into ${g.table} (${[...g.keys, ...MEASURES].join(', ')}) values (${[...g.keys, ...MEASURES]
    .map(() => '?')
    .join(', ')}) on conflict (${g.keys.join(', ')}) do update set ${addMeasures(g.table)}`,
}));

/** The team's hourly tally (migration 0022, domain `tallyOf`). */
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

/** The additions one delta makes: its cell of every grain, the team's and its extension's hourly tallies. */
export function callRollupUpserts(d: RollupContribution): CellUpsert[] {
  const t = tallyOf(d);
  const tally = [t.calls, t.answered, t.inbound, t.missed];
  return [
    ...GRAIN_UPSERTS.map(({ grain, text }) => ({
      text,
      keys: grain.key(d),
      measures: [d.calls, d.talkSeconds, d.waitSeconds],
    })),
    { text: TALLY_UPSERT, keys: [t.hour], measures: tally },
    { text: EXTENSION_TALLY_UPSERT, keys: [d.extension, t.hour], measures: tally },
  ];
}
