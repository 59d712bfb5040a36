import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../platform/ids.js';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../test-support/test-database.js';
import { findContactByPhone } from '../crm/contacts/find-contact-by-phone.js';
import { globalSearch } from '../crm/search/global-search.js';
import { DEMO_CONTACT_COUNT, seedDemoCrm } from './demo-crm.js';
import { DEMO_EXTENSIONS } from './demo-telephony.js';

const NOW = new Date('2026-06-15T10:00:00Z');

interface Seeded {
  readonly database: TestDatabase;
  readonly users: { id: string; name: string }[];
}

describe.each(TEST_DIALECTS)('seedDemoCrm on %s', (dialect) => {
  const opened: TestDatabase[] = [];
  // Seeding goes through the use cases (thousands of statements): two seeds per dialect, shared by the tests.
  let first: Seeded;
  let second: Seeded;
  beforeAll(async () => {
    first = await seeded(42);
    second = await seeded(42);
  });
  afterAll(async () => {
    for (const d of opened.splice(0)) {
      await d.cleanup();
    }
  });

  async function seeded(seed: number): Promise<Seeded> {
    const database = await openTestDatabase(dialect);
    opened.push(database);
    const users = [
      {
        id: newId(),
        role: 'admin' as const,
        name: 'Emma Clarke',
        email: 'u0@example.com',
        locale: 'en' as const,
      },
      {
        id: newId(),
        role: 'agent' as const,
        name: 'Julien Moreau',
        email: 'u1@example.com',
        locale: 'fr' as const,
      },
      {
        id: newId(),
        role: 'agent' as const,
        name: 'Olga Smirnova',
        email: 'u2@example.com',
        locale: 'ru' as const,
      },
    ];
    await database.db
      .insertInto('users')
      .values(
        users.map((u) => ({
          ...u,
          password_hash: 'x',
          created_at: NOW.toISOString(),
          updated_at: NOW.toISOString(),
        })),
      )
      .execute();
    // Seeding time is part of the demo's first start, measured outside the tests (never asserted here).
    await database.db.transaction().execute((trx) => seedDemoCrm(trx, { users, now: NOW, seed }));
    return { database, users };
  }

  it('writes a few hundred contacts with French, Russian and English names, findable by phone and name', async () => {
    const { database } = first;
    const { db } = database;
    const contacts = await db.selectFrom('contacts').select(['id', 'display_name']).execute();
    expect(contacts).toHaveLength(DEMO_CONTACT_COUNT);
    expect(contacts.some((c) => /[а-яё]/i.test(c.display_name))).toBe(true);
    expect(contacts.some((c) => /[éèêëïôç]/.test(c.display_name))).toBe(true);
    const phones = await db.selectFrom('contact_phones').select(['raw', 'e164']).execute();
    expect(phones.every((p) => p.e164 !== null)).toBe(true);
    for (const prefix of ['+336', '+79', '+447']) {
      expect(phones.some((p) => p.e164?.startsWith(prefix))).toBe(true);
    }
    // Labels the contact form offers, so every page says them in the reader's language (never a raw "personal").
    const labels = [
      ...(await db.selectFrom('contact_phones').select('label').execute()),
      ...(await db.selectFrom('contact_emails').select('label').execute()),
    ].map((row) => row.label);
    expect(labels.filter((label) => !['mobile', 'work', 'home', 'other'].includes(label ?? ''))).toEqual([]);
    const sample = phones[7] as { raw: string; e164: string };
    expect(await findContactByPhone(database, sample.e164.slice(1), 'FR')).not.toBeNull();
    const name = (contacts[3] as { display_name: string }).display_name;
    const found = await globalSearch(db, name, 'FR');
    expect(found.contacts.map((c) => c.displayName)).toContain(name);
  });

  it('spreads deals across stages, has overdue open tasks, notes on timelines and assigned owners', async () => {
    const { database, users } = first;
    const { db } = database;
    const stages = await db.selectFrom('deals').select('stage_id').distinct().execute();
    expect(stages.length).toBeGreaterThanOrEqual(4);
    const overdue = await db
      .selectFrom('tasks')
      .select('id')
      .where('status', '=', 'open')
      .where('due_at', '<', NOW.toISOString())
      .execute();
    expect(overdue.length).toBeGreaterThan(5);
    const notes = await db.selectFrom('activities').select('id').where('kind', '=', 'note').execute();
    expect(notes.length).toBe(100);
    const owners = await db.selectFrom('contacts').select('responsible_user_id').distinct().execute();
    expect(new Set(owners.map((o) => o.responsible_user_id))).toEqual(
      new Set([users[1]?.id, users[2]?.id, null]),
    );
    expect(await db.selectFrom('leads').select('id').execute()).toHaveLength(60);
  });

  it('writes what a user would: timeline entries by the acting admin, search tokens, completed tasks', async () => {
    const { database, users } = first;
    const { db } = database;
    const created = await db
      .selectFrom('activities')
      .select(['subject_type', 'actor_id'])
      .where('kind', '=', 'created')
      .execute();
    const count = (type: string) => created.filter((a) => a.subject_type === type).length;
    expect([count('company'), count('contact'), count('lead'), count('deal')]).toEqual([
      28,
      DEMO_CONTACT_COUNT,
      60,
      50,
    ]);
    expect(new Set(created.map((a) => a.actor_id))).toEqual(new Set([users[0]?.id]));
    // A lead of a contact at a company shows on both timelines, as when a user creates it.
    const leadsAtCompanies = await db
      .selectFrom('leads')
      .select('id')
      .where('company_id', 'is not', null)
      .execute();
    const companyLeadItems = await db
      .selectFrom('activities')
      .select('id')
      .where('subject_type', '=', 'company')
      .where('kind', '=', 'lead')
      .execute();
    expect(companyLeadItems).toHaveLength(leadsAtCompanies.length);
    const indexed = await db.selectFrom('search_tokens').select('entity').distinct().execute();
    expect(new Set(indexed.map((t) => t.entity))).toEqual(new Set(['company', 'contact', 'lead', 'deal']));
    // Done tasks were completed through the use case: a completion time and a "done" entry on the timeline.
    const done = await db
      .selectFrom('tasks')
      .select(['completed_at', 'created_at'])
      .where('status', '=', 'done')
      .execute();
    expect(done.length).toBeGreaterThan(0);
    expect(done.every((t) => t.completed_at !== null && t.completed_at > t.created_at)).toBe(true);
    const doneItems = await db
      .selectFrom('activities')
      .select('id')
      .where('kind', '=', 'task')
      .where('payload', 'like', '%task.done%')
      .execute();
    expect(doneItems).toHaveLength(done.length);
  });

  it('gives each agent weeks of calls, some recorded, missed calls returned and some never returned', async () => {
    const { database } = first;
    const calls = await database.db
      .selectFrom('calls')
      .select([
        'answered_by',
        'origin_extension',
        'started_at',
        'is_recorded',
        'status',
        'direction',
        'return_at',
      ])
      .execute();
    const DAY = 86_400_000;
    // Each demo agent's extension (the demo maps agent1…3 to them; these test users have other emails).
    for (const extension of DEMO_EXTENSIONS.filter((e) => e.email.startsWith('agent')).map(
      (e) => e.extension,
    )) {
      const starts = calls
        .filter((c) => (c.answered_by ?? c.origin_extension) === extension)
        .map((c) => Date.parse(String(c.started_at)));
      expect(starts.length, extension).toBeGreaterThan(20);
      expect((Math.max(...starts) - Math.min(...starts)) / DAY, extension).toBeGreaterThan(14);
    }
    expect(calls.some((c) => Number(c.is_recorded) === 1)).toBe(true);
    const missed = calls.filter((c) => c.direction === 'inbound' && c.status === 'missed');
    expect(missed.some((c) => c.return_at !== null)).toBe(true);
    expect(missed.some((c) => c.return_at === null)).toBe(true);
  });

  it("is deterministic for a seed (the same records; the ids are the use cases' own)", async () => {
    const contacts = async ({ database }: Seeded) =>
      await database.db
        .selectFrom('contacts as c')
        .leftJoin('companies as k', 'k.id', 'c.company_id')
        .leftJoin('users as u', 'u.id', 'c.responsible_user_id')
        .select(['c.display_name', 'c.created_at', 'c.do_not_call', 'u.name as owner', 'k.name as company'])
        .orderBy('c.created_at')
        .orderBy('c.display_name')
        .execute();
    expect(await contacts(second)).toEqual(await contacts(first));
    const phones = async ({ database }: Seeded) =>
      (await database.db.selectFrom('contact_phones').select('e164').orderBy('e164').execute()).map(
        (p) => p.e164,
      );
    expect(await phones(second)).toEqual(await phones(first));
    const tasks = async ({ database }: Seeded) =>
      await database.db
        .selectFrom('tasks as t')
        .leftJoin('users as u', 'u.id', 't.assignee_id')
        .select(['t.title', 't.due_at', 't.status', 'u.name as assignee', 't.created_at', 't.completed_at'])
        .orderBy('t.created_at')
        .orderBy('t.title')
        .execute();
    expect(await tasks(second)).toEqual(await tasks(first));
  });
});
