/**
 * Kysely adapter of `ExtensionAssignmentRepository`: which user answers on which PBX extension (one each way, by
 * the table's two unique keys; what may be assigned is the policy's, domain/extension-assignment-policy.ts).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../platform/db/schema.js';
import { isUniqueViolation } from '../../../platform/db/unique-violation.js';
import type { ExtensionAssignment, ExtensionAssignmentRepository } from '../ports.js';
import { createKyselyExtensionDirectory } from './kysely-extension-directory.js';

/**
 * Creates the extension assignment repository.
 * Why: NOTIFY_INTERNAL names an extension; popups and call ownership need the user behind it.
 */
export function createExtensionAssignmentRepository(db: Kysely<Database>): ExtensionAssignmentRepository {
  const directory = createKyselyExtensionDirectory(db);
  return {
    async assign(extension, userId, now = new Date().toISOString()) {
      try {
        await db
          .insertInto('extension_assignments')
          .values({ extension, user_id: userId, created_at: now })
          .execute();
      } catch (error) {
        if (isUniqueViolation(error)) {
          return null;
        }
        throw error;
      }
      return { extension, userId, createdAt: now } satisfies ExtensionAssignment;
    },
    async listHoldings() {
      const rows = await db
        .selectFrom('extension_assignments')
        .innerJoin('users', 'users.id', 'extension_assignments.user_id')
        .select(['extension_assignments.extension', 'users.id', 'users.name'])
        .orderBy('extension_assignments.extension')
        .execute();
      return rows.map((r) => ({ extension: r.extension, userId: r.id, userName: r.name }));
    },
    async unassign(extension) {
      const result = await db
        .deleteFrom('extension_assignments')
        .where('extension', '=', extension)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    // The same two reads as the extension directory's (the webhook path's port): one copy of them.
    findUserId: (extension) => directory.userOf(extension),
    findExtension: (userId) => directory.extensionOf(userId),
    async list() {
      const rows = await db.selectFrom('extension_assignments').selectAll().orderBy('extension').execute();
      return rows.map((r) => ({ extension: r.extension, userId: r.user_id, createdAt: r.created_at }));
    },
  };
}
