/**
 * The user as the API shows it, and the bodies that create or change one (REST contract: User).
 */
import { z } from 'zod';
import { MAX_PASSWORD_LENGTH } from '../auth/password.js';

const RoleSchema = z.enum(['admin', 'agent']);
const LocaleSchema = z.enum(['en', 'fr', 'ru']);

const EmailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email({ message: 'must be an email address' }));

/** Passwords set through the API; the demo accounts' `demo` is written by the seed, not through here. */
const NewPasswordSchema = z
  .string()
  .min(8, 'must be at least 8 characters')
  .max(MAX_PASSWORD_LENGTH, `must be at most ${MAX_PASSWORD_LENGTH} characters`);

const UserNameSchema = z.string().trim().min(1, 'must not be empty').max(200);

export const UserSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: RoleSchema,
  locale: LocaleSchema,
  disabled: z.boolean(),
  createdAt: z.string(),
});
export type User = z.infer<typeof UserSchema>;

export const DirectoryEntrySchema = z.object({ id: z.string(), name: z.string(), role: RoleSchema });
export type DirectoryEntry = z.infer<typeof DirectoryEntrySchema>;

export const CreateUserBodySchema = z.strictObject({
  email: EmailSchema,
  name: UserNameSchema,
  role: RoleSchema,
  password: NewPasswordSchema,
  locale: LocaleSchema.optional(),
});
export type CreateUserBody = z.infer<typeof CreateUserBodySchema>;

export const UpdateUserBodySchema = z.strictObject({
  name: UserNameSchema.optional(),
  role: RoleSchema.optional(),
  disabled: z.boolean().optional(),
  password: NewPasswordSchema.optional(),
  locale: LocaleSchema.optional(),
});
export type UpdateUserBody = z.infer<typeof UpdateUserBodySchema>;

export const UpdateMeBodySchema = z.strictObject({
  name: UserNameSchema.optional(),
  locale: LocaleSchema.optional(),
  password: NewPasswordSchema.optional(),
  currentPassword: z.string().max(MAX_PASSWORD_LENGTH).optional(),
});
export type UpdateMeBody = z.infer<typeof UpdateMeBodySchema>;

export const UserListQuerySchema = z.object({
  q: z.string().trim().max(200).optional(),
  page: z.coerce.number().int().min(1).default(1),
  // A team is small and the admin page lists it whole: a large default page instead of the usual 25.
  pageSize: z.coerce.number().int().min(1).max(500).default(200),
  sort: z
    .enum(['name', '-name', 'email', '-email', 'createdAt', '-createdAt', 'role', '-role'])
    .default('name'),
  role: RoleSchema.optional(),
  disabled: z.enum(['true', 'false']).optional(),
});
export type UserListQuery = z.infer<typeof UserListQuerySchema>;

export const UserListSchema = z.object({
  items: z.array(UserSchema),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
});
