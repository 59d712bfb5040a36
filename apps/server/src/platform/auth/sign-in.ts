/**
 * Sign-in with email and password: verifies the password (a dummy verification for unknown emails, so timing
 * does not reveal accounts), refuses disabled accounts, and opens a session.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { AppError } from '../errors/errors.js';
import { findUserByEmail, type UserRow } from '../users/user-repository.js';
import { dummyVerifyPassword, verifyPassword } from './password.js';
import { createSession, deleteExpiredSessions, type NewSession } from './session-repository.js';

/** Checks the credentials and opens a session. Why: the only way to get a session cookie. */
export async function signIn(
  db: Kysely<Database>,
  input: { email: string; password: string; now: Date },
): Promise<{ user: UserRow; session: NewSession }> {
  const user = await findUserByEmail(db, input.email);
  const ok = user
    ? await verifyPassword(input.password, user.password_hash)
    : await dummyVerifyPassword(input.password);
  if (!user || !ok) {
    throw new AppError('SB_ERR_INVALID_CREDENTIALS', 'the email or the password is incorrect');
  }
  if (user.disabled === 1) {
    throw new AppError(
      'SB_ERR_ACCOUNT_DISABLED',
      'this account is disabled; ask an administrator to enable it',
    );
  }
  await deleteExpiredSessions(db, input.now);
  const session = await createSession(db, user.id, input.now);
  return { user, session };
}
