/**
 * The REST shape every CRM record shares — list, create, read, patch, delete, timeline — registered from
 * one description, so companies, leads and deals behave exactly alike (contacts add lookup and CSV).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../../../platform/auth/actor.js';
import type { DatabaseHandle } from '../../../platform/db/database.js';
import type { SubjectType } from '../../../platform/db/schema/crm.js';
import { actorOf, requireSignedIn } from '../../../platform/http/auth-guards.js';
import { queryPrefixes } from '../search/search-index.js';
import { readSettings } from '../settings/company-settings-store.js';
import { listTimeline } from '../timeline/list-timeline.js';
import { TimelineResponse } from '../timeline/timeline-schemas.js';
import type { Page } from './list-query.js';
import { notFound } from './validation.js';

export const IdParams = z.object({ id: z.string().min(1) });

interface UseCaseContext {
  actor: Actor;
  defaultCountry: string;
}

export interface RecordRoutesSpec<
  R,
  Q extends z.ZodType<{ q?: string | undefined }>,
  C extends z.ZodType,
  P extends z.ZodType,
> {
  /** e.g. `/api/companies` */
  path: string;
  /** singular noun for messages: `company` */
  noun: string;
  subjectType: SubjectType;
  record: z.ZodType<R>;
  listQuery: Q;
  createBody: C;
  patchBody: P;
  listDescription?: string;
  list(query: z.output<Q>, prefixes: string[]): Promise<Page<R>>;
  find(id: string): Promise<R | undefined>;
  create(input: z.output<C>, ctx: UseCaseContext): Promise<R>;
  update(id: string, patch: z.output<P>, ctx: UseCaseContext): Promise<R>;
  remove(id: string, ctx: UseCaseContext): Promise<void>;
}

/** Registers the routes of one record type. Why: one REST shape for all CRM records. */
export function registerRecordRoutes<
  R,
  Q extends z.ZodType<{ q?: string | undefined }>,
  C extends z.ZodType,
  P extends z.ZodType,
>(app: FastifyInstance, database: DatabaseHandle, spec: RecordRoutesSpec<R, Q, C, P>): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = database;
  const tags = [spec.path.replace('/api/', '')];
  const page = z.object({
    items: z.array(spec.record),
    total: z.number(),
    page: z.number(),
    pageSize: z.number(),
  });
  const context = async (request: Parameters<typeof actorOf>[0]): Promise<UseCaseContext> => ({
    actor: actorOf(request),
    defaultCountry: (await readSettings(db)).defaultCountry,
  });

  r.get(
    spec.path,
    {
      preHandler: requireSignedIn,
      schema: {
        tags,
        summary: `List ${tags[0]} (q searches by word prefix)`,
        ...(spec.listDescription ? { description: spec.listDescription } : {}),
        querystring: spec.listQuery,
        response: { 200: page },
      },
    },
    async (request) => {
      const { defaultCountry } = await readSettings(db);
      const query = request.query as z.output<Q>;
      return spec.list(query, queryPrefixes(query.q ?? '', defaultCountry));
    },
  );

  r.post(
    spec.path,
    {
      preHandler: requireSignedIn,
      schema: {
        tags,
        summary: `Create a ${spec.noun}`,
        body: spec.createBody,
        response: { 201: spec.record },
      },
    },
    async (request, reply) => {
      const created = await spec.create(request.body as z.output<C>, await context(request));
      return reply.status(201).send(created);
    },
  );

  r.get(
    `${spec.path}/:id`,
    {
      preHandler: requireSignedIn,
      schema: { tags, summary: `Read a ${spec.noun}`, params: IdParams, response: { 200: spec.record } },
    },
    async (request) => {
      const found = await spec.find(request.params.id);
      if (found === undefined) {
        throw notFound(spec.noun, request.params.id);
      }
      return found;
    },
  );

  r.patch(
    `${spec.path}/:id`,
    {
      preHandler: requireSignedIn,
      schema: {
        tags,
        summary: `Change a ${spec.noun} (agents: theirs or unassigned only)`,
        params: IdParams,
        body: spec.patchBody,
        response: { 200: spec.record },
      },
    },
    async (request) => spec.update(request.params.id, request.body as z.output<P>, await context(request)),
  );

  r.delete(
    `${spec.path}/:id`,
    {
      preHandler: requireSignedIn,
      schema: {
        tags,
        summary: `Delete a ${spec.noun} (agents: theirs or unassigned only)`,
        params: IdParams,
      },
    },
    async (request, reply) => {
      await spec.remove(request.params.id, await context(request));
      return reply.status(204).send();
    },
  );

  r.get(
    `${spec.path}/:id/timeline`,
    {
      preHandler: requireSignedIn,
      schema: {
        tags,
        summary: `A ${spec.noun}'s timeline, newest first`,
        params: IdParams,
        response: { 200: TimelineResponse },
      },
    },
    async (request) => {
      if ((await spec.find(request.params.id)) === undefined) {
        throw notFound(spec.noun, request.params.id);
      }
      return { items: await listTimeline(db, spec.subjectType, request.params.id, actorOf(request)) };
    },
  );
}
