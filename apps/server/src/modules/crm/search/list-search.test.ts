import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../../test-support/test-database.js';
import { listContacts } from '../contacts/contact-repository.js';
import { ContactListQuery } from '../contacts/contact-schemas.js';
import { DENSE_HITS, planSearch, queryPrefixes } from './search-index.js';

// Enough contacts that "common" passes DENSE_HITS: a search for it only considers its first DENSE_HITS hits.
const COUNT = DENSE_HITS + 1000;

describe.each(TEST_DIALECTS)('list search plans on %s', (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(dialect);
    const now = new Date().toISOString();
    const contacts = [];
    const tokens = [];
    for (let i = 0; i < COUNT; i++) {
      const id = `c${String(i).padStart(6, '0')}`;
      // Everyone is "common"; one in 100 is also "rare"; display names sort in reverse id order.
      const name = `common ${i % 100 === 0 ? 'rare' : 'plain'} ${String(COUNT - i).padStart(6, '0')}`;
      contacts.push({
        id,
        first_name: '',
        last_name: '',
        display_name: name,
        sort_key: name,
        company_id: null,
        responsible_user_id: null,
        notes: '',
        do_not_call: 0,
        created_at: now,
        updated_at: now,
      });
      for (const token of new Set(name.split(' '))) {
        tokens.push({ entity: 'contact' as const, token, entity_id: id });
      }
    }
    for (let i = 0; i < contacts.length; i += 500) {
      await database.db
        .insertInto('contacts')
        .values(contacts.slice(i, i + 500))
        .execute();
    }
    for (let i = 0; i < tokens.length; i += 1000) {
      await database.db
        .insertInto('search_tokens')
        .values(tokens.slice(i, i + 1000))
        .execute();
    }
  });
  afterAll(async () => {
    await database.cleanup();
  });

  const list = (q: string, extra: Record<string, string> = {}) =>
    listContacts(database.db, ContactListQuery.parse({ q, ...extra }), queryPrefixes(q, 'FR'));

  it('plans the rarest word first and marks a plan dense when even the rarest word is common', async () => {
    expect(await planSearch(database.db, 'contact', ['common', 'rare'])).toEqual({
      prefixes: ['rare', 'common'],
      dense: false,
    });
    expect(await planSearch(database.db, 'contact', ['common'])).toEqual({
      prefixes: ['common'],
      dense: true,
    });
    expect(await planSearch(database.db, 'contact', [])).toBeNull();
  });

  it('bounds a dense search to the first hits of its word, sorted, with a lower-bound total', async () => {
    // The first DENSE_HITS hits of "common" are c000000…c001999 (index order), named 003000…001001.
    const page = await list('comm', { pageSize: '3' });
    expect(page.items.map((c) => c.displayName)).toEqual([
      'common plain 001001',
      'common plain 001002',
      'common plain 001003',
    ]);
    expect(page.total).toBe(DENSE_HITS);
    const last = await list('comm', { sort: '-displayName', pageSize: '1' });
    expect(last.items[0]?.displayName).toBe('common rare 003000');
  });

  it('counts a selective search exactly and pages it in sort order', async () => {
    const page = await list('rar comm', { pageSize: '2', page: '2' });
    expect(page.total).toBe(COUNT / 100);
    expect(page.items.map((c) => c.displayName)).toEqual(['common rare 000300', 'common rare 000400']);
  });
});
