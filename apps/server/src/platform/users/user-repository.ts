/**
 * Users in the database (Kysely, both dialects). Emails are stored lowercase; `disabled` is 0/1.
 */
import { type Kysely, type Selectable, sql } from 'kysely';
import type { UsersTable } from '../db/schema/platform.js';
import type { Database } from '../db/schema.js';
import type { DirectoryEntry, User, UserListQuery } from './user-schemas.js';

export type UserRow = Selectable<UsersTable>;

/** The API shape of a stored user. Why: the password hash never leaves the repository layer. */
export function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    locale: row.locale,
    disabled: row.disabled === 1,
    createdAt: row.created_at,
  };
}

/** Finds a user by email, case-insensitively. Why: sign-in and the unique-email check. */
export async function findUserByEmail(db: Kysely<Database>, email: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('email', '=', email.trim().toLowerCase())
    .executeTakeFirst();
}

/** Finds a user by id. */
export async function findUserById(db: Kysely<Database>, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** How many users exist at all. Why: an empty database triggers demo mode or the first-admin hint. */
export async function countUsers(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

const SORT_COLUMNS = { name: 'name', email: 'email', createdAt: 'created_at', role: 'role' } as const;

/** One page of users, filtered and sorted. Why: the admin's user list. */
export async function listUsers(
  db: Kysely<Database>,
  query: UserListQuery,
): Promise<{ items: User[]; total: number }> {
  let base = db.selectFrom('users');
  if (query.q) {
    const like = `%${query.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    // An explicit ESCAPE: SQLite has no default escape character for LIKE, PostgreSQL's is the same backslash.
    base = base.where(sql<boolean>`(lower(name) like ${like} escape '\\' or email like ${like} escape '\\')`);
  }
  if (query.role) {
    base = base.where('role', '=', query.role);
  }
  if (query.disabled) {
    base = base.where('disabled', '=', query.disabled === 'true' ? 1 : 0);
  }
  const descending = query.sort.startsWith('-');
  const column = SORT_COLUMNS[query.sort.replace(/^-/, '') as keyof typeof SORT_COLUMNS];
  const [rows, count] = await Promise.all([
    base
      .selectAll()
      .orderBy(column, descending ? 'desc' : 'asc')
      .orderBy('id')
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toUser), total: Number(count.n) };
}

/** Active users for pickers, by name. Why: any signed-in user assigns records to colleagues. */
export async function listDirectory(db: Kysely<Database>): Promise<DirectoryEntry[]> {
  return db
    .selectFrom('users')
    .select(['id', 'name', 'role'])
    .where('disabled', '=', 0)
    .orderBy('name')
    .orderBy('id')
    .execute();
}
