/**
 * Demo mode's data: on a database without users, the company settings, the demo accounts, then the CRM
 * records (`seedDemoCrm`, written by the CRM feature), all in one transaction. Marks the database as a demo
 * database so later starts stay in demo mode.
 */
import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { hashPassword } from '../../platform/auth/password.js';
import type { Database } from '../../platform/db/schema.js';
import { isUniqueViolation } from '../../platform/db/unique-violation.js';
import { newId } from '../../platform/ids.js';
import { forgetCachedSettings, updateSettings } from '../crm/settings/company-settings-store.js';
import { seedDemoCrm } from './demo-crm.js';
import { DEMO_COMPANY, DEMO_PASSWORD, DEMO_SCRYPT, DEMO_USERS } from './demo-users.js';

/** The settings key that records when demo data was seeded (not part of `Settings`). */
const DEMO_MARKER_KEY = 'demoSeededAt';

export interface SeedDemoResult {
  /** False when the database already had users (nothing was written). */
  readonly seeded: boolean;
  readonly users: { id: string; email: string; role: 'admin' | 'agent'; name: string }[];
}

/** Seeds the demo company, accounts and CRM data into an empty database. Why: demo mode on first start. */
export async function seedDemo(
  db: Kysely<Database>,
  options: { now?: Date; seed?: number; sqlite?: SQLite.Database | null } = {},
): Promise<SeedDemoResult> {
  const now = options.now ?? new Date();
  const hashes = await Promise.all(DEMO_USERS.map(() => hashPassword(DEMO_PASSWORD, DEMO_SCRYPT)));
  const users = DEMO_USERS.map((u, i) => ({ ...u, id: newId(now.getTime() + i) }));
  try {
    const result = await db.transaction().execute(async (trx): Promise<SeedDemoResult> => {
      const existing = await trx.selectFrom('users').select('id').limit(1).executeTakeFirst();
      if (existing) {
        return { seeded: false, users: [] };
      }
      await trx
        .insertInto('users')
        .values(
          users.map((u, i) => ({
            id: u.id,
            email: u.email,
            name: u.name,
            role: u.role,
            locale: u.locale,
            password_hash: hashes[i] as string,
            disabled: 0,
            created_at: now.toISOString(),
            updated_at: now.toISOString(),
          })),
        )
        .execute();
      await updateSettings(trx, DEMO_COMPANY, now);
      await trx
        .insertInto('settings')
        .values({
          key: DEMO_MARKER_KEY,
          value: JSON.stringify(now.toISOString()),
          updated_at: now.toISOString(),
        })
        .execute();
      await seedDemoCrm(trx, {
        users: users.map(({ id, email, name, role, locale }) => ({ id, email, name, role, locale })),
        now,
        seed: options.seed ?? 42,
        sqlite: options.sqlite ?? null,
      });
      return { seeded: true, users: users.map(({ id, email, role, name }) => ({ id, email, role, name })) };
    });
    forgetCachedSettings(db);
    return result;
  } catch (error) {
    // Another instance seeded the same empty database at the same moment: its data stands.
    if (isUniqueViolation(error)) {
      return { seeded: false, users: [] };
    }
    throw error;
  }
}

/** Whether this database was seeded as a demo. Why: it stays in demo mode on later starts. */
export async function isDemoDatabase(db: Kysely<Database>): Promise<boolean> {
  const row = await db
    .selectFrom('settings')
    .select('key')
    .where('key', '=', DEMO_MARKER_KEY)
    .executeTakeFirst();
  return row !== undefined;
}
