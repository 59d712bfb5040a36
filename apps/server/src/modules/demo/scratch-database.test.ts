import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { userActor } from '../../platform/auth/actor.js';
import { createTestUser } from '../../platform/auth/test-sessions.js';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../test-support/test-database.js';
import { CompanyCreate } from '../crm/companies/company-schemas.js';
import { createCompany } from '../crm/companies/create-company.js';
import { writeThroughScratchDatabase } from './scratch-database.js';

describe.each(TEST_DIALECTS)('writing through a scratch database into %s', (dialect) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await openTestDatabase(dialect);
  });
  afterEach(async () => {
    await database.cleanup();
  });

  it("copies what the use cases wrote, with the target's users, into the caller's transaction", async () => {
    const admin = await createTestUser(database.db, { role: 'admin' });
    await database.db.transaction().execute((trx) =>
      writeThroughScratchDatabase(trx, async (scratch) => {
        const input = CompanyCreate.parse({ name: 'Boulangerie Dupont', phone: '06 12 34 56 78' });
        await createCompany({
          db: scratch,
          actor: userActor({ ...admin, locale: 'en' }),
          input,
          defaultCountry: 'FR',
        });
      }),
    );
    const companies = await database.db.selectFrom('companies').select(['id', 'name']).execute();
    expect(companies.map((c) => c.name)).toEqual(['Boulangerie Dupont']);
    const activity = await database.db.selectFrom('activities').selectAll().executeTakeFirstOrThrow();
    expect(activity).toMatchObject({ subject_id: companies[0]?.id, kind: 'created', actor_id: admin.id });
    const tokens = await database.db.selectFrom('search_tokens').select('token').execute();
    expect(tokens.map((t) => t.token)).toEqual(
      expect.arrayContaining(['boulangerie', 'dupont', '33612345678']),
    );
  });

  it('refuses a write into a table it would not copy, and copies nothing', async () => {
    await expect(
      writeThroughScratchDatabase(database.db, async (scratch) => {
        await scratch
          .insertInto('settings')
          .values({ key: 'lost', value: '1', updated_at: '2026-01-01T00:00:00.000Z' })
          .execute();
      }),
    ).rejects.toThrow(/wrote into settings/);
    expect(
      await database.db.selectFrom('settings').select('key').where('key', '=', 'lost').execute(),
    ).toEqual([]);
  });
});
