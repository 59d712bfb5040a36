/**
 * The `ExtensionDirectory` port on `extension_assignments` and `users`. On SQLite every read is a prepared
 * statement run on the connection directly (a plain indexed read per notification, no query building); on
 * PostgreSQL a Kysely query. Writes stay with the assignment repository, so nothing is cached that could go stale.
 */
import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Database } from '../../../platform/db/schema.js';
import type { ExtensionDirectory } from '../ports.js';

interface Prepared {
  readonly userOf: SQLite.Statement<[string], { user_id: string }>;
  readonly extensionOf: SQLite.Statement<[string], { extension: string }>;
  readonly nameOf: SQLite.Statement<[string], { name: string }>;
  /** One statement per list length (a call rings a handful of extensions). */
  readonly usersOf: Map<number, SQLite.Statement<string[], { extension: string; user_id: string }>>;
}

const statements = new WeakMap<SQLite.Database, Prepared>();

function preparedOn(sqlite: SQLite.Database): Prepared {
  let known = statements.get(sqlite);
  if (!known) {
    known = {
      userOf: sqlite.prepare('select user_id from extension_assignments where extension = ?'),
      extensionOf: sqlite.prepare('select extension from extension_assignments where user_id = ?'),
      nameOf: sqlite.prepare('select name from users where id = ?'),
      usersOf: new Map(),
    };
    statements.set(sqlite, known);
  }
  return known;
}

function sqliteDirectory(sqlite: SQLite.Database): ExtensionDirectory {
  const p = preparedOn(sqlite);
  return {
    userOf: async (extension) => p.userOf.get(extension)?.user_id ?? null,
    extensionOf: async (userId) => p.extensionOf.get(userId)?.extension ?? null,
    nameOf: async (userId) => p.nameOf.get(userId)?.name ?? null,
    async usersOf(extensions) {
      if (extensions.length === 0) {
        return new Map();
      }
      let statement = p.usersOf.get(extensions.length);
      if (!statement) {
        statement = sqlite.prepare<string[], { extension: string; user_id: string }>(
          `select extension, user_id from extension_assignments where extension in (${extensions.map(() => '?').join(', ')})`,
        );
        p.usersOf.set(extensions.length, statement);
      }
      return new Map(statement.all(...extensions).map((r) => [r.extension, r.user_id]));
    },
  };
}

/**
 * The directory over `db` (the app's database or a batch's transaction); `sqlite`, the connection under it,
 * selects the prepared-statement path. Why: popups and routing read it on every notification.
 */
export function createKyselyExtensionDirectory(
  db: Kysely<Database>,
  sqlite: SQLite.Database | null = null,
): ExtensionDirectory {
  if (sqlite) {
    return sqliteDirectory(sqlite);
  }
  return {
    async userOf(extension) {
      const row = await db
        .selectFrom('extension_assignments')
        .select('user_id')
        .where('extension', '=', extension)
        .executeTakeFirst();
      return row?.user_id ?? null;
    },
    async extensionOf(userId) {
      const row = await db
        .selectFrom('extension_assignments')
        .select('extension')
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row?.extension ?? null;
    },
    async nameOf(userId) {
      const row = await db.selectFrom('users').select('name').where('id', '=', userId).executeTakeFirst();
      return row?.name ?? null;
    },
    async usersOf(extensions) {
      if (extensions.length === 0) {
        return new Map();
      }
      const rows = await db
        .selectFrom('extension_assignments')
        .select(['extension', 'user_id'])
        .where('extension', 'in', [...extensions])
        .execute();
      return new Map(rows.map((r) => [r.extension, r.user_id]));
    },
  };
}
