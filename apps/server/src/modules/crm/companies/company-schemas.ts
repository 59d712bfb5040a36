/** The company as the REST contract shows it, and its create/patch bodies. */
import { z } from 'zod';
import { ListQueryShape, sortSchema } from '../shared/list-query.js';

export const Company = z.object({
  id: z.string(),
  name: z.string(),
  website: z.string(),
  phone: z.string(),
  address: z.string(),
  notes: z.string(),
  responsibleUserId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Company = z.infer<typeof Company>;

/**
 * Whether a website is empty or an absolute http(s) URL. Why: the web renders it as a link, and a
 * `javascript:` or `data:` URL there runs in the reader's session.
 */
function isWebsite(value: string): boolean {
  if (value === '') {
    return true;
  }
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

const fields = {
  name: z.string().trim().min(1, 'must not be empty').max(200),
  website: z
    .string()
    .trim()
    .max(500)
    .refine(
      isWebsite,
      'must be a web address starting with http:// or https://, such as https://example.com',
    ),
  phone: z.string().trim().max(40),
  address: z.string().trim().max(1000),
  notes: z.string().max(20_000),
  responsibleUserId: z.string().nullable(),
};

export const CompanyCreate = z
  .object({
    name: fields.name,
    website: fields.website.default(''),
    phone: fields.phone.default(''),
    address: fields.address.default(''),
    notes: fields.notes.default(''),
    responsibleUserId: fields.responsibleUserId.optional(),
  })
  .strict();
export type CompanyCreate = z.infer<typeof CompanyCreate>;

export const CompanyPatch = z.object(fields).partial().strict();
export type CompanyPatch = z.infer<typeof CompanyPatch>;

export const CompanyListQuery = z.object({
  ...ListQueryShape,
  sort: sortSchema(['name', 'createdAt', 'updatedAt'], 'name'),
  responsibleUserId: z.string().optional(),
});
export type CompanyListQuery = z.infer<typeof CompanyListQuery>;
