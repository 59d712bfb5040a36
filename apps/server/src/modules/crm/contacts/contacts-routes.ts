/**
 * `/api/contacts`: list with search/filters/sort/paging, CRUD, lookup by phone in any format, timeline.
 * Access policy: modules/crm/shared/record-access.ts (everyone reads; agents change theirs or unassigned).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DatabaseHandle } from '../../../platform/db/database.js';
import { actorOf, requireSignedIn } from '../../../platform/http/auth-guards.js';
import { queryPrefixes } from '../search/search-index.js';
import { readSettings } from '../settings/company-settings-store.js';
import { notFound } from '../shared/validation.js';
import { TimelineResponse } from '../timeline/timeline-schemas.js';
import { findContact, listContacts, loadContacts } from './contact-repository.js';
import { Contact, ContactCreate, ContactListQuery, ContactPatch } from './contact-schemas.js';
import { createContact } from './create-contact.js';
import { deleteContact } from './delete-contact.js';
import { findContactByPhone } from './find-contact-by-phone.js';
import { findDuplicateContacts } from './find-duplicate-contacts.js';
import { mergeContacts } from './merge-contacts.js';
import { readContactTimeline } from './read-contact-timeline.js';
import { updateContact } from './update-contact.js';

const IdParams = z.object({ id: z.string().min(1) });

const ContactPage = z.object({
  items: z.array(Contact),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
});

/** Registers the contact routes. Why: one plugin per area, wired in src/routes.ts. */
export async function contactRoutes(
  app: FastifyInstance,
  options: { database: DatabaseHandle },
): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { database } = options;
  const { db } = database;
  const tags = ['contacts'];

  r.get(
    '/api/contacts',
    {
      preHandler: requireSignedIn,
      schema: {
        tags,
        summary: 'List contacts; q searches name, company, email and phone (any format)',
        description:
          'Filters: responsibleUserId (or `none`), companyId, doNotCall. Sort: displayName, createdAt, ' +
          'updatedAt (prefix - for descending). With q, total counts at most 10,000 matches.',
        querystring: ContactListQuery,
        response: { 200: ContactPage },
      },
    },
    async (request) => {
      const { defaultCountry } = await readSettings(db);
      return listContacts(db, request.query, queryPrefixes(request.query.q ?? '', defaultCountry));
    },
  );

  r.get(
    '/api/contacts/lookup',
    {
      preHandler: requireSignedIn,
      schema: {
        tags,
        summary: 'Find the contact owning a phone number written in any format',
        description:
          '`contact` is the one calls are routed by (the oldest); `matches` lists every contact sharing the ' +
          'number (at most 10, oldest first), so a caller known to several records can be picked.',
        querystring: z.object({ phone: z.string().trim().min(1).max(40) }),
        response: { 200: z.object({ contact: Contact.nullable(), matches: z.array(Contact) }) },
      },
    },
    async (request) => {
      const { defaultCountry } = await readSettings(db);
      const match = await findContactByPhone(database, request.query.phone, defaultCountry);
      if (!match) {
        return { contact: null, matches: [] };
      }
      const all = await findDuplicateContacts({
        db,
        phones: [request.query.phone],
        emails: [],
        defaultCountry,
      });
      const matches = await loadContacts(db, all.length > 0 ? all.map((c) => c.id) : [match.id]);
      return { contact: matches.find((c) => c.id === match.id) ?? null, matches };
    },
  );

  r.post(
    '/api/contacts/duplicates',
    {
      preHandler: requireSignedIn,
      schema: {
        tags,
        summary: 'The contacts that already own one of these phone numbers (any format) or emails',
        description:
          'A read, sent as POST for its list body: the contact form warns before saving a duplicate. ' +
          'excludeId leaves out the contact being edited. At most 10 contacts, oldest first.',
        body: z
          .object({
            phones: z.array(z.string().trim().max(40)).max(20).default([]),
            emails: z.array(z.string().trim().max(254)).max(20).default([]),
            excludeId: z.string().min(1).optional(),
          })
          .strict(),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: z.string(),
                displayName: z.string(),
                responsibleUserId: z.string().nullable(),
                phones: z.array(z.string()),
                emails: z.array(z.string()),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const { defaultCountry } = await readSettings(db);
      const { phones, emails, excludeId } = request.body;
      return { items: await findDuplicateContacts({ db, phones, emails, excludeId, defaultCountry }) };
    },
  );

  r.post(
    '/api/contacts',
    {
      preHandler: requireSignedIn,
      schema: { tags, summary: 'Create a contact', body: ContactCreate, response: { 201: Contact } },
    },
    async (request, reply) => {
      const { defaultCountry } = await readSettings(db);
      const contact = await createContact({
        db,
        actor: actorOf(request),
        input: request.body,
        defaultCountry,
      });
      return reply.status(201).send(contact);
    },
  );

  r.get(
    '/api/contacts/:id',
    {
      preHandler: requireSignedIn,
      schema: { tags, summary: 'Read a contact', params: IdParams, response: { 200: Contact } },
    },
    async (request) => {
      const contact = await findContact(db, request.params.id);
      if (!contact) {
        throw notFound('contact', request.params.id);
      }
      return contact;
    },
  );

  r.patch(
    '/api/contacts/:id',
    {
      preHandler: requireSignedIn,
      schema: {
        tags,
        summary: 'Change a contact (agents: theirs or unassigned only)',
        params: IdParams,
        body: ContactPatch,
        response: { 200: Contact },
      },
    },
    async (request) => {
      const { defaultCountry } = await readSettings(db);
      return updateContact({
        db,
        actor: actorOf(request),
        id: request.params.id,
        patch: request.body,
        defaultCountry,
      });
    },
  );

  r.post(
    '/api/contacts/:id/merge',
    {
      preHandler: requireSignedIn,
      schema: {
        tags,
        summary:
          'Merge another contact into this one (its phones, emails, deals, leads, calls, tasks, notes, timeline)',
        description:
          'One transaction: everything moves to this contact, empty fields are filled from the other, and the ' +
          'other is deleted. Agents merge only contacts that are theirs or unassigned.',
        params: IdParams,
        body: z.object({ mergeId: z.string().min(1) }).strict(),
        response: { 200: Contact },
      },
    },
    async (request) => {
      const { defaultCountry } = await readSettings(db);
      return mergeContacts({
        db,
        actor: actorOf(request),
        keepId: request.params.id,
        mergeId: request.body.mergeId,
        defaultCountry,
      });
    },
  );

  r.delete(
    '/api/contacts/:id',
    {
      preHandler: requireSignedIn,
      schema: { tags, summary: 'Delete a contact (agents: theirs or unassigned only)', params: IdParams },
    },
    async (request, reply) => {
      await deleteContact({ db, actor: actorOf(request), id: request.params.id });
      return reply.status(204).send();
    },
  );

  r.get(
    '/api/contacts/:id/timeline',
    {
      preHandler: requireSignedIn,
      schema: {
        tags,
        summary: "A contact's timeline, newest first",
        params: IdParams,
        response: { 200: TimelineResponse },
      },
    },
    async (request) => ({ items: await readContactTimeline(db, request.params.id, actorOf(request)) }),
  );
}
