/**
 * The history import's own cost (issue 11). Not a unit test. Zadarma serves at most 1,000 rows per request and 3
 * requests a minute, so an import can never receive more than one page every 20 s; what matters is that folding a
 * page takes a small part of that. On a fresh SQLite file opened like the server's, it imports BENCH_HISTORY_CALLS
 * calls (every fifth a two-leg transfer) page by page through the real use case and adapters (the Kysely call
 * repository, links, timeline, the run's cursor), from an in-memory Zadarma, and times each page; beside it, the
 * baseline measured in the same run: the same notifications folded straight into the repository for as many other
 * calls, in the same transactions of 50 calls (the fold alone). Target: a page of 1,000 rows folded in ≤ 2 s (10 % of the
 * 20 s between two requests), p50. Exits 1 when missed.
 * Env: BENCH_HISTORY_CALLS (20000).
 * Run alone: `npx tsx --conditions=@switchboard/source apps/server/bench/history-import.bench.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createHistoryCallLinks } from '../src/modules/telephony/adapters/history-call-links-over-lookups.js';
import {
  createInMemoryCallHistorySource,
  createInMemoryHistoryJobs,
} from '../src/modules/telephony/adapters/in-memory-history.js';
import { createCallRepository } from '../src/modules/telephony/adapters/kysely-call-repository.js';
import { createKyselyCallTimeline } from '../src/modules/telephony/adapters/kysely-call-timeline.js';
import { createKyselyContactLookup } from '../src/modules/telephony/adapters/kysely-contact-lookup.js';
import { createKyselyExtensionDirectory } from '../src/modules/telephony/adapters/kysely-extension-directory.js';
import { createKyselyHistoryRunStore } from '../src/modules/telephony/adapters/kysely-history-runs.js';
import { createKyselyUnitOfWork } from '../src/modules/telephony/adapters/kysely-unit-of-work.js';
import {
  groupHistoryRows,
  historyEvents,
  type StatisticsCallRow,
} from '../src/modules/telephony/domain/call-history.js';
import type { HistoryFoldPorts } from '../src/modules/telephony/ports.js';
import { runHistoryStep, startHistoryRun } from '../src/modules/telephony/use-cases/import-call-history.js';
import { systemActor } from '../src/platform/auth/actor.js';
import { openDatabase } from '../src/platform/db/database.js';
import { migrateToLatest } from '../src/platform/db/migrate.js';
import { createInProcessEventBus } from '../src/platform/events/in-process-event-bus.js';
import { newId } from '../src/platform/ids.js';
import { ms, printTable, type Row, summarize } from './stats.js';

const CALLS = Number(process.env.BENCH_HISTORY_CALLS ?? 20_000);
const PAGE = 1000;
const TARGET_MS = 2000;
const TZ = 'UTC+3';

/** `YYYY-MM-DD HH:MM:SS` at UTC+3 of `ms`. */
function accountTime(at: number): string {
  return new Date(at + 3 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

function history(prefix: string, now: number): StatisticsCallRow[] {
  const rows: StatisticsCallRow[] = [];
  const span = 25 * 86_400_000;
  for (let i = 0; i < CALLS; i++) {
    const callstart = accountTime(now - span + Math.floor((i * span) / CALLS));
    const pbxCallId = `in_${prefix}${i.toString(16).padStart(36, '0')}`;
    const number = `336${(10_000_000 + (i % 50_000)).toString()}`;
    const leg = (sip: string, seconds: number): StatisticsCallRow => ({
      callId: `${1_700_000_000 + i}.${sip}`,
      sip,
      callstart,
      clid: `Client (${number})`,
      destination: sip,
      disposition: i % 4 === 3 ? 'no answer' : 'answered',
      seconds: i % 4 === 3 ? 0 : seconds,
      isRecorded: false,
      pbxCallId,
    });
    rows.push(leg(String(100 + (i % 5)), 30 + (i % 90)));
    if (i % 5 === 0 && i % 4 !== 3) {
      rows.push(leg(String(100 + ((i + 1) % 5)), 20));
    }
  }
  return rows;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-history-bench-'));
  const database = openDatabase({ dialect: 'sqlite', file: join(dir, 'bench.sqlite') });
  try {
    await migrateToLatest(database.db);
    const { db, sqlite } = database;
    const now = Date.now();
    const calls = createCallRepository(db, { sqlite });

    const folds = createKyselyUnitOfWork<HistoryFoldPorts>({
      db,
      bus: createInProcessEventBus({ db, sqlite }),
      bind: (trx, _publisher, beforeCommit) => {
        const directory = createKyselyExtensionDirectory(trx, sqlite);
        return {
          calls: calls.within(trx, beforeCommit),
          timeline: createKyselyCallTimeline(trx),
          links: createHistoryCallLinks(createKyselyContactLookup(trx, sqlite), directory),
          directory,
        };
      },
    });
    // Baseline: the same notifications folded straight in for other calls, 50 calls per transaction as the import
    // does — the fold alone, without the lookups, links, timeline and cursor.
    const baselineRows = history('b', now);
    const grouped = groupHistoryRows(baselineRows);
    const started = performance.now();
    for (let from = 0; from < grouped.length; from += 50) {
      await folds.run(async (tx) => {
        for (const call of grouped.slice(from, from + 50)) {
          for (const event of historyEvents(call, TZ, null)) {
            await tx.calls.applyEvent(event, new Date().toISOString());
          }
        }
      });
    }
    const baselineMs = performance.now() - started;

    const rows = history('a', now);
    const source = createInMemoryCallHistorySource(rows, TZ);
    const jobs = createInMemoryHistoryJobs();
    const ports = {
      runs: createKyselyHistoryRunStore(db),
      source,
      folds,
      defaultCountry: async () => 'FR',
      jobs,
      clock: { now: () => Date.now() },
      pbxClock: { now: () => now },
      newId,
    };
    const run = await startHistoryRun(ports, systemActor('bench'), {
      kind: 'import',
      days: 30,
      pageSize: PAGE,
    });
    const pages: number[] = [];
    const importStarted = performance.now();
    for (let next = jobs.queued.shift(); next; next = jobs.queued.shift()) {
      const t0 = performance.now();
      await runHistoryStep(ports, next.runId, next.step);
      pages.push(performance.now() - t0);
    }
    const importMs = performance.now() - importStarted;
    const done = await ports.runs.get(run.id);
    if (done?.status !== 'done' || done.callsHealed !== CALLS) {
      throw new Error(`the import did not fold every call: ${JSON.stringify(done)}`);
    }
    const s = summarize(pages);
    const perCall = importMs / CALLS;
    const basePerCall = baselineMs / CALLS;
    const rowsOut: Row[] = [
      {
        what: `baseline: the fold alone, same notifications, other calls (${CALLS} calls, ${baselineRows.length} rows)`,
        measured: `${ms(basePerCall)} per call`,
        target: 'reference',
        pass: null,
      },
      {
        what: `import, whole (${CALLS} calls, ${rows.length} rows, ${pages.length} pages of ≤ ${PAGE})`,
        measured: `${ms(perCall)} per call (${(perCall / basePerCall).toFixed(2)}× baseline)`,
        target: 'info',
        pass: null,
      },
      {
        what: 'import, one page of 1,000 rows',
        measured: `p50 ${ms(s.p50)} · p99 ${ms(s.p99)}`,
        target: `p50 ≤ ${TARGET_MS} ms (Zadarma gives one page per 20 s)`,
        pass: s.p50 <= TARGET_MS,
      },
    ];
    printTable(rowsOut);
    if (rowsOut.some((r) => r.pass === false)) {
      process.exitCode = 1;
    }
  } finally {
    await database.db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
