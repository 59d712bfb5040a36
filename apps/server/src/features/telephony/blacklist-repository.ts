/**
 * Kysely adapter of `BlacklistRepository`: numbers (E.164) whose calls are rejected with busy (PROTOCOL.md §6.2).
 */
import type { Kysely, Selectable } from 'kysely';
import type { BlacklistTable } from '../../db/schema/telephony.js';
import type { Database } from '../../db/schema.js';
import { newId } from '../../ids.js';
import type { BlacklistEntry, BlacklistRepository } from './domain/ports.js';

function toEntry(row: Selectable<BlacklistTable>): BlacklistEntry {
  return {
    id: row.id,
    e164: row.e164,
    reason: row.reason,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

/**
 * Creates the blacklist repository.
 * Why: the NOTIFY_START decision asks `isBlacklisted` on every inbound call — one unique-index lookup.
 */
export function createBlacklistRepository(db: Kysely<Database>): BlacklistRepository {
  return {
    async add(entry, now = new Date().toISOString()) {
      await db
        .insertInto('blacklist')
        .values({
          id: newId(),
          e164: entry.e164,
          reason: entry.reason ?? '',
          created_by: entry.createdBy ?? null,
          created_at: now,
        })
        .onConflict((oc) => oc.column('e164').doNothing())
        .execute();
      const row = await db
        .selectFrom('blacklist')
        .selectAll()
        .where('e164', '=', entry.e164)
        .executeTakeFirstOrThrow();
      return toEntry(row);
    },
    async remove(e164) {
      const result = await db.deleteFrom('blacklist').where('e164', '=', e164).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async isBlacklisted(e164) {
      const row = await db.selectFrom('blacklist').select('id').where('e164', '=', e164).executeTakeFirst();
      return row !== undefined;
    },
    async list() {
      const rows = await db
        .selectFrom('blacklist')
        .selectAll()
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .execute();
      return rows.map(toEntry);
    },
  };
}
