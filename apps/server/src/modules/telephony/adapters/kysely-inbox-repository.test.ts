import { setTimeout as sleep } from 'node:timers/promises';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../../platform/db/database.js';
import { holdWriteLock } from '../../../test-support/hold-write-lock.js';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../../test-support/test-database.js';
import type { InboxEntry, InboxRepository } from '../ports.js';
import { openSecondHandle } from '../test-support/second-handle.js';
import {
  claimStrandedInboxEntries,
  createGroupCommitInbox,
  createInboxRepository,
} from './kysely-inbox-repository.js';
import { beforeCommitFlushes } from './kysely-unit-of-work.js';
import { beatServerInstance } from './server-instances.js';

const BODY =
  'event=NOTIFY_START&call_start=2024-05-14+10%3A15%3A30&pbx_call_id=in_3f0a&caller_id=442037691880&called_did=442037691999';

// Every behaviour holds for both writers: one INSERT per call, and the group-committing one ingest uses.
const VARIANTS = TEST_DIALECTS.flatMap((dialect) => [
  { dialect, writer: 'single' as const },
  { dialect, writer: 'group commit' as const },
]);

describe.each(VARIANTS)('the webhook inbox on $dialect ($writer writes)', ({ dialect, writer }) => {
  let database: TestDatabase;
  let inbox: InboxRepository;
  beforeAll(async () => {
    database = await openTestDatabase(dialect);
    inbox = writer === 'single' ? createInboxRepository(database.db) : createGroupCommitInbox(database);
  });
  afterAll(async () => {
    await database.cleanup();
  });

  it('stores the raw request and reads it back unchanged', async () => {
    const entry = await inbox.append({
      receivedAt: '2024-05-14T07:15:30.123Z',
      remoteIp: '185.45.152.42',
      event: 'NOTIFY_START',
      pbxCallId: 'in_3f0a',
      body: BODY,
      contentType: 'application/x-www-form-urlencoded',
      signatureValid: true,
      status: 'received',
    });
    expect(await inbox.get(entry.id)).toEqual({
      id: entry.id,
      receivedAt: '2024-05-14T07:15:30.123Z',
      remoteIp: '185.45.152.42',
      event: 'NOTIFY_START',
      pbxCallId: 'in_3f0a',
      body: BODY,
      contentType: 'application/x-www-form-urlencoded',
      signatureValid: true,
      status: 'received',
      error: null,
      processedAt: null,
      // Kept whole: a verified request has no prefix or hash of its own.
      bodySize: null,
      bodySha256: null,
      routingRefusal: null,
    });
  });

  it("stores a NOTIFY_START's refusal on its entry, clears it, and refuses to note one on no entry", async () => {
    const entry = await inbox.append({
      receivedAt: '2024-05-14T07:15:40.000Z',
      remoteIp: null,
      event: 'NOTIFY_START',
      pbxCallId: 'in_refused',
      body: BODY,
      contentType: 'application/x-www-form-urlencoded',
      signatureValid: true,
      status: 'received',
    });
    await inbox.noteRoutingRefusal(entry.id, 'hangup');
    expect((await inbox.get(entry.id))?.routingRefusal).toBe('hangup');
    await inbox.noteRoutingRefusal(entry.id, null);
    expect((await inbox.get(entry.id))?.routingRefusal).toBeNull();
    // An entry still in a busy SQLite's journal has no row: the refusal is not stored, and says so.
    await expect(
      inbox.noteRoutingRefusal('0190f000-0000-7000-8000-0000000000ff', 'blacklist'),
    ).rejects.toThrow(/not in webhook_inbox/);
  });

  it('marks entries processed or failed with the error text', async () => {
    const base = {
      remoteIp: null,
      event: 'NOTIFY_END',
      pbxCallId: 'in_mark',
      body: 'x',
      contentType: null,
      signatureValid: true,
      status: 'received' as const,
    };
    const ok = await inbox.append({ ...base, receivedAt: '2024-05-14T07:16:00.000Z' });
    const bad = await inbox.append({ ...base, receivedAt: '2024-05-14T07:16:01.000Z' });
    await inbox.markProcessed(ok.id, '2024-05-14T07:16:02.000Z');
    await inbox.markFailed(bad.id, 'call_start is not a date', '2024-05-14T07:16:03.000Z');
    expect(await inbox.get(ok.id)).toMatchObject({
      status: 'processed',
      processedAt: '2024-05-14T07:16:02.000Z',
    });
    expect(await inbox.get(bad.id)).toMatchObject({ status: 'failed', error: 'call_start is not a date' });
  });

  it('lists newest first, filtered by call, status and time', async () => {
    for (let i = 0; i < 5; i++) {
      await inbox.append({
        receivedAt: `2024-05-15T00:00:0${i}.000Z`,
        remoteIp: null,
        event: 'NOTIFY_INTERNAL',
        pbxCallId: 'in_list',
        body: `n=${i}`,
        contentType: null,
        signatureValid: i !== 3,
        status: i === 3 ? 'rejected' : 'received',
        error: i === 3 ? 'bad signature' : null,
      });
    }
    const all = await inbox.list({ pbxCallId: 'in_list' });
    expect(all.map((e) => e.body)).toEqual(['n=4', 'n=3', 'n=2', 'n=1', 'n=0']);
    expect((await inbox.list({ pbxCallId: 'in_list', status: 'rejected' })).map((e) => e.error)).toEqual([
      'bad signature',
    ]);
    const page = await inbox.list({
      pbxCallId: 'in_list',
      receivedBefore: '2024-05-15T00:00:03.000Z',
      limit: 2,
    });
    expect(page.map((e) => e.body)).toEqual(['n=2', 'n=1']);
    expect(await inbox.get('missing')).toBeNull();
  });
});

describe.each(TEST_DIALECTS)('a transaction’s inbox marks, gathered, on %s', (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(dialect);
  });
  afterAll(async () => {
    await database.cleanup();
  });

  it('are written before the commit in one statement per status, the last mark of an entry winning', async () => {
    const inbox = createInboxRepository(database.db);
    const entries: InboxEntry[] = [];
    for (let n = 0; n < 20; n++) {
      entries.push(
        await inbox.append({
          receivedAt: `2024-05-14T07:16:${String(n).padStart(2, '0')}.000Z`,
          remoteIp: null,
          event: 'NOTIFY_END',
          pbxCallId: `in_gathered_${n}`,
          body: 'x',
          contentType: null,
          signatureValid: true,
          status: 'received',
        }),
      );
    }
    // Every UPDATE of the inbox the transaction sends, counted.
    let updates = 0;
    const counted = database.db.withPlugin({
      transformQuery(args) {
        if (args.node.kind === 'UpdateQueryNode') {
          updates += 1;
        }
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    const at = '2024-05-14T07:17:00.000Z';
    await counted.transaction().execute(async (trx) => {
      const flushes = beforeCommitFlushes();
      const bound = createInboxRepository(trx, { beforeCommit: flushes.beforeCommit });
      for (const [n, entry] of entries.entries()) {
        await (n < 15 ? bound.markProcessed(entry.id, at) : bound.markFailed(entry.id, 'no such call', at));
      }
      // Marked again: failed, then processed after all.
      await bound.markProcessed((entries[19] as InboxEntry).id, at);
      expect(updates).toBe(0);
      await flushes.run();
    });
    expect(updates).toBe(2);
    const statuses = await Promise.all(entries.map(async (e) => (await inbox.get(e.id))?.status));
    expect(statuses).toEqual([...Array(15).fill('processed'), ...Array(4).fill('failed'), 'processed']);
    expect(await inbox.get((entries[15] as InboxEntry).id)).toMatchObject({
      error: 'no such call',
      processedAt: at,
    });
  });
});

describe('the group-committing inbox on sqlite', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase('sqlite');
  });
  afterAll(async () => {
    await database.cleanup();
  });

  it('resolves each append of a burst only once its row is committed (visible to another connection)', async () => {
    const inbox = createGroupCommitInbox(database);
    const other = new SQLite(database.sqlite?.name ?? '', { readonly: true });
    const count = other.prepare<[], { n: number }>(
      "select count(*) as n from webhook_inbox where event = 'BURST'",
    );
    try {
      const seen: number[] = [];
      const burst = Array.from({ length: 40 }, (_, i) =>
        inbox
          .append({
            receivedAt: new Date(Date.UTC(2024, 4, 14, 7, 15, 30, i)).toISOString(),
            remoteIp: null,
            event: 'BURST',
            pbxCallId: `in_burst_${i}`,
            body: BODY,
            contentType: null,
            signatureValid: true,
            status: 'received',
          })
          .then(() => {
            seen.push(count.get()?.n ?? 0);
          }),
      );
      await Promise.all(burst);
      // Committed together: every caller already sees the whole burst from another connection.
      expect(seen).toEqual(Array.from({ length: 40 }, () => 40));
    } finally {
      other.close();
    }
  });

  it('rejects only the write that fails, not its neighbours in the batch', async () => {
    const inbox = createGroupCommitInbox(database);
    const entry = {
      receivedAt: '2024-05-14T07:15:31.000Z',
      remoteIp: null,
      event: 'NEIGHBOUR',
      pbxCallId: null,
      body: BODY,
      contentType: null,
      signatureValid: true,
      status: 'received' as const,
    };
    const results = await Promise.allSettled([
      inbox.append(entry),
      // NOT NULL violation: the body column cannot be null.
      inbox.append({ ...entry, body: null as unknown as string }),
      inbox.append(entry),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await inbox.list()).filter((e) => e.event === 'NEIGHBOUR')).toHaveLength(2);
  });

  it("commits a NOTIFY_START with its turn's group, and that group at once when processing asks (commitQueued)", async () => {
    const inbox = createGroupCommitInbox(database);
    const other = new SQLite(database.sqlite?.name ?? '', { readonly: true });
    const stored = other.prepare<[string], { n: number }>(
      'select count(*) as n from webhook_inbox where pbx_call_id = ?',
    );
    const entry = (event: string, pbxCallId: string) => ({
      receivedAt: '2024-05-14T07:15:32.000Z',
      remoteIp: null,
      event,
      pbxCallId,
      body: BODY,
      contentType: null,
      signatureValid: true,
      status: 'received' as const,
    });
    try {
      const order: string[] = [];
      const seen = (what: string, pbxCallId: string) => () => {
        order.push(what);
        expect(stored.get(pbxCallId)?.n).toBe(1);
      };
      // Left alone, the turn's appends (a NOTIFY_START among them) commit together after the turn.
      setImmediate(() => order.push('next turn'));
      await Promise.all([
        inbox.append(entry('NOTIFY_START', 'in_turn_1')).then(seen('start', 'in_turn_1')),
        inbox.append(entry('NOTIFY_END', 'in_turn_2')).then(seen('end', 'in_turn_2')),
      ]);
      expect(order).toEqual(['next turn', 'start', 'end']);
      // Asked before a processing batch, they commit then, in order, and no turn goes by first.
      order.length = 0;
      setImmediate(() => order.push('next turn'));
      const appended = Promise.all([
        inbox.append(entry('NOTIFY_INTERNAL', 'in_urgent_1')).then(seen('internal', 'in_urgent_1')),
        inbox.append(entry('NOTIFY_START', 'in_urgent_2')).then(seen('start', 'in_urgent_2')),
      ]);
      await inbox.commitQueued?.();
      expect(stored.get('in_urgent_2')?.n).toBe(1);
      await appended;
      expect(order).toEqual(['internal', 'start']);
      // Without a NOTIFY_START queued, the writes keep waiting for their turn's group.
      order.length = 0;
      setImmediate(() => order.push('next turn'));
      const later = inbox.append(entry('NOTIFY_END', 'in_later_1')).then(seen('end', 'in_later_1'));
      await inbox.commitQueued?.();
      expect(stored.get('in_later_1')?.n).toBe(0);
      await later;
      expect(order).toEqual(['next turn', 'end']);
    } finally {
      other.close();
    }
  });
});

describe('the group-committing inbox on sqlite while another connection holds the write lock', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase('sqlite');
  });
  afterAll(async () => {
    await database.cleanup();
  });

  const entry = (pbxCallId: string) => ({
    receivedAt: '2024-05-14T07:15:33.000Z',
    remoteIp: null,
    event: 'NOTIFY_START',
    pbxCallId,
    body: BODY,
    contentType: null,
    signatureValid: true,
    status: 'received' as const,
  });

  it('waits for a lock held a few ms (a RESTART checkpoint) and commits: nothing goes to the journal', async () => {
    const inbox = createGroupCommitInbox(database);
    const holder = await holdWriteLock(database.sqlite?.name ?? '');
    const settled: string[] = [];
    const appended = inbox.append(entry('in_lock_brief')).then(
      () => settled.push('stored'),
      (error: unknown) => settled.push(`failed: ${(error as Error).message}`),
    );
    await sleep(10);
    // Still waiting for the lock, neither stored nor failed.
    expect(settled).toEqual([]);
    await holder.release();
    await appended;
    expect(settled).toEqual(['stored']);
    expect((await inbox.list()).filter((e) => e.pbxCallId === 'in_lock_brief')).toHaveLength(1);
  });

  it('fails once the lock has been held past its wait (60 ms), for the journal to take the entry', async () => {
    const inbox = createGroupCommitInbox(database);
    const holder = await holdWriteLock(database.sqlite?.name ?? '');
    try {
      await expect(inbox.append(entry('in_lock_long'))).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
    } finally {
      await holder.release();
    }
    // The next append finds the lock free and commits at once.
    await inbox.append(entry('in_lock_after'));
    expect((await inbox.list()).filter((e) => e.pbxCallId === 'in_lock_after')).toHaveLength(1);
  });
});

describe('the group-committing inbox on postgres', () => {
  let database: TestDatabase;
  let other: DatabaseHandle;
  beforeAll(async () => {
    database = await openTestDatabase('postgres');
    other = await openSecondHandle(database);
  });
  afterAll(async () => {
    await other.close();
    await database.cleanup();
  });

  const entry = (event: string, i: number) => ({
    receivedAt: new Date(Date.UTC(2024, 4, 14, 7, 15, 30, i)).toISOString(),
    remoteIp: null,
    event,
    pbxCallId: `in_pg_${event}_${i}`,
    body: BODY,
    contentType: null,
    signatureValid: true,
    status: 'received' as const,
  });

  it('resolves each append of a burst only once its row is committed (visible to another connection)', async () => {
    const inbox = createGroupCommitInbox(database);
    const visible = async (id: string) =>
      (await other.db.selectFrom('webhook_inbox').select('id').where('id', '=', id).executeTakeFirst()) !==
      undefined;
    const seen = await Promise.all(
      Array.from({ length: 40 }, (_, i) => inbox.append(entry('PG_BURST', i)).then((e) => visible(e.id))),
    );
    expect(seen).toEqual(Array.from({ length: 40 }, () => true));
    const stored = await other.db
      .selectFrom('webhook_inbox')
      .select('pbx_call_id')
      .where('event', '=', 'PG_BURST')
      .execute();
    expect(stored).toHaveLength(40);
  });

  it('rejects only the write that fails, not its neighbours in the group', async () => {
    const inbox = createGroupCommitInbox(database);
    const results = await Promise.allSettled([
      inbox.append(entry('PG_NEIGHBOUR', 1)),
      // NOT NULL violation: the body column cannot be null.
      inbox.append({ ...entry('PG_NEIGHBOUR', 2), body: null as unknown as string }),
      inbox.append(entry('PG_NEIGHBOUR', 3)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await inbox.list()).filter((e) => e.event === 'PG_NEIGHBOUR')).toHaveLength(2);
  });

  it('commits a NOTIFY_START in a transaction of its own, never inside a group of other appends', async () => {
    const inbox = createGroupCommitInbox(database);
    // Queued in the same turn as the start: a group would take them along (or make the start wait for its commit).
    const burst = Array.from({ length: 10 }, (_, i) => inbox.append(entry('PG_BESIDE_START', i)));
    const start = inbox.append({ ...entry('NOTIFY_START', 99), pbxCallId: 'in_pg_alone' });
    await Promise.all([...burst, start]);
    // xmin: the transaction that wrote the row. Rows of one commit share it.
    const rows = await sql<{ pbx_call_id: string; xmin: string }>`
      select pbx_call_id, xmin::text as xmin from webhook_inbox
      where event = 'PG_BESIDE_START' or pbx_call_id = 'in_pg_alone'`.execute(other.db);
    const startXmin = rows.rows.find((r) => r.pbx_call_id === 'in_pg_alone')?.xmin;
    expect(startXmin).toBeDefined();
    expect(rows.rows).toHaveLength(11);
    expect(rows.rows.filter((r) => r.xmin === startXmin)).toHaveLength(1);
  });

  it('commits NOTIFY_STARTs each alone while connections are free for them, and the ones beyond together', async () => {
    const inbox = createGroupCommitInbox(database);
    // Twenty ringing callers at once: four connections of the reply pool are the starts' (database.ts).
    const stored = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        inbox.append({ ...entry('NOTIFY_START', i), pbxCallId: `in_pg_rush_${i}` }),
      ),
    );
    expect(stored).toHaveLength(20);
    const rows = await sql<{ pbx_call_id: string; xmin: string }>`
      select pbx_call_id, xmin::text as xmin from webhook_inbox where pbx_call_id like 'in_pg_rush_%'`.execute(
      other.db,
    );
    expect(rows.rows).toHaveLength(20);
    const byCall = new Map(rows.rows.map((r) => [r.pbx_call_id, r.xmin]));
    // The first four began at once, each in a transaction of its own; the sixteen that came meanwhile went in one
    // commit as soon as one of those ended, not one commit each queued behind the pool.
    const firstFour = [0, 1, 2, 3].map((i) => byCall.get(`in_pg_rush_${i}`));
    expect(new Set(firstFour).size).toBe(4);
    const rest = new Set(Array.from({ length: 16 }, (_, i) => byCall.get(`in_pg_rush_${i + 4}`)));
    expect(rest.size).toBe(1);
    expect(firstFour).not.toContain([...rest][0]);
  });

  it('appends through the reply pool, so a main pool taken by long transactions does not hold the reply', async () => {
    // Every connection of the main pool (5 in tests) held by an open transaction.
    const release: (() => void)[] = [];
    const held = Array.from(
      { length: 5 },
      () =>
        new Promise<void>((taken) => {
          void database.db.transaction().execute(async (trx) => {
            await sql`select 1`.execute(trx);
            taken();
            await new Promise<void>((r) => release.push(r));
          });
        }),
    );
    await Promise.all(held);
    try {
      const inbox = createGroupCommitInbox(database);
      const appended = await inbox.append(entry('PG_REPLY_POOL', 1));
      expect(appended.event).toBe('PG_REPLY_POOL');
    } finally {
      for (const r of release) {
        r();
      }
    }
  });
});

describe.each(TEST_DIALECTS)('claiming stranded inbox entries on %s', (dialect) => {
  let database: TestDatabase;
  let other: DatabaseHandle;
  beforeAll(async () => {
    database = await openTestDatabase(dialect);
    other = await openSecondHandle(database);
  });
  afterAll(async () => {
    await other.close();
    await database.cleanup();
  });

  it('records the receiving instance on every entry, with both writers', async () => {
    const single = createInboxRepository(database.db, { instanceId: 'instance-single' });
    const group = createGroupCommitInbox(database, { instanceId: 'instance-group' });
    const entry = {
      receivedAt: '2024-05-14T07:15:30.000Z',
      remoteIp: null,
      event: 'OWNED',
      pbxCallId: null,
      body: BODY,
      contentType: null,
      signatureValid: true,
      status: 'received' as const,
    };
    const a = await single.append(entry);
    const b = await group.append(entry);
    const owners = await database.db
      .selectFrom('webhook_inbox')
      .select(['id', 'instance_id'])
      .where('id', 'in', [a.id, b.id])
      .execute();
    expect(Object.fromEntries(owners.map((r) => [r.id, r.instance_id]))).toEqual({
      [a.id]: 'instance-single',
      [b.id]: 'instance-group',
    });
    await database.db.deleteFrom('webhook_inbox').execute();
  });

  it("gives a dead instance's entries, oldest first, to exactly one of two instances racing for them", async () => {
    const now = Date.parse('2026-05-01T12:00:00.000Z');
    const at = (ms: number) => new Date(ms).toISOString();
    await database.db
      .insertInto('server_instances')
      .values([
        { id: 'dead', started_at: at(now - 3_600_000), heartbeat_at: at(now - 31_000) },
        { id: 'alive', started_at: at(now - 3_600_000), heartbeat_at: at(now - 2_000) },
      ])
      .execute();
    const stored = (owner: string | null, i: number, status: 'received' | 'processed' = 'received') =>
      createInboxRepository(database.db, { instanceId: owner }).append({
        receivedAt: at(now - 600_000 + i * 1000),
        remoteIp: null,
        event: 'STRANDED',
        pbxCallId: `in_${owner}_${i}`,
        body: BODY,
        contentType: null,
        signatureValid: true,
        status: status === 'processed' ? 'received' : status,
      });
    const expected: string[] = [];
    // Stored newest first: claims follow arrival time, not insertion order.
    for (let i = 59; i >= 0; i--) {
      const owner = i % 4 === 0 ? 'alive' : i % 4 === 1 ? null : 'dead';
      const entry = await stored(owner, i);
      if (owner !== 'alive') {
        expected.push(entry.id);
      }
    }
    // Nobody's, but received after the claimer's start: maybe an older version's, in its queue right now.
    const recent = await createInboxRepository(database.db).append({
      receivedAt: at(now),
      remoteIp: null,
      event: 'STRANDED',
      pbxCallId: 'in_recent',
      body: BODY,
      contentType: null,
      signatureValid: true,
      status: 'received',
    });
    const done = await stored('dead', 99);
    await createInboxRepository(database.db).markProcessed(done.id, at(now));

    const claimAll = async (db: DatabaseHandle['db'], instanceId: string) => {
      // A claimer is live (recover() beats before claiming): the other does not take back what it claimed.
      await beatServerInstance(db, instanceId, at(now));
      const pages: string[][] = [];
      for (;;) {
        const page = await claimStrandedInboxEntries(db, {
          instanceId,
          leaseExpiredBefore: at(now - 30_000),
          receivedBefore: at(now - 1),
          limit: 7,
        });
        if (page.length === 0) {
          return pages;
        }
        expect(page.every((e) => e.status === 'received')).toBe(true);
        pages.push(page.map((e) => e.id));
      }
    };
    const [first, second] = await Promise.all([
      claimAll(database.db, 'claimer-a'),
      claimAll(other.db, 'claimer-b'),
    ]);
    const byA = (first ?? []).flat();
    const byB = (second ?? []).flat();
    // Exactly once: together they claimed every stranded entry, and no entry twice.
    expect([...byA, ...byB].sort()).toEqual([...expected].sort());
    expect(byA.filter((id) => byB.includes(id))).toEqual([]);
    // Oldest first within every claim.
    const order = new Map([...expected].reverse().map((id, i) => [id, i]));
    for (const page of [...(first ?? []), ...(second ?? [])]) {
      const ranks = page.map((id) => order.get(id) as number);
      expect(ranks).toEqual([...ranks].sort((x, y) => x - y));
    }
    const owners = await database.db
      .selectFrom('webhook_inbox')
      .select(['id', 'instance_id'])
      .where('event', '=', 'STRANDED')
      .execute();
    const ownerOf = new Map(owners.map((r) => [r.id, r.instance_id]));
    for (const id of byA) {
      expect(ownerOf.get(id)).toBe('claimer-a');
    }
    for (const id of byB) {
      expect(ownerOf.get(id)).toBe('claimer-b');
    }
    // A live instance's entries, a processed one and a recent unowned one are left alone.
    expect(owners.filter((r) => r.instance_id === 'alive')).toHaveLength(15);
    expect(ownerOf.get(done.id)).toBe('dead');
    expect(ownerOf.get(recent.id)).toBeNull();
  });
});
