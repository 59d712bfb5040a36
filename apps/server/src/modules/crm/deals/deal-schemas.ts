/** Pipelines and deals as the REST contract shows them, and the deal create/patch bodies. */
import { z } from 'zod';
import { ListQueryShape, sortSchema } from '../shared/list-query.js';

const PipelineStage = z.object({
  id: z.string(),
  name: z.string(),
  position: z.number(),
  kind: z.enum(['open', 'won', 'lost']),
});

export const Pipeline = z.object({ id: z.string(), name: z.string(), stages: z.array(PipelineStage) });
export type Pipeline = z.infer<typeof Pipeline>;

export const Deal = z.object({
  id: z.string(),
  title: z.string(),
  amount: z.number(),
  currency: z.string(),
  pipelineId: z.string(),
  stageId: z.string(),
  contactId: z.string().nullable(),
  companyId: z.string().nullable(),
  responsibleUserId: z.string().nullable(),
  expectedCloseDate: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Deal = z.infer<typeof Deal>;

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

const fields = {
  title: z.string().trim().min(1, 'must not be empty').max(200),
  amount: z.number().min(0, 'must not be negative').max(1e12),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR')
    .refine((c) => CURRENCIES.has(c), 'is not a known ISO 4217 currency'),
  pipelineId: z.string(),
  stageId: z.string(),
  contactId: z.string().nullable(),
  companyId: z.string().nullable(),
  responsibleUserId: z.string().nullable(),
  expectedCloseDate: z.iso.date('must be a date YYYY-MM-DD').nullable(),
};

export const DealCreate = z
  .object({
    ...fields,
    amount: fields.amount.default(0),
    currency: fields.currency.optional(),
    pipelineId: fields.pipelineId.optional(),
    stageId: fields.stageId.optional(),
    contactId: fields.contactId.optional(),
    companyId: fields.companyId.optional(),
    responsibleUserId: fields.responsibleUserId.optional(),
    expectedCloseDate: fields.expectedCloseDate.optional(),
  })
  .strict();
export type DealCreate = z.infer<typeof DealCreate>;

export const DealPatch = z.object(fields).partial().strict();
export type DealPatch = z.infer<typeof DealPatch>;

export const DealListQuery = z.object({
  ...ListQueryShape,
  sort: sortSchema(['title', 'amount', 'expectedCloseDate', 'createdAt', 'updatedAt'], '-createdAt'),
  stageId: z.string().optional(),
  pipelineId: z.string().optional(),
  responsibleUserId: z.string().optional(),
  contactId: z.string().optional(),
  companyId: z.string().optional(),
});
export type DealListQuery = z.infer<typeof DealListQuery>;
