/** Inserts a minimal user row (an agent) for foreign keys and user queries in repository tests. */
import type { Kysely } from 'kysely';
import type { Database } from '../platform/db/schema.js';
import { newId } from '../platform/ids.js';

export async function insertTestUser(db: Kysely<Database>, name = 'Agent'): Promise<string> {
  const id = newId();
  const now = new Date().toISOString();
  await db
    .insertInto('users')
    .values({
      id,
      email: `${id}@example.test`,
      name,
      role: 'agent',
      locale: 'en',
      password_hash: 'x',
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}
