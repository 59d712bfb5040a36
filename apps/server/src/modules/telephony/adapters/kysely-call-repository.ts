/**
 * Kysely adapter of `CallRepository`: one row per `pbx_call_id` holding the folded record in columns (for
 * queries and indexes) and the distinct events folded (JSON), from which the record is always re-folded
 * (call-row-fold.ts: what applying an event does to the row).
 * Concurrent notifications of one call are serialised on the row: an upsert creates it, then PostgreSQL locks it
 * with `SELECT … FOR UPDATE`; SQLite has a single writer connection (Kysely's driver mutex), so transactions
 * already run one at a time.
 */
import type SQLite from 'better-sqlite3';
import { type Kysely, sql } from 'kysely';
import { dialectOf } from '../../../platform/db/column-types.js';
import { onSqliteConnection } from '../../../platform/db/database.js';
import type { Database } from '../../../platform/db/schema.js';
import type { CallEvent } from '../domain/call-event.js';
import type { RollupContribution } from '../domain/call-rollup.js';
import type {
  ApplyEventOptions,
  ApplyEventResult,
  CallLinks,
  CallListQuery,
  CallRepository,
  RingingFacts,
  SignedStart,
  StoredCall,
} from '../ports.js';
import { callRollupUpserts } from './call-rollup-upserts.js';
import {
  CALL_COLUMNS,
  type CallCore,
  CORE_COLUMNS,
  factsOf,
  foldOf,
  newCallCore,
  planEvent,
  toStoredCall,
  UPDATE_COLUMNS,
} from './call-row-fold.js';
import { firstSignedWith, sqliteFirstSignedWith } from './kysely-signed-call-lookup.js';
import { type CallFacts, kyselyMissedFates, sqliteMissedFates } from './missed-call-fates.js';
import {
  createSummedUpserts,
  kyselySummedUpserts,
  type SummedUpserts,
  sqliteSummedUpserts,
} from './summed-upserts.js';

const MAX_LIST = 500;

/**
 * `applyEvent` on SQLite as prepared statements run synchronously (the webhook's hot path: no query building,
 * no awaits between the read and the write): `alone` in its own transaction, `inside` within the caller's, its
 * rollups added to the caller's sums (`flush` writes them before the caller commits).
 */
/**
 * A call's row by `pbx_call_id`, its core columns only, as one prepared statement for the fold and the ringing
 * check. Why only those: the others are the fold of `events` (memoised; only applyEvent writes them, from that
 * fold), and turning 25 more columns into JS values cost as much as the rest of the read.
 */
function coreRowByPbxCallId(sqlite: SQLite.Database): SQLite.Statement<[string], CallCore> {
  return sqlite.prepare<[string], CallCore>(
    `select ${CORE_COLUMNS.join(', ')} from calls where pbx_call_id = ?`,
  );
}

function sqliteApplier(sqlite: SQLite.Database, select: SQLite.Statement<[string], CallCore>) {
  // A new call is inserted already folded (one write, not an empty row then an update).
  const insert = sqlite.prepare(
    `insert into calls (${CALL_COLUMNS.join(', ')}) values (${CALL_COLUMNS.map(() => '?').join(', ')})`,
  );
  // An update sets only the columns that changed: SQLite rewrites every index whose column is in the SET
  // list, changed or not. One statement per set of columns, prepared once; values bound by position.
  const writeSums = sqliteSummedUpserts(sqlite);
  const keepMissedFates = sqliteMissedFates(sqlite);
  const updates = new Map<string, SQLite.Statement>();
  const updateOf = (columns: readonly string[]): SQLite.Statement => {
    const key = columns.join(',');
    let statement = updates.get(key);
    if (!statement) {
      statement = sqlite.prepare(
        `update calls set ${columns.map((c) => `${c} = ?`).join(', ')} where id = ?`,
      );
      updates.set(key, statement);
    }
    return statement;
  };
  /** `known`: the call's row as this transaction just read it (null: absent), else read here. */
  const inside = (
    event: CallEvent,
    now: string,
    options: ApplyEventOptions,
    rollups: SummedUpserts,
    known?: CallCore | null,
  ): ApplyEventResult => {
    const row = known === undefined ? select.get(event.pbxCallId) : (known ?? undefined);
    if (!row) {
      const fresh = newCallCore(event.pbxCallId, now);
      const plan = planEvent(fresh, event, now, false, options);
      const values = (plan.update ?? foldOf(fresh).columns) as Record<string, unknown>;
      const core = fresh as unknown as Record<string, unknown>;
      insert.run(CALL_COLUMNS.map((c) => (c in values ? values[c] : core[c])));
      for (const delta of plan.rollups) {
        addRollups(rollups, delta);
      }
      if (plan.update) {
        keepMissedFates(null, factsOf(fresh, plan.update), rollups);
      }
      return plan.result;
    }
    // Read before the plan: planning remembers the new fold under the same call.
    const previous = foldOf(row).columns;
    const plan = planEvent(row, event, now, false, options);
    if (plan.update) {
      const update = plan.update;
      // What the row holds: its core columns as read, the others as the fold of its events wrote them.
      const stored = foldOf(row).columns;
      const read = row as unknown as Record<string, unknown>;
      const changed = UPDATE_COLUMNS.filter((c) => update[c] !== (c in read ? read[c] : stored[c]));
      updateOf(changed).run([...changed.map((c) => update[c]), row.id]);
    }
    for (const delta of plan.rollups) {
      addRollups(rollups, delta);
    }
    if (plan.update) {
      keepMissedFates(factsOf(row, previous), factsOf(row, plan.update), rollups);
    }
    return plan.result;
  };
  const flush = (rollups: SummedUpserts): void => writeSums(rollups.take());
  const alone = sqlite.transaction((event: CallEvent, now: string, options: ApplyEventOptions) => {
    const rollups = createSummedUpserts();
    const result = inside(event, now, options, rollups);
    flush(rollups);
    return result;
  });
  return { inside, alone, flush };
}

/** A call's rollup delta, added to the transaction's sums. */
function addRollups(rollups: SummedUpserts, delta: RollupContribution): void {
  for (const upsert of callRollupUpserts(delta)) {
    rollups.add(upsert);
  }
}

/**
 * `get` and the reads the ringing judgement makes for every NOTIFY_INTERNAL (use-cases/handle-call-ringing.ts
 * `judgeRinging`) as native prepared statements, run synchronously on the connection. Why: building `get`'s query
 * through Kysely and running both through its driver cost more than SQLite's two index seeks (the ingest bench's
 * new numbers). `ringingFacts` returns the row it read too, for the fold to start from.
 */
function sqliteReader(sqlite: SQLite.Database, byPbxCallId: SQLite.Statement<[string], CallCore>) {
  const firstSignedWith = sqliteFirstSignedWith(sqlite);
  return {
    get(pbxCallId: string): StoredCall | null {
      const row = byPbxCallId.get(pbxCallId);
      return row ? toStoredCall(row) : null;
    },
    ringingFacts(
      pbxCallId: string,
      signed: SignedStart | null,
    ): { facts: RingingFacts; row: CallCore | null } {
      const row = byPbxCallId.get(pbxCallId) ?? null;
      const facts = {
        call: row ? toStoredCall(row) : null,
        firstSigned: signed ? firstSignedWith(signed) : null,
      };
      return { facts, row };
    },
  };
}

/** The columns a link sets, in a fixed order. */
const LINK_COLUMNS = {
  contactId: 'contact_id',
  agentUserId: 'agent_user_id',
  clientE164: 'client_e164',
} as const;

function linkColumns(links: CallLinks): { column: string; value: string | null }[] {
  return (Object.keys(LINK_COLUMNS) as (keyof CallLinks)[])
    .filter((key) => links[key] !== undefined)
    .map((key) => ({ column: LINK_COLUMNS[key], value: links[key] ?? null }));
}

/**
 * The link update on SQLite: one prepared statement per set of columns (only those indexes are touched),
 * returning just what the caller cannot know: the new version.
 */
function sqliteLinker(sqlite: SQLite.Database) {
  const statements = new Map<string, SQLite.Statement<unknown[], { version: number; updated_at: string }>>();
  return (id: string, links: CallLinks, now: string) => {
    const set = linkColumns(links);
    const key = set.map((c) => c.column).join(',');
    let statement = statements.get(key);
    if (!statement) {
      statement = sqlite.prepare<unknown[], { version: number; updated_at: string }>(
        `update calls set ${set.map((c) => `${c.column} = ?, `).join('')}version = version + 1, updated_at = ? ` +
          'where id = ? returning version, updated_at',
      );
      statements.set(key, statement);
    }
    return statement.get(...set.map((c) => c.value), now, id);
  };
}

/** The adapter, plus the same repository bound to a caller's open transaction. */
export interface TransactionalCallRepository extends CallRepository {
  /**
   * This repository over `trx`, an open transaction of the same database (prepared statements reused). The
   * statistics rollups its folds move are summed over the transaction (summed-upserts.ts): `beforeCommit`
   * receives the flush that writes them, which must run inside `trx` before it commits.
   * Why: a batch of webhooks folds its calls inside one transaction; on SQLite the raw statements then run on
   * the connection the transaction already holds instead of waiting for it, and the batch's calls, which
   * mostly share their rollup cells, write each cell once.
   */
  within(trx: Kysely<Database>, beforeCommit: (flush: () => Promise<void>) => void): CallRepository;
}

/**
 * Creates the call repository over a Kysely database (either dialect).
 * Why: `applyEvent` is the one write path of call records — idempotent, order-independent and race-free.
 */
export function createCallRepository(
  db: Kysely<Database>,
  options: { readonly sqlite?: SQLite.Database | null } = {},
): TransactionalCallRepository {
  const fast = options.sqlite
    ? { sqlite: options.sqlite, coreRow: coreRowByPbxCallId(options.sqlite) }
    : null;
  const applier = fast ? sqliteApplier(fast.sqlite, fast.coreRow) : null;
  const linker = fast ? sqliteLinker(fast.sqlite) : null;
  const reader = fast ? sqliteReader(fast.sqlite, fast.coreRow) : null;
  // Kysely<Database> is not assignable to Kysely<unknown> (invariant table map); only the adapter is read.
  const lockRows = dialectOf(db as unknown as Kysely<unknown>) === 'postgres';
  const root = bind(db, null);
  return {
    ...root,
    within(trx, beforeCommit) {
      const sums = createSummedUpserts();
      const repository = bind(trx, sums);
      beforeCommit(() =>
        applier ? onSqliteConnection(trx, () => applier.flush(sums)) : kyselySummedUpserts(trx, sums.take()),
      );
      return repository;
    },
  };

  /**
   * The repository over `executor`; `sums`: it is an open transaction (its connection is ours already), whose
   * rollups go to these sums; null: each fold runs in a transaction of its own.
   */
  function bind(executor: Kysely<Database>, sums: SummedUpserts | null): CallRepository {
    const onConnection = <T>(work: () => T): Promise<T> => onSqliteConnection(executor, work);
    /**
     * The row `ringingFacts` last read in this open transaction, for the fold of the same call to start from
     * (`ApplyEventOptions.read`); forgotten at any write through this repository. Why it holds: SQLite's one
     * writer is this transaction, so no one else writes the row between the two. Outside a transaction (`sums`
     * null) nothing is kept.
     */
    let lastRead: { facts: RingingFacts; pbxCallId: string; row: CallCore | null } | null = null;
    return createBoundRepository(executor, {
      sums,
      lockRows,
      applyOnSqlite: applier
        ? (event, now, options) => {
            const read =
              options.read !== undefined &&
              lastRead?.facts === options.read &&
              lastRead.pbxCallId === event.pbxCallId
                ? lastRead.row
                : undefined;
            lastRead = null;
            return onConnection(() =>
              sums ? applier.inside(event, now, options, sums, read) : applier.alone(event, now, options),
            );
          }
        : null,
      linkOnSqlite: linker
        ? (id, links, now) => {
            lastRead = null;
            return onConnection(() => linker(id, links, now));
          }
        : null,
      getOnSqlite: reader ? (pbxCallId) => onConnection(() => reader.get(pbxCallId)) : null,
      ringingFactsOnSqlite: reader
        ? (pbxCallId, signed) =>
            onConnection(() => {
              const { facts, row } = reader.ringingFacts(pbxCallId, signed);
              lastRead = sums ? { facts, pbxCallId, row } : null;
              return facts;
            })
        : null,
    });
  }
}

function createBoundRepository(
  db: Kysely<Database>,
  options: {
    /**
     * `db` is an open transaction: statements join it rather than open their own, and the rollups go to these
     * sums (written by the flush `within` handed over). Null: each fold opens a transaction and writes its own.
     */
    readonly sums: SummedUpserts | null;
    readonly lockRows: boolean;
    readonly applyOnSqlite:
      | ((event: CallEvent, now: string, options: ApplyEventOptions) => Promise<ApplyEventResult>)
      | null;
    readonly linkOnSqlite:
      | ((
          id: string,
          links: CallLinks,
          now: string,
        ) => Promise<{ version: number; updated_at: string } | undefined>)
      | null;
    readonly getOnSqlite: ((pbxCallId: string) => Promise<StoredCall | null>) | null;
    readonly ringingFactsOnSqlite: CallRepository['ringingFacts'] | null;
  },
): CallRepository {
  const { sums, lockRows, applyOnSqlite, linkOnSqlite, getOnSqlite, ringingFactsOnSqlite } = options;

  async function get(pbxCallId: string): Promise<StoredCall | null> {
    if (getOnSqlite) {
      return getOnSqlite(pbxCallId);
    }
    const row = await db
      .selectFrom('calls')
      .select(CORE_COLUMNS)
      .where('pbx_call_id', '=', pbxCallId)
      .executeTakeFirst();
    return row ? toStoredCall(row) : null;
  }

  return {
    applyEvent(event, now = new Date().toISOString(), options = {}) {
      if (applyOnSqlite) {
        return applyOnSqlite(event, now, options);
      }
      const apply = async (trx: Kysely<Database>, rollups: SummedUpserts) => {
        const select = () => {
          // The core columns (sqliteApplier says why): the others are the fold of `events`.
          const q = trx.selectFrom('calls').select(CORE_COLUMNS).where('pbx_call_id', '=', event.pbxCallId);
          return (lockRows ? q.forUpdate() : q).executeTakeFirst();
        };
        const keepFates = (before: CallFacts | null, after: CallFacts) =>
          kyselyMissedFates(trx, before, after, { advisoryLocks: lockRows, rollups });
        // Most notifications belong to a call that exists already: read first, create only when missing.
        let row = await select();
        if (!row) {
          // A new call is inserted already folded, as on SQLite's path: one statement where an empty row, its
          // read back and its update took three round trips on PostgreSQL. Refused, it writes nothing.
          const fresh = newCallCore(event.pbxCallId, lockRows ? new Date(now).toISOString() : now);
          const plan = planEvent(fresh, event, now, lockRows, options);
          const inserted = await trx
            .insertInto('calls')
            .values({ ...fresh, ...(plan.update ?? foldOf(fresh).columns) })
            .onConflict((oc) => oc.column('pbx_call_id').doNothing())
            .returning('id')
            .executeTakeFirst();
          if (inserted) {
            for (const delta of plan.rollups) {
              addRollups(rollups, delta);
            }
            if (plan.update) {
              await keepFates(null, factsOf(fresh, plan.update));
            }
            return plan.result;
          }
          // Another transaction's first event of the same call inserted it meanwhile: ours folds into its row.
          row = await select();
          if (!row) {
            throw new Error(`call ${event.pbxCallId} vanished while its event was applied`);
          }
        }
        const previous = foldOf(row).columns;
        const plan = planEvent(row, event, now, lockRows, options);
        if (plan.update) {
          await trx.updateTable('calls').set(plan.update).where('id', '=', row.id).execute();
        }
        for (const delta of plan.rollups) {
          addRollups(rollups, delta);
        }
        if (plan.update) {
          await keepFates(factsOf(row, previous), factsOf(row, plan.update));
        }
        return plan.result;
      };
      if (sums) {
        return apply(db, sums);
      }
      return db.transaction().execute(async (trx) => {
        const rollups = createSummedUpserts();
        const result = await apply(trx, rollups);
        await kyselySummedUpserts(trx, rollups.take());
        return result;
      });
    },

    get,

    async getById(id) {
      const row = await db.selectFrom('calls').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toStoredCall(row) : null;
    },

    async link(call: StoredCall, links: CallLinks, now = new Date().toISOString()) {
      const set = linkColumns(links);
      if (set.length === 0) {
        return call;
      }
      const written = linkOnSqlite
        ? await linkOnSqlite(call.id, links, now)
        : await db
            .updateTable('calls')
            .set({
              ...Object.fromEntries(set.map((c) => [c.column, c.value])),
              version: sql<number>`version + 1`,
              updated_at: now,
            })
            .where('id', '=', call.id)
            .returning(['version', 'updated_at'])
            .executeTakeFirst();
      if (!written) {
        return null;
      }
      return {
        ...call,
        ...(links.contactId !== undefined ? { contactId: links.contactId } : {}),
        ...(links.agentUserId !== undefined ? { agentUserId: links.agentUserId } : {}),
        ...(links.clientE164 !== undefined ? { clientE164: links.clientE164 } : {}),
        version: written.version,
        updatedAt: written.updated_at,
      };
    },

    async ringingFacts(pbxCallId, signed) {
      if (ringingFactsOnSqlite) {
        return ringingFactsOnSqlite(pbxCallId, signed);
      }
      const [call, firstSigned] = await Promise.all([
        get(pbxCallId),
        signed ? firstSignedWith(db, signed) : null,
      ]);
      return { call, firstSigned };
    },

    async list(query: CallListQuery = {}) {
      const startedOrCreated = sql<string>`coalesce(started_at, created_at)`;
      let q = db.selectFrom('calls').selectAll();
      if (query.contactId) {
        q = q.where('contact_id', '=', query.contactId);
      }
      if (query.agentUserId) {
        q = q.where('agent_user_id', '=', query.agentUserId);
      }
      if (query.startedBefore) {
        q = q.where(startedOrCreated, '<', query.startedBefore);
      }
      const rows = await q
        .orderBy(startedOrCreated, 'desc')
        .orderBy('id', 'desc')
        .limit(Math.min(Math.max(query.limit ?? 50, 1), MAX_LIST))
        .execute();
      return rows.map((row) => toStoredCall(row));
    },
  };
}
