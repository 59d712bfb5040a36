/**
 * What the fold's exactness suites share (call-rollups, missed-call-fates, the statistics reader): the variants
 * they run on, streams of notifications duplicated and shuffled, a wipe of the calls and every rollup grain, and
 * applying a stream through the repository as the webhook path does.
 */
import fc from 'fast-check';
import { sql } from 'kysely';
import { TEST_DIALECTS, type TestDatabase } from '../../../test-support/test-database.js';
import { createCallRepository } from '../adapters/kysely-call-repository.js';
import { beforeCommitFlushes } from '../adapters/kysely-unit-of-work.js';
import { type CallEvent, CallEventRefusedError } from '../domain/call-event.js';
import type { CallRepository } from '../ports.js';

/** Both dialects, and SQLite's prepared-statement path beside its Kysely one. */
export const FOLD_VARIANTS = TEST_DIALECTS.flatMap((dialect) =>
  dialect === 'sqlite' ? [`${dialect}`, `${dialect} with prepared statements`] : [`${dialect}`],
);

/** The dialect and path of a {@link FOLD_VARIANTS} entry. */
export function variantOf(variant: string): { dialect: 'sqlite' | 'postgres'; prepared: boolean } {
  return {
    dialect: variant.startsWith('sqlite') ? 'sqlite' : 'postgres',
    prepared: variant.endsWith('prepared statements'),
  };
}

/** The events, every one at least once, some several times, in any order. */
export function shuffledWithReplays(events: readonly CallEvent[]): fc.Arbitrary<CallEvent[]> {
  return fc
    .tuple(
      fc.array(fc.nat(events.length - 1), { maxLength: events.length }),
      fc.array(fc.double({ min: 0, max: 1, noNaN: true }), {
        minLength: events.length * 2,
        maxLength: events.length * 2,
      }),
    )
    .map(([replays, keys]) =>
      [...events, ...replays.map((i) => events[i] as CallEvent)]
        .map((event, i) => ({ event, key: keys[i] ?? 0 }))
        .sort((a, b) => a.key - b.key)
        .map((x) => x.event),
    );
}

/** Every grain of the call rollups the fold keeps (migrations 0011, 0022, 0031). */
export const CALL_ROLLUP_TABLES = [
  'call_rollups',
  'call_rollups_daily',
  'call_rollups_team',
  'call_rollups_monthly',
  'call_tallies_team',
  'call_tallies_extension',
] as const;

/** Every grain of the missed-call rollups (migrations 0017, 0022). */
export const MISSED_ROLLUP_TABLES = [
  'call_missed_rollups',
  'call_missed_rollups_daily',
  'call_missed_rollups_monthly',
] as const;

/** Empties the given rollup tables. */
export async function wipeTables(
  database: TestDatabase,
  tables: readonly ((typeof CALL_ROLLUP_TABLES)[number] | (typeof MISSED_ROLLUP_TABLES)[number])[],
): Promise<void> {
  for (const table of tables) {
    await database.db.deleteFrom(table).execute();
  }
}

/** Empties the calls and every rollup. */
export async function wipeCallsAndRollups(database: TestDatabase): Promise<void> {
  await wipeTables(database, [...CALL_ROLLUP_TABLES, ...MISSED_ROLLUP_TABLES]);
  await sql`delete from calls`.execute(database.db);
}

/**
 * Folds the events one by one as the webhook path does (a refused event is skipped, as the inbox would), each
 * with its client number when `clients` names one. Each event in a transaction of its own, or with
 * `oneTransaction` all of them in one, as a webhook batch folds them (the rollups summed over it, written
 * before it commits).
 */
export async function applyStream(
  database: TestDatabase,
  prepared: boolean,
  events: readonly CallEvent[],
  clients: ReadonlyMap<string, string> = new Map(),
  options: { readonly oneTransaction?: boolean } = {},
): Promise<void> {
  const calls = createCallRepository(database.db, { sqlite: prepared ? database.sqlite : null });
  const fold = async (repository: CallRepository) => {
    for (const event of events) {
      const client = clients.get(event.pbxCallId) ?? null;
      try {
        await repository.applyEvent(event, event.receivedAt, { clientE164: () => client });
      } catch (error) {
        if (!(error instanceof CallEventRefusedError)) {
          throw error;
        }
      }
    }
  };
  if (!options.oneTransaction) {
    await fold(calls);
    return;
  }
  await database.db.transaction().execute(async (trx) => {
    const flushes = beforeCommitFlushes();
    await fold(calls.within(trx, flushes.beforeCommit));
    await flushes.run();
  });
}
