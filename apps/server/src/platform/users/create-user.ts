/**
 * An admin creates a user (or the first-admin bootstrap does). Emails are unique, compared lowercase.
 */
import type { Kysely } from 'kysely';
import { hashPassword, type ScryptParams } from '../auth/password.js';
import type { Database } from '../db/schema.js';
import { isUniqueViolation } from '../db/unique-violation.js';
import { AppError } from '../errors/errors.js';
import { newId } from '../ids.js';
import { findUserByEmail, type UserRow } from './user-repository.js';
import type { CreateUserBody } from './user-schemas.js';

/** Creates a user with a hashed password. Why: POST /api/users, the demo seed and create-admin. */
export async function createUser(
  db: Kysely<Database>,
  input: CreateUserBody & { now: Date; scrypt?: ScryptParams },
): Promise<UserRow> {
  const email = input.email.trim().toLowerCase();
  const conflict = () =>
    new AppError('SB_ERR_CONFLICT', `a user with the email ${email} already exists`, [
      { path: 'email', message: 'is already used by another user' },
    ]);
  if (await findUserByEmail(db, email)) {
    throw conflict();
  }
  const row: UserRow = {
    id: newId(input.now.getTime()),
    email,
    name: input.name.trim(),
    role: input.role,
    locale: input.locale ?? 'en',
    password_hash: await hashPassword(input.password, input.scrypt),
    disabled: 0,
    created_at: input.now.toISOString(),
    updated_at: input.now.toISOString(),
  };
  try {
    await db.insertInto('users').values(row).execute();
  } catch (error) {
    // Two concurrent creations with the same email: the unique index decides.
    if (isUniqueViolation(error)) {
      throw conflict();
    }
    throw error;
  }
  return row;
}
