/**
 * Kysely adapter of `ExtensionAssignmentRepository`: which user answers on which PBX extension (one each way).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../platform/db/schema.js';
import type { ExtensionAssignment, ExtensionAssignmentRepository } from '../ports.js';

/**
 * Creates the extension assignment repository.
 * Why: NOTIFY_INTERNAL names an extension; popups and call ownership need the user behind it.
 */
export function createExtensionAssignmentRepository(db: Kysely<Database>): ExtensionAssignmentRepository {
  return {
    assign(extension, userId, now = new Date().toISOString()) {
      return db.transaction().execute(async (trx) => {
        await trx
          .deleteFrom('extension_assignments')
          .where((eb) => eb.or([eb('extension', '=', extension), eb('user_id', '=', userId)]))
          .execute();
        const row = { extension, user_id: userId, created_at: now };
        await trx.insertInto('extension_assignments').values(row).execute();
        return { extension, userId, createdAt: now } satisfies ExtensionAssignment;
      });
    },
    async unassign(extension) {
      const result = await db
        .deleteFrom('extension_assignments')
        .where('extension', '=', extension)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async findUserId(extension) {
      const row = await db
        .selectFrom('extension_assignments')
        .select('user_id')
        .where('extension', '=', extension)
        .executeTakeFirst();
      return row?.user_id ?? null;
    },
    async findExtension(userId) {
      const row = await db
        .selectFrom('extension_assignments')
        .select('extension')
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row?.extension ?? null;
    },
    async list() {
      const rows = await db.selectFrom('extension_assignments').selectAll().orderBy('extension').execute();
      return rows.map((r) => ({ extension: r.extension, userId: r.user_id, createdAt: r.created_at }));
    },
  };
}
