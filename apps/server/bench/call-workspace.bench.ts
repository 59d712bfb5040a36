/**
 * The call workspace's reads on a busy calls table (issue 13). Not a unit test. On a fresh SQLite file opened
 * like the server's, with BENCH_CALLS calls over 30 days (70 % answered, 25 % missed, a few still ringing or in
 * progress, numbers drawn from a pool so that most missed calls were returned), it times through the app's
 * adapter (Kysely on the app's connection):
 * - what a connecting tab reads first (`inProgressFor`, the calls in progress in a user's audience, and
 *   `openFor`, the wrap-ups the user left open, among one card per answered call of the last 30 days, nearly all
 *   closed);
 * - the missed calls list of an agent whose extension rang them (stops at its 100 newest) and of a user who is
 *   only responsible for a few contacts (reads the whole 14-day window);
 * beside the baseline of the same layer's primary-key lookup of one call, measured in the same run.
 * Targets, on the median because this machine's tail belongs to its neighbours (p99 printed beside): restore
 * p50 ≤ 2 ms (it runs once per tab that connects, off the webhook path); missed lists p50 ≤ 20 ms (a page
 * load). Exits 1 when missed.
 * Env: BENCH_CALLS (200000), BENCH_SAMPLES (200).
 * Run alone: `npx tsx --conditions=@switchboard/source apps/server/bench/call-workspace.bench.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createKyselyCallWorkspaceStore } from '../src/modules/telephony/adapters/kysely-call-workspace-store.js';
import { createKyselyWrapUpCards } from '../src/modules/telephony/adapters/kysely-wrap-up-cards.js';
import { openDatabase } from '../src/platform/db/database.js';
import { migrateToLatest } from '../src/platform/db/migrate.js';
import { newId } from '../src/platform/ids.js';
import { ms, printTable, type Row, summarize } from './stats.js';

const CALLS = Number(process.env.BENCH_CALLS ?? 200_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
const DAY = 24 * 60 * 60_000;

async function time(samples: number, work: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < samples; i++) {
    const started = performance.now();
    await work(i);
    out.push(performance.now() - started);
  }
  return out;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-workspace-bench-'));
  const database = openDatabase({ dialect: 'sqlite', file: join(dir, 'bench.sqlite') });
  try {
    await migrateToLatest(database.db);
    const sqlite = database.sqlite as NonNullable<typeof database.sqlite>;
    const now = Date.now();
    const userId = newId();
    const responsibleId = newId();
    for (const [id, email] of [
      [userId, 'agent@bench.test'],
      [responsibleId, 'owner@bench.test'],
    ] as const) {
      sqlite
        .prepare(
          "insert into users (id, email, name, role, password_hash, locale, created_at, updated_at) values (?, ?, 'Bench', 'agent', 'x', 'en', ?, ?)",
        )
        .run(id, email, new Date(now).toISOString(), new Date(now).toISOString());
    }
    const contactIds: string[] = [];
    const insertContact = sqlite.prepare(
      "insert into contacts (id, first_name, last_name, display_name, sort_key, responsible_user_id, notes, do_not_call, created_at, updated_at) values (?, 'B', 'C', 'B C', 'b c', ?, '', 0, ?, ?)",
    );
    for (let i = 0; i < 50; i++) {
      const id = newId();
      contactIds.push(id);
      insertContact.run(id, responsibleId, new Date(now).toISOString(), new Date(now).toISOString());
    }
    const insert = sqlite.prepare(
      `insert into calls (id, pbx_call_id, direction, status, started_at, client_number, client_e164,
        ringing_extensions, answered_by, contact_id, agent_user_id, created_at, updated_at)
       values (?, ?, 'inbound', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const ids: string[] = [];
    sqlite.transaction(() => {
      for (let i = 0; i < CALLS; i++) {
        const r = (i * 7919) % 100;
        const status =
          i >= CALLS - 20
            ? i % 2
              ? 'ringing'
              : 'in_progress'
            : r < 70
              ? 'answered'
              : r < 95
                ? 'missed'
                : 'busy';
        const startedAt = new Date(
          i >= CALLS - 20 ? now - 60_000 : now - 30 * DAY + Math.floor((i / CALLS) * 30 * DAY),
        ).toISOString();
        const number = `+336${String(10_000_000 + ((i * 104_729) % 20_000)).padStart(8, '0')}`;
        const rang = r % 3 === 0 ? '["101"]' : '["100","101","102"]';
        const contactId = i % 997 === 0 ? (contactIds[i % contactIds.length] as string) : null;
        const id = newId();
        ids.push(id);
        insert.run(
          id,
          `in_${id}`,
          status,
          startedAt,
          number,
          number,
          i % 5 === 0 ? '["102"]' : rang,
          status === 'answered' || status === 'in_progress' ? '101' : null,
          contactId,
          status === 'in_progress' && i % 4 === 0 ? userId : null,
          startedAt,
          startedAt,
        );
      }
    })();
    // A wrap-up card per answered call (every 2nd one the bench agent's), all closed but the last 10 of theirs.
    const insertCard = sqlite.prepare(
      'insert into call_wrap_up_cards (call_id, user_id, opened_at, closed_at) values (?, ?, ?, ?)',
    );
    sqlite.transaction(() => {
      let open = 0;
      for (let i = ids.length - 21; i >= 0; i--) {
        if ((i * 7919) % 100 >= 70) {
          continue;
        }
        const owner = i % 2 === 0 ? userId : responsibleId;
        const at = new Date(now - 30 * DAY + Math.floor((i / CALLS) * 30 * DAY)).toISOString();
        const stillOpen = owner === userId && open < 10;
        open += stillOpen ? 1 : 0;
        insertCard.run(ids[i], owner, at, stillOpen ? null : at);
      }
    })();
    sqlite.exec('analyze');
    const store = createKyselyCallWorkspaceStore(database.db);
    const wrapUps = createKyselyWrapUpCards(database.db);
    const since12h = new Date(now - 12 * 60 * 60_000).toISOString();
    const since14 = new Date(now - 14 * DAY).toISOString();

    const baseline = await time(SAMPLES, (i) =>
      database.db
        .selectFrom('calls')
        .select('id')
        .where('id', '=', ids[(i * 7_919) % ids.length] as string)
        .executeTakeFirst(),
    );
    const restore = await time(SAMPLES, () =>
      store.inProgressFor({
        userId,
        extension: '101',
        ringingSince: new Date(now - 5 * 60_000).toISOString(),
        inProgressSince: new Date(now - 4 * 60 * 60_000).toISOString(),
      }),
    );
    const openWrapUps = await time(SAMPLES, () => wrapUps.openFor(userId, since12h, 10));
    const rung = await time(SAMPLES, () =>
      store.missedFor({ userId, extension: '101', since: since14, limit: 100 }),
    );
    const owner = await time(SAMPLES, () =>
      store.missedFor({ userId: responsibleId, extension: null, since: since14, limit: 100 }),
    );
    const found = {
      restore: (
        await store.inProgressFor({
          userId,
          extension: '101',
          ringingSince: new Date(now - 5 * 60_000).toISOString(),
          inProgressSince: new Date(now - 4 * 60 * 60_000).toISOString(),
        })
      ).length,
      wrapUps: (await wrapUps.openFor(userId, since12h, 10)).length,
      rung: (await store.missedFor({ userId, extension: '101', since: since14, limit: 100 })).length,
      owner: (await store.missedFor({ userId: responsibleId, extension: null, since: since14, limit: 100 }))
        .length,
    };
    const b = summarize(baseline);
    const rows: Row[] = [
      {
        what: `baseline: one call by primary key (${CALLS} calls)`,
        measured: `p50 ${ms(b.p50)} · p99 ${ms(b.p99)}`,
        target: 'reference',
        pass: null,
      },
    ];
    for (const [what, samples, target, count] of [
      ['restore: calls in progress of a user', restore, 2, found.restore],
      ['restore: wrap-ups the user left open', openWrapUps, 2, found.wrapUps],
      ['missed list: agent whose phone rang', rung, 20, found.rung],
      ['missed list: responsible user only', owner, 20, found.owner],
    ] as const) {
      const s = summarize([...samples]);
      rows.push({
        what: `${what} (${count} rows)`,
        measured: `p50 ${ms(s.p50)} · p99 ${ms(s.p99)} (${(s.p50 / b.p50).toFixed(0)}× baseline p50)`,
        target: `p50 ≤ ${target} ms`,
        pass: s.p50 <= target,
      });
    }
    printTable(rows);
    if (rows.some((r) => r.pass === false)) {
      process.exitCode = 1;
    }
  } finally {
    await database.db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
