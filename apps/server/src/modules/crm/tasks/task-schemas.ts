/** The task as the REST contract shows it, and its create/patch bodies. */
import { z } from 'zod';
import { ListQueryShape, sortSchema } from '../shared/list-query.js';

const TASK_SUBJECT_TYPES = ['contact', 'lead', 'deal', 'company', 'call'] as const;

export const Task = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  dueAt: z.string().nullable(),
  status: z.enum(['open', 'done']),
  assigneeId: z.string().nullable(),
  subjectType: z.enum(TASK_SUBJECT_TYPES).nullable(),
  subjectId: z.string().nullable(),
  createdAt: z.string(),
  completedAt: z.string().nullable(),
});
export type Task = z.infer<typeof Task>;

const fields = {
  title: z.string().trim().min(1, 'must not be empty').max(200),
  description: z.string().max(20_000),
  dueAt: z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date-time' }).nullable(),
  status: z.enum(['open', 'done']),
  assigneeId: z.string().nullable(),
  subjectType: z.enum(TASK_SUBJECT_TYPES).nullable(),
  subjectId: z.string().nullable(),
};

export const TaskCreate = z
  .object({
    ...fields,
    description: fields.description.default(''),
    dueAt: fields.dueAt.optional(),
    status: fields.status.default('open'),
    assigneeId: fields.assigneeId.optional(),
    subjectType: fields.subjectType.optional(),
    subjectId: fields.subjectId.optional(),
  })
  .strict();
export type TaskCreate = z.infer<typeof TaskCreate>;

export const TaskPatch = z.object(fields).partial().strict();
export type TaskPatch = z.infer<typeof TaskPatch>;

export const TaskListQuery = z.object({
  ...ListQueryShape,
  sort: sortSchema(['dueAt', 'createdAt', 'title'], 'dueAt'),
  assigneeId: z.string().optional(),
  status: z.enum(['open', 'done']).optional(),
  subjectType: z.enum(TASK_SUBJECT_TYPES).optional(),
  subjectId: z.string().optional(),
  due: z.enum(['overdue', 'today', 'week']).optional(),
});
export type TaskListQuery = z.infer<typeof TaskListQuery>;
