/**
 * The plan a database chooses for a query's text, its steps joined by " | ". PostgreSQL is told not to scan
 * tables for it (a test holds a few rows, which it would rather read whole), so that the plan shows the index it
 * would use at scale. Why: migration tests check which index serves a query, and each dialect explains its own way.
 */
import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../platform/db/database.js';
import type { Database } from '../platform/db/schema.js';

export async function queryPlan(db: Kysely<Database>, dialect: Dialect, query: string): Promise<string> {
  if (dialect === 'sqlite') {
    const rows = await sql<{ detail: string }>`explain query plan ${sql.raw(query)}`.execute(db);
    return rows.rows.map((r) => r.detail).join(' | ');
  }
  const rows = await db.connection().execute(async (c) => {
    await sql`set enable_seqscan = off`.execute(c);
    try {
      return await sql<{ 'QUERY PLAN': string }>`explain ${sql.raw(query)}`.execute(c);
    } finally {
      await sql`reset enable_seqscan`.execute(c);
    }
  });
  return rows.rows.map((r) => r['QUERY PLAN']).join(' | ');
}
