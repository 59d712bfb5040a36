import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../platform/ids.js';
import { insertTestUser } from '../../../test-support/insert-user.js';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../../test-support/test-database.js';
import { seedContact, seedSalesPipeline } from '../test-support/seed-crm.js';
import { insertTestCall } from '../test-support/test-calls.js';
import { createBlacklistRepository } from './kysely-blacklist-repository.js';
import { createKyselyCallerHistory } from './kysely-caller-history.js';

describe.each(TEST_DIALECTS)('what NOTIFY_START reads about a caller, on %s', (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(dialect);
  });
  afterAll(async () => {
    await database.cleanup();
  });

  const pipeline = () => seedSalesPipeline(database.db);

  async function deal(
    contactId: string,
    stage: string,
    pipelineId: string,
    owner: string,
    updatedAt: string,
  ) {
    const id = newId();
    await database.db
      .insertInto('deals')
      .values({
        id,
        title: 'Deal',
        sort_key: 'deal',
        amount: 1200,
        currency: 'EUR',
        pipeline_id: pipelineId,
        stage_id: stage,
        contact_id: contactId,
        company_id: null,
        responsible_user_id: owner,
        expected_close_date: null,
        created_at: updatedAt,
        updated_at: updatedAt,
      })
      .execute();
    return id;
  }

  // On SQLite both paths: the prepared statements of the call path and the query builder.
  const paths =
    dialect === 'sqlite' ? (['query builder', 'prepared statements'] as const) : (['query builder'] as const);
  for (const path of paths) {
    it(`finds the open deal, the open lead, the last agent and today's missed calls (${path})`, async () => {
      const history = createKyselyCallerHistory(
        database.db,
        path === 'prepared statements' ? database.sqlite : null,
      );
      const olga = await insertTestUser(database.db, 'Olga');
      const tom = await insertTestUser(database.db, 'Tom');
      const contactId = await seedContact(database.db, { displayName: 'Jean Dupont', phones: [] });
      const { open, won, pipelineId } = await pipeline();
      expect(await history.openDealOf(contactId)).toBeNull();
      await deal(contactId, won, pipelineId, tom, '2026-01-14T10:00:00.000Z');
      const openDeal = await deal(contactId, open, pipelineId, olga, '2026-01-13T10:00:00.000Z');
      // The won deal is newer, but only an open one routes.
      expect(await history.openDealOf(contactId)).toEqual({
        id: openDeal,
        responsibleUserId: olga,
        stageName: 'Proposal',
        amount: 1200,
      });
      const now = new Date().toISOString();
      const leadId = newId();
      await database.db
        .insertInto('leads')
        .values([
          {
            id: newId(),
            title: 'Old',
            sort_key: 'old',
            contact_id: contactId,
            company_id: null,
            source: 'call',
            status: 'lost',
            responsible_user_id: tom,
            notes: '',
            created_at: now,
            updated_at: now,
          },
          {
            id: leadId,
            title: 'New',
            sort_key: 'new',
            contact_id: contactId,
            company_id: null,
            source: 'call',
            status: 'qualified',
            responsible_user_id: olga,
            notes: '',
            created_at: now,
            updated_at: '2020-01-01T00:00:00.000Z',
          },
        ])
        .execute();
      expect(await history.openLeadOf(contactId)).toEqual({ id: leadId, responsibleUserId: olga });
      await insertTestCall(database.db, { agentUserId: tom, contactId, at: '2026-01-10T10:00:00.000Z' });
      await insertTestCall(database.db, { agentUserId: olga, contactId, at: '2026-01-12T10:00:00.000Z' });
      expect(await history.lastAgentOf(contactId, '2026-01-01T00:00:00.000Z')).toBe(olga);
      expect(await history.lastAgentOf(contactId, '2026-01-13T00:00:00.000Z')).toBeNull();
      const number = `+3361${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
      for (const [status, at] of [
        ['missed', '2026-01-15T08:00:00.000Z'],
        ['busy', '2026-01-15T09:00:00.000Z'],
        ['answered', '2026-01-15T09:30:00.000Z'],
        ['missed', '2026-01-14T08:00:00.000Z'],
      ] as const) {
        const id = await insertTestCall(database.db, { agentUserId: null, contactId: null, at });
        await database.db
          .updateTable('calls')
          .set({ status, client_e164: number })
          .where('id', '=', id)
          .execute();
      }
      expect(await history.missedFrom(number, '2026-01-15T00:00:00.000Z')).toBe(2);
      expect(await history.missedFrom('+33600000000', '2026-01-15T00:00:00.000Z')).toBe(0);
    });
  }

  it('matches a caller by number or by the longest prefix, not once expired, and counts what it refused', async () => {
    for (const sqlite of dialect === 'sqlite' ? [database.sqlite, null] : [null]) {
      const repo = createBlacklistRepository(database.db, sqlite);
      const at = '2026-01-15T09:00:00.000Z';
      await repo.add({ e164: '+7800', isPrefix: true, reason: 'toll-free' });
      await repo.add({ e164: '+78005553535', reason: 'the jingle' });
      await repo.add({ e164: '+4420', isPrefix: true, expiresAt: '2026-01-15T08:00:00.000Z' });
      await repo.add({ e164: '+3361', reason: 'not a prefix: an exact (short) entry' });
      expect(await repo.matchCaller('+78005553535', at)).toBe('+78005553535');
      expect(await repo.matchCaller('+78001234567', at)).toBe('+7800');
      expect(await repo.matchCaller('+79001234567', at)).toBeNull();
      expect(await repo.matchCaller('+442037691880', at)).toBeNull();
      expect(await repo.matchCaller('+33612345678', at)).toBeNull();
      await repo.countBlocked('+7800', at);
      await repo.countBlocked('+7800', at);
      const [entry] = await repo.entriesBlocking(['+78001234567'], at);
      expect(entry).toMatchObject({ e164: '+7800', isPrefix: true, blockedCalls: 2, lastBlockedAt: at });
      expect(await repo.blockedCallsTotal()).toBe(2);
      for (const key of ['+7800', '+78005553535', '+4420', '+3361']) {
        await repo.remove(key);
      }
    }
  });
});
