/**
 * `/api/tasks`: list (filters assigneeId, status, subjectType, subjectId, due=overdue|today|week), CRUD.
 * Agents may assign tasks to anyone; they change tasks assigned to them, created by them, or unassigned.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DatabaseHandle } from '../../../platform/db/database.js';
import { actorOf, requireSignedIn } from '../../../platform/http/auth-guards.js';
import { readSettings } from '../settings/company-settings-store.js';
import { IdParams } from '../shared/record-routes.js';
import { notFound } from '../shared/validation.js';
import { createTask } from './create-task.js';
import { deleteTask } from './delete-task.js';
import { findTask, listTasks, publicTask } from './task-repository.js';
import { Task, TaskCreate, TaskListQuery, TaskPatch } from './task-schemas.js';
import { updateTask } from './update-task.js';

const TaskPage = z.object({
  items: z.array(Task),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
});

/** Registers the task routes. Why: one plugin per area. */
export async function taskRoutes(app: FastifyInstance, options: { database: DatabaseHandle }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = options.database;
  const tags = ['tasks'];
  r.get(
    '/api/tasks',
    {
      preHandler: requireSignedIn,
      schema: {
        tags,
        summary: 'List tasks',
        description:
          'Filters: assigneeId (or `none`), status, subjectType, subjectId, due (overdue | today | week, UTC days). ' +
          'q matches the title; a q that looks like a phone number also matches its digits however the title ' +
          'spaces them (national forms read with the default country). Sort: dueAt (no due time last), createdAt, title.',
        querystring: TaskListQuery,
        response: { 200: TaskPage },
      },
    },
    async (request) => listTasks(db, request.query, new Date(), (await readSettings(db)).defaultCountry),
  );
  r.post(
    '/api/tasks',
    {
      preHandler: requireSignedIn,
      schema: { tags, summary: 'Create a task', body: TaskCreate, response: { 201: Task } },
    },
    async (request, reply) =>
      reply.status(201).send(await createTask({ db, actor: actorOf(request), input: request.body })),
  );
  r.get(
    '/api/tasks/:id',
    {
      preHandler: requireSignedIn,
      schema: { tags, summary: 'Read a task', params: IdParams, response: { 200: Task } },
    },
    async (request) => {
      const task = await findTask(db, request.params.id);
      if (!task) {
        throw notFound('task', request.params.id);
      }
      return publicTask(task);
    },
  );
  r.patch(
    '/api/tasks/:id',
    {
      preHandler: requireSignedIn,
      schema: { tags, summary: 'Change a task', params: IdParams, body: TaskPatch, response: { 200: Task } },
    },
    async (request) =>
      updateTask({ db, actor: actorOf(request), id: request.params.id, patch: request.body }),
  );
  r.delete(
    '/api/tasks/:id',
    { preHandler: requireSignedIn, schema: { tags, summary: 'Delete a task', params: IdParams } },
    async (request, reply) => {
      await deleteTask({ db, actor: actorOf(request), id: request.params.id });
      return reply.status(204).send();
    },
  );
}
