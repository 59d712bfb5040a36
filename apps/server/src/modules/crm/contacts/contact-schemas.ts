/**
 * The contact as the REST contract shows it, and the bodies that create or change one (zod, also the OpenAPI).
 */
import { z } from 'zod';
import { ListQueryShape, queryBoolean, sortSchema } from '../shared/list-query.js';

const Ref = z.object({ id: z.string(), name: z.string() });

const ContactPhone = z.object({
  id: z.string(),
  raw: z.string(),
  e164: z.string().nullable(),
  label: z.string(),
});

const ContactEmail = z.object({ id: z.string(), email: z.string(), label: z.string() });

export const Contact = z.object({
  id: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  displayName: z.string(),
  companyId: z.string().nullable(),
  company: Ref.optional(),
  responsibleUserId: z.string().nullable(),
  responsibleUser: Ref.optional(),
  phones: z.array(ContactPhone),
  emails: z.array(ContactEmail),
  notes: z.string(),
  doNotCall: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Contact = z.infer<typeof Contact>;

const name = z.string().trim().max(100);

const ContactPhoneInput = z.object({
  raw: z.string().trim().min(1, 'must not be empty').max(40),
  label: z.string().trim().max(40).default(''),
});

const ContactEmailInput = z.object({
  email: z.email('must be an email address').trim().max(254),
  label: z.string().trim().max(40).default(''),
});

const contactFields = {
  firstName: name,
  lastName: name,
  displayName: name,
  companyId: z.string().nullable(),
  responsibleUserId: z.string().nullable(),
  phones: z.array(ContactPhoneInput).max(20),
  emails: z.array(ContactEmailInput).max(20),
  notes: z.string().max(20_000),
  doNotCall: z.boolean(),
};

export const ContactCreate = z
  .object({
    ...contactFields,
    firstName: name.default(''),
    lastName: name.default(''),
    displayName: name.optional(),
    companyId: contactFields.companyId.optional(),
    responsibleUserId: contactFields.responsibleUserId.optional(),
    phones: contactFields.phones.default([]),
    emails: contactFields.emails.default([]),
    notes: contactFields.notes.default(''),
    doNotCall: z.boolean().default(false),
  })
  .strict();
export type ContactCreate = z.infer<typeof ContactCreate>;

export const ContactPatch = z.object(contactFields).partial().strict();
export type ContactPatch = z.infer<typeof ContactPatch>;

const CONTACT_SORT_FIELDS = ['displayName', 'createdAt', 'updatedAt'] as const;

export const ContactListQuery = z.object({
  ...ListQueryShape,
  sort: sortSchema(CONTACT_SORT_FIELDS, 'displayName'),
  responsibleUserId: z.string().optional(),
  companyId: z.string().optional(),
  doNotCall: queryBoolean,
});
export type ContactListQuery = z.infer<typeof ContactListQuery>;
