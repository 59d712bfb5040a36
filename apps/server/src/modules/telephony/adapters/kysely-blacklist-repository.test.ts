import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertTestUser } from '../../../test-support/insert-user.js';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../../test-support/test-database.js';
import { type CrmTestContext, openCrmTest } from '../../crm/shared/test-crm.js';
import {
  createBlacklistRepository,
  listBlacklistPage,
  MAX_BLACKLIST_PAGE,
} from './kysely-blacklist-repository.js';

describe.each(TEST_DIALECTS)('the blacklist on %s', (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(dialect);
  });
  afterAll(async () => {
    await database.cleanup();
  });

  it('adds, finds and removes a number', async () => {
    const repo = createBlacklistRepository(database.db);
    const admin = await insertTestUser(database.db, 'Admin');
    const entry = await repo.add(
      { e164: '+442037691880', reason: 'spam calls', createdBy: admin },
      '2024-05-14T00:00:00.000Z',
    );
    expect(entry).toMatchObject({ e164: '+442037691880', reason: 'spam calls', createdBy: admin });
    expect(await repo.isBlacklisted('+442037691880')).toBe(true);
    expect(await repo.isBlacklisted('+442037691881')).toBe(false);
    expect(await repo.remove('+442037691880')).toBe(true);
    expect(await repo.isBlacklisted('+442037691880')).toBe(false);
    expect(await repo.remove('+442037691880')).toBe(false);
  });

  it('keeps the first entry when a number is added twice', async () => {
    const repo = createBlacklistRepository(database.db);
    const first = await repo.add({ e164: '+33612345678', reason: 'first' });
    const again = await repo.add({ e164: '+33612345678', reason: 'second' });
    expect(again).toEqual(first);
    expect((await repo.list()).filter((e) => e.e164 === '+33612345678')).toHaveLength(1);
  });
});

describe.each(TEST_DIALECTS)('the blacklist, a page at a time, on %s', (dialect) => {
  let t: CrmTestContext;
  beforeAll(async () => {
    t = await openCrmTest(dialect);
    // 250 numbers: +33600000000 … +33600000249, and a few elsewhere.
    const rows = Array.from({ length: 250 }, (_, i) => ({
      id: `bl-${i}`,
      e164: `+336${String(i).padStart(8, '0')}`,
      reason: '',
      created_by: null,
      created_at: '2024-05-14T00:00:00.000Z',
    }));
    rows.push(
      {
        id: 'bl-uk',
        e164: '+442037691880',
        reason: 'uk',
        created_by: null,
        created_at: rows[0]?.created_at ?? '',
      },
      {
        id: 'bl-ru',
        e164: '+79161234567',
        reason: 'ru',
        created_by: null,
        created_at: rows[0]?.created_at ?? '',
      },
    );
    await t.database.db.insertInto('blacklist').values(rows).execute();
  });
  afterAll(async () => {
    await t.close();
  });

  it('walks every number once, in number order, never more than the limit per page', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await listBlacklistPage(t.database.db, { limit: 100, after });
      expect(page.items.length).toBeLessThanOrEqual(100);
      seen.push(...page.items.map((e) => e.e164));
      after = page.nextCursor ?? undefined;
      pages += 1;
    } while (after);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(252);
    expect(new Set(seen).size).toBe(252);
    expect([...seen].sort()).toEqual(seen);
    // A limit above the maximum is capped.
    expect((await listBlacklistPage(t.database.db, { limit: 10_000 })).items).toHaveLength(
      MAX_BLACKLIST_PAGE,
    );
  });

  it('searches by number prefix, typed with or without + and spaces', async () => {
    const uk = await listBlacklistPage(t.database.db, { limit: 50, prefix: '+44 20' });
    expect(uk.items.map((e) => e.e164)).toEqual(['+442037691880']);
    const some = await listBlacklistPage(t.database.db, { limit: 50, prefix: '33 6000 0001' });
    expect(some.items.map((e) => e.e164)).toEqual(Array.from({ length: 10 }, (_, i) => `+3360000001${i}`));
    expect(some.nextCursor).toBeNull();
    expect((await listBlacklistPage(t.database.db, { limit: 50, prefix: '+1' })).items).toEqual([]);
  });

  it('serves pages and the prefix search to admins through the API', async () => {
    const first = await t.as(t.admin, { method: 'GET', url: '/api/telephony/blacklist?limit=2' });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({
      items: [{ number: '+33600000000' }, { number: '+33600000001' }],
      nextCursor: '+33600000001',
    });
    const next = await t.as(t.admin, {
      method: 'GET',
      url: `/api/telephony/blacklist?limit=2&after=${encodeURIComponent('+33600000001')}`,
    });
    expect(next.json().items.map((e: { number: string }) => e.number)).toEqual([
      '+33600000002',
      '+33600000003',
    ]);
    const all = await t.as(t.admin, { method: 'GET', url: '/api/telephony/blacklist' });
    expect(all.json().items).toHaveLength(100);
    const search = await t.as(t.admin, { method: 'GET', url: '/api/telephony/blacklist?q=%2B7' });
    expect(search.json()).toMatchObject({ items: [{ number: '+79161234567' }], nextCursor: null });
    const tooMany = await t.as(t.admin, { method: 'GET', url: '/api/telephony/blacklist?limit=100000' });
    expect(tooMany.statusCode).toBe(400);
    expect((await t.as(t.agent, { method: 'GET', url: '/api/telephony/blacklist' })).statusCode).toBe(403);
  });
});
