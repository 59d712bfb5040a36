/**
 * Cookie sessions in the database. The cookie holds a random 32-byte token; only its SHA-256 is stored, so a
 * leaked database or backup cannot be replayed as a session. Expiry slides with use, up to an absolute cap.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { UserRow } from '../users/user-repository.js';

/** A session ends after this long without a request… */
const SESSION_IDLE_MS = 14 * 24 * 60 * 60 * 1000;
/** …and in any case this long after sign-in. */
export const SESSION_ABSOLUTE_MS = 90 * 24 * 60 * 60 * 1000;
/** `last_seen_at` is written at most this often, so most requests cost one read and no write. */
const TOUCH_INTERVAL_MS = 60 * 1000;

export interface NewSession {
  /** The secret for the `sb_session` cookie; never stored. */
  readonly token: string;
  readonly id: string;
  readonly csrfToken: string;
  readonly expiresAt: string;
}

export interface ActiveSession {
  readonly id: string;
  readonly csrfToken: string;
  readonly user: UserRow;
}

/** The stored id of a session token. Why: the database keeps hashes, the browser keeps tokens. */
export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function slidingExpiry(createdAt: Date, now: Date): string {
  return new Date(
    Math.min(now.getTime() + SESSION_IDLE_MS, createdAt.getTime() + SESSION_ABSOLUTE_MS),
  ).toISOString();
}

/** Opens a session for a user. Why: a successful sign-in. */
export async function createSession(db: Kysely<Database>, userId: string, now: Date): Promise<NewSession> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const id = sessionIdOf(token);
  const expiresAt = slidingExpiry(now, now);
  await db
    .insertInto('sessions')
    .values({
      id,
      user_id: userId,
      csrf_token: csrfToken,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: expiresAt,
    })
    .execute();
  return { token, id, csrfToken, expiresAt };
}

/**
 * The live session for a cookie token with its (enabled) user, sliding its expiry; null when unknown,
 * expired or the user is disabled. Why: runs on every API request, so it is one indexed join.
 */
export async function findActiveSession(
  db: Kysely<Database>,
  token: string,
  now: Date,
): Promise<ActiveSession | null> {
  const id = sessionIdOf(token);
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.csrf_token',
      'sessions.created_at as session_created_at',
      'sessions.last_seen_at',
      'sessions.expires_at',
      'users.id',
      'users.email',
      'users.name',
      'users.role',
      'users.locale',
      'users.password_hash',
      'users.disabled',
      'users.created_at',
      'users.updated_at',
    ])
    .where('sessions.id', '=', id)
    .executeTakeFirst();
  if (!row || row.disabled === 1 || Date.parse(row.expires_at) <= now.getTime()) {
    return null;
  }
  if (now.getTime() - Date.parse(row.last_seen_at) >= TOUCH_INTERVAL_MS) {
    await db
      .updateTable('sessions')
      .set({
        last_seen_at: now.toISOString(),
        expires_at: slidingExpiry(new Date(row.session_created_at), now),
      })
      .where('id', '=', id)
      .execute();
  }
  const { csrf_token, session_created_at, last_seen_at, expires_at, ...user } = row;
  return { id, csrfToken: csrf_token, user };
}

/** Ends one session. Why: sign-out. */
export async function deleteSession(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

/**
 * Ends every session of a user, optionally keeping one. Why: sign-out everywhere, a disabled account,
 * a changed password.
 */
export async function deleteUserSessions(
  db: Kysely<Database>,
  userId: string,
  options: { except?: string } = {},
): Promise<number> {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (options.except) {
    query = query.where('id', '!=', options.except);
  }
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Removes expired sessions. Why: keeps the table small; called on sign-in, off the hot path. */
export async function deleteExpiredSessions(db: Kysely<Database>, now: Date): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<=', now.toISOString()).execute();
}
