/**
 * A user changes their own name, locale or password. A new password needs the current one, and ends the
 * user's other sessions (someone who knew the old password is signed out).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { AppError } from '../errors/errors.js';
import { findUserById, type UserRow } from '../users/user-repository.js';
import type { UpdateMeBody } from '../users/user-schemas.js';
import { hashPassword, verifyPassword } from './password.js';
import { deleteUserSessions } from './session-repository.js';

/** Applies the signed-in user's own profile change. Why: PATCH /api/auth/me. */
export async function updateMe(
  db: Kysely<Database>,
  input: { userId: string; sessionId: string; body: UpdateMeBody; now: Date },
): Promise<UserRow> {
  const user = await findUserById(db, input.userId);
  if (!user) {
    throw new AppError('SB_ERR_UNAUTHENTICATED', 'sign in to use this endpoint');
  }
  const { name, locale, password, currentPassword } = input.body;
  let passwordHash: string | undefined;
  if (password !== undefined) {
    if (currentPassword === undefined) {
      throw new AppError('SB_ERR_VALIDATION', 'changing the password needs the current password', [
        { path: 'currentPassword', message: 'is required to change the password' },
      ]);
    }
    if (!(await verifyPassword(currentPassword, user.password_hash))) {
      throw new AppError('SB_ERR_VALIDATION', 'the current password is incorrect', [
        { path: 'currentPassword', message: 'is incorrect' },
      ]);
    }
    passwordHash = await hashPassword(password);
  }
  const changes = {
    ...(name !== undefined ? { name } : {}),
    ...(locale !== undefined ? { locale } : {}),
    ...(passwordHash !== undefined ? { password_hash: passwordHash } : {}),
  };
  if (Object.keys(changes).length === 0) {
    return user;
  }
  await db
    .updateTable('users')
    .set({ ...changes, updated_at: input.now.toISOString() })
    .where('id', '=', user.id)
    .execute();
  if (passwordHash !== undefined) {
    await deleteUserSessions(db, user.id, { except: input.sessionId });
  }
  return { ...user, ...changes, updated_at: input.now.toISOString() };
}
