/**
 * `/api/users`: the admin's user management, and the directory every signed-in user needs for pickers.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DatabaseHandle } from '../db/database.js';
import { currentUser, requireAdmin, requireSignedIn } from '../http/auth-guards.js';
import { createUser } from './create-user.js';
import { updateUser } from './update-user.js';
import { listDirectory, listUsers, toUser } from './user-repository.js';
import {
  CreateUserBodySchema,
  DirectoryEntrySchema,
  UpdateUserBodySchema,
  UserListQuerySchema,
  UserListSchema,
  UserSchema,
} from './user-schemas.js';

export interface UsersRoutesOptions {
  readonly database: DatabaseHandle;
  readonly now?: () => Date;
}

/** Registers the user routes. Why: one plugin per area, wired in src/routes.ts. */
export async function usersRoutes(app: FastifyInstance, options: UsersRoutesOptions): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, dialect } = options.database;
  const now = options.now ?? (() => new Date());

  r.get(
    '/api/users/directory',
    {
      onRequest: requireSignedIn,
      schema: {
        tags: ['users'],
        summary: 'Enabled users (id, name, role) for pickers; any signed-in user',
        response: { 200: z.array(DirectoryEntrySchema) },
      },
    },
    async () => listDirectory(db),
  );

  r.get(
    '/api/users',
    {
      onRequest: requireAdmin,
      schema: {
        tags: ['users'],
        summary: 'List users; q searches name and email',
        querystring: UserListQuerySchema,
        response: { 200: UserListSchema },
      },
    },
    async (request) => {
      const { items, total } = await listUsers(db, request.query);
      return { items, total, page: request.query.page, pageSize: request.query.pageSize };
    },
  );

  r.post(
    '/api/users',
    {
      onRequest: requireAdmin,
      schema: {
        tags: ['users'],
        summary: 'Create a user',
        body: CreateUserBodySchema,
        response: { 201: UserSchema },
      },
    },
    async (request, reply) => {
      const user = await createUser(db, { ...request.body, now: now() });
      return reply.status(201).send(toUser(user));
    },
  );

  r.patch(
    '/api/users/:id',
    {
      onRequest: requireAdmin,
      schema: {
        tags: ['users'],
        summary: 'Edit a user: name, role, locale, password, disabled; disabling ends their sessions',
        params: z.object({ id: z.string().min(1) }),
        body: UpdateUserBodySchema,
        response: { 200: UserSchema },
      },
    },
    async (request) => {
      const user = await updateUser(db, {
        dialect,
        actorId: currentUser(request).id,
        userId: request.params.id,
        body: request.body,
        now: now(),
      });
      return toUser(user);
    },
  );
}
