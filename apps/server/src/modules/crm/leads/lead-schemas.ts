/** The lead as the REST contract shows it, and its create/patch bodies. */
import { z } from 'zod';
import { ListQueryShape, sortSchema } from '../shared/list-query.js';

const LEAD_SOURCES = ['call', 'web', 'email', 'referral', 'import', 'other'] as const;
const LEAD_STATUSES = ['new', 'contacted', 'qualified', 'lost', 'converted'] as const;

export const Lead = z.object({
  id: z.string(),
  title: z.string(),
  contactId: z.string().nullable(),
  companyId: z.string().nullable(),
  source: z.enum(LEAD_SOURCES),
  status: z.enum(LEAD_STATUSES),
  responsibleUserId: z.string().nullable(),
  notes: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Lead = z.infer<typeof Lead>;

const fields = {
  title: z.string().trim().min(1, 'must not be empty').max(200),
  contactId: z.string().nullable(),
  companyId: z.string().nullable(),
  source: z.enum(LEAD_SOURCES),
  status: z.enum(LEAD_STATUSES),
  responsibleUserId: z.string().nullable(),
  notes: z.string().max(20_000),
};

export const LeadCreate = z
  .object({
    ...fields,
    contactId: fields.contactId.optional(),
    companyId: fields.companyId.optional(),
    source: fields.source.default('other'),
    status: fields.status.default('new'),
    responsibleUserId: fields.responsibleUserId.optional(),
    notes: fields.notes.default(''),
  })
  .strict();
export type LeadCreate = z.infer<typeof LeadCreate>;

export const LeadPatch = z.object(fields).partial().strict();
export type LeadPatch = z.infer<typeof LeadPatch>;

export const LeadListQuery = z.object({
  ...ListQueryShape,
  sort: sortSchema(['title', 'createdAt', 'updatedAt'], '-createdAt'),
  status: z.enum(LEAD_STATUSES).optional(),
  source: z.enum(LEAD_SOURCES).optional(),
  responsibleUserId: z.string().optional(),
  contactId: z.string().optional(),
  companyId: z.string().optional(),
});
export type LeadListQuery = z.infer<typeof LeadListQuery>;
