/**
 * An admin edits a user: name, role, locale, password, disabled. The last enabled admin can be neither
 * demoted nor disabled (nobody could administer the CRM any more). Disabling a user or setting their
 * password ends their sessions.
 */
import type { Kysely } from 'kysely';
import { hashPassword } from '../auth/password.js';
import { deleteUserSessions } from '../auth/session-repository.js';
import type { Dialect } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { AppError } from '../errors/errors.js';
import type { UserRow } from './user-repository.js';
import type { UpdateUserBody } from './user-schemas.js';

/** Applies an admin's change to a user. Why: PATCH /api/users/:id. */
export async function updateUser(
  db: Kysely<Database>,
  input: { dialect: Dialect; actorId: string; userId: string; body: UpdateUserBody; now: Date },
): Promise<UserRow> {
  const { body } = input;
  // Hash outside the transaction: it takes ~200 ms and must not hold locks.
  const passwordHash = body.password !== undefined ? await hashPassword(body.password) : undefined;
  return db.transaction().execute(async (trx) => {
    // On PostgreSQL, lock the admins so two admins demoting each other at once cannot both succeed;
    // SQLite serialises write transactions anyway (and has no FOR UPDATE).
    const adminsQuery = trx
      .selectFrom('users')
      .select('id')
      .where('role', '=', 'admin')
      .where('disabled', '=', 0);
    const activeAdmins = await (input.dialect === 'postgres'
      ? adminsQuery.forUpdate()
      : adminsQuery
    ).execute();
    const user = await trx.selectFrom('users').selectAll().where('id', '=', input.userId).executeTakeFirst();
    if (!user) {
      throw new AppError('SB_ERR_NOT_FOUND', `no user with id ${input.userId}`);
    }
    const losesAdmin =
      user.role === 'admin' &&
      user.disabled === 0 &&
      ((body.role !== undefined && body.role !== 'admin') || body.disabled === true);
    if (losesAdmin && activeAdmins.length <= 1) {
      const self = user.id === input.actorId ? 'you are' : 'this user is';
      throw new AppError(
        'SB_ERR_CONFLICT',
        `${self} the last enabled administrator; make another user an administrator first`,
        [
          {
            path: body.disabled === true ? 'disabled' : 'role',
            message: 'would leave the CRM without an administrator',
          },
        ],
      );
    }
    const changes = {
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.role !== undefined ? { role: body.role } : {}),
      ...(body.locale !== undefined ? { locale: body.locale } : {}),
      ...(body.disabled !== undefined ? { disabled: body.disabled ? 1 : 0 } : {}),
      ...(passwordHash !== undefined ? { password_hash: passwordHash } : {}),
    };
    if (Object.keys(changes).length === 0) {
      return user;
    }
    const updatedAt = input.now.toISOString();
    await trx
      .updateTable('users')
      .set({ ...changes, updated_at: updatedAt })
      .where('id', '=', user.id)
      .execute();
    if (body.disabled === true || passwordHash !== undefined) {
      await deleteUserSessions(trx, user.id);
    }
    return { ...user, ...changes, updated_at: updatedAt };
  });
}
