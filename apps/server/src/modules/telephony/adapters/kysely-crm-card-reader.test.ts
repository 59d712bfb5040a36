/**
 * The Kysely card reader's open deals and tasks (the contract suite covers who and the last calls): only this
 * contact's open ones, in a fixed order on both dialects, and on SQLite read on the contact's own index — not a
 * walk through every open task of the CRM.
 */
import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../../../platform/db/schema.js';
import { newId } from '../../../platform/ids.js';
import { insertTestUser } from '../../../test-support/insert-user.js';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../../test-support/test-database.js';
import { seedContact } from '../test-support/seed-crm.js';
import { createKyselyCrmCardReader } from './kysely-crm-card-reader.js';

async function task(
  db: Kysely<Database>,
  subjectId: string,
  title: string,
  dueAt: string | null,
  status: 'open' | 'done' = 'open',
): Promise<void> {
  const at = '2026-01-10T09:00:00.000Z';
  await db
    .insertInto('tasks')
    .values({
      id: newId(),
      title,
      description: '',
      due_at: dueAt,
      status,
      assignee_id: null,
      subject_type: 'contact',
      subject_id: subjectId,
      created_by_id: null,
      created_at: at,
      updated_at: at,
      completed_at: status === 'done' ? at : null,
    })
    .execute();
}

async function deal(
  db: Kysely<Database>,
  contactId: string,
  title: string,
  kind: 'open' | 'won',
  at: string,
) {
  const stage = await db
    .selectFrom('pipeline_stages')
    .select(['id', 'pipeline_id'])
    .where('kind', '=', kind)
    .orderBy('position')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('deals')
    .values({
      id: newId(),
      title,
      sort_key: title.toLowerCase(),
      amount: 1200,
      currency: 'EUR',
      pipeline_id: stage.pipeline_id,
      stage_id: stage.id,
      contact_id: contactId,
      company_id: null,
      responsible_user_id: null,
      expected_close_date: null,
      created_at: at,
      updated_at: at,
    })
    .execute();
}

describe.each(TEST_DIALECTS)('the Kysely card reader on %s', (dialect) => {
  let database: TestDatabase | null = null;
  afterEach(async () => {
    await database?.cleanup();
    database = null;
  });

  it("shows the contact's open deals, newest first, and open tasks, soonest due first and undated last", async () => {
    database = await openTestDatabase(dialect);
    const db = database.db;
    const userId = await insertTestUser(db, 'Olga');
    const contactId = await seedContact(db, {
      displayName: 'Jean Dupont',
      phones: ['0612345678'],
      responsibleUserId: userId,
    });
    const other = await seedContact(db, { displayName: 'Anna Other', phones: ['0612345679'] });
    await task(db, contactId, 'Undated', null);
    await task(db, contactId, 'Later', '2026-02-01T09:00:00.000Z');
    await task(db, contactId, 'Sooner', '2026-01-20T09:00:00.000Z');
    await task(db, contactId, 'Done already', '2026-01-15T09:00:00.000Z', 'done');
    await task(db, other, 'Someone else', '2026-01-12T09:00:00.000Z');
    await deal(db, contactId, 'Older deal', 'open', '2026-01-01T09:00:00.000Z');
    await deal(db, contactId, 'Newer deal', 'open', '2026-01-05T09:00:00.000Z');
    await deal(db, contactId, 'Won deal', 'won', '2026-01-09T09:00:00.000Z');
    await deal(db, other, 'Their deal', 'open', '2026-01-09T09:00:00.000Z');

    const card = await createKyselyCrmCardReader(db).cardOf(contactId);
    expect(card?.openTasks.map((t) => t.title)).toEqual(['Sooner', 'Later', 'Undated']);
    expect(card?.openDeals.map((d) => d.title)).toEqual(['Newer deal', 'Older deal']);
    expect(card?.openDeals[0]).toMatchObject({ amount: 1200, currency: 'EUR' });
    // The same reader inside a transaction (a batch's): the prepared queries run on it.
    const inside = await db
      .transaction()
      .execute((trx) => createKyselyCrmCardReader(trx).cardOf(other, { excludeCallId: 'none' }));
    expect(inside?.openTasks.map((t) => t.title)).toEqual(['Someone else']);
    expect(inside?.openDeals.map((d) => d.title)).toEqual(['Their deal']);
  });
});

describe('the card reader on SQLite', () => {
  it("reads the contact's open tasks on the contact's index (the adapter's query text)", async () => {
    const database = await openTestDatabase('sqlite');
    const sqlite = database.sqlite;
    if (!sqlite) {
      throw new Error('the SQLite test database has no raw connection');
    }
    const plan = (
      sqlite
        .prepare(
          `explain query plan select "id", "title", "due_at" from "tasks" where "subject_type" = ? and "subject_id" = ?
            and "status" = ? order by due_at is null, "due_at", "id" limit ?`,
        )
        .all('contact', 'c', 'open', 10) as { detail: string }[]
    )
      .map((r) => r.detail)
      .join(' | ');
    await database.cleanup();
    expect(plan).toContain('tasks_subject_idx (subject_type=? AND subject_id=?)');
  });
});
