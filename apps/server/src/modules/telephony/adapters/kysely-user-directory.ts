/**
 * Kysely adapter of `UserDirectory`: the platform's `users` table as telephony needs it.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../platform/db/schema.js';
import type { UserDirectory } from '../ports.js';

/** Creates the user directory. Why: the settings use cases check who may take calls without knowing SQL. */
export function createUserDirectory(db: Kysely<Database>): UserDirectory {
  return {
    async findActive(id) {
      const user = await db
        .selectFrom('users')
        .select(['id', 'name', 'disabled'])
        .where('id', '=', id)
        .executeTakeFirst();
      return user && user.disabled !== 1 ? { id: user.id, name: user.name } : null;
    },
  };
}
