/**
 * Telephony's public file for modules that put telephony data in without a PBX — the demo today, a history
 * import tomorrow: extensions assigned through the one assignment policy (use-cases/assign-extension.ts), calls
 * folded from Zadarma's notifications by the same repository the ingest uses, then linked as the ingest links
 * them. Why a public file: another module never reaches into telephony's adapters (.dependency-cruiser.cjs).
 */
import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { catalogueCodeOf } from '../../platform/errors/errors.js';
import { createCallRepository } from './adapters/kysely-call-repository.js';
import { createExtensionAssignmentRepository } from './adapters/kysely-extension-assignment-repository.js';
import { beforeCommitFlushes } from './adapters/kysely-unit-of-work.js';
import { createUserDirectory } from './adapters/kysely-user-directory.js';
import type { CallEvent } from './domain/call-event.js';
import type { CallLinks } from './ports.js';
import { assignExtension } from './use-cases/assign-extension.js';

export type { TelephonyRuntime, TelephonyRuntimeControl } from './adapters/zadarma/telephony-runtime.js';
export type { CallEvent } from './domain/call-event.js';

export interface TelephonySeeding {
  /**
   * Assigns each extension to its user unless the policy refuses (the extension or the user already has one):
   * a seed never takes an assignment an admin made. Returns how many were assigned.
   */
  assignExtensions(pairs: readonly { extension: string; userId: string }[]): Promise<number>;
  /** Folds one call's notifications (in order, each at its `receivedAt`) and links it; false when none stored. */
  recordCall(events: readonly CallEvent[], links: CallLinks): Promise<boolean>;
}

/**
 * The seeding side of telephony over `db` (a transaction or the database). `sqlite` is the raw connection
 * behind the database (null on PostgreSQL): the same prepared fold as the webhook path.
 */
export function createTelephonySeeding(
  db: Kysely<Database>,
  sqlite: SQLite.Database | null = null,
): TelephonySeeding {
  const e164Of = (digits: string) => (/^\d{8,15}$/.test(digits) ? `+${digits}` : null);
  return {
    async assignExtensions(pairs) {
      const ports = {
        assignments: createExtensionAssignmentRepository(db),
        users: createUserDirectory(db),
        now: () => new Date().toISOString(),
      };
      let assigned = 0;
      for (const { extension, userId } of pairs) {
        try {
          await assignExtension({ ...ports, extension, userId });
          assigned += 1;
        } catch (error) {
          if (catalogueCodeOf(error) !== 'SB_ERR_CONFLICT') {
            throw error;
          }
        }
      }
      return assigned;
    },
    async recordCall(events, links) {
      // `db` may be the seeding's transaction: the folds join it, and their summed rollups are written here.
      const flushes = beforeCommitFlushes();
      const repository = createCallRepository(db, { sqlite }).within(db, flushes.beforeCommit);
      let stored = null;
      for (const event of events) {
        stored = (await repository.applyEvent(event, event.receivedAt, { clientE164: e164Of })).call;
      }
      await flushes.run();
      if (!stored) {
        return false;
      }
      await repository.link(stored, links, stored.updatedAt);
      return true;
    },
  };
}
