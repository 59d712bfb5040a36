/**
 * Zod schemas of the telephony settings API (api-contract-telephony.md, "Settings").
 */
import { z } from 'zod';

const ZFeatures = z.object({
  autoCreate: z.boolean(),
  routeToResponsible: z.boolean(),
  callerName: z.boolean(),
  missedCallTasks: z.boolean(),
  blacklist: z.boolean(),
});

const ZIpAllowList = z.object({
  enabled: z.boolean(),
  cidrs: z.array(z.string()).readonly(),
  trustedProxies: z.array(z.string()).readonly(),
});

export const ZTelephonySettingsView = z.object({
  mode: z.enum(['demo', 'live']),
  configured: z.boolean(),
  apiKey: z.string().nullable(),
  secretSet: z.boolean(),
  secretHint: z.string().nullable(),
  apiBaseUrl: z.string(),
  webhookUrl: z.string(),
  webhook: z.object({
    lastEventAt: z.string().nullable(),
    lastRejectedAt: z.string().nullable(),
    lastError: z.string().nullable(),
    registeredAt: z.string().nullable(),
  }),
  ipAllowList: ZIpAllowList,
  defaultResponsibleUserId: z.string().nullable(),
  predictedCallback: z.boolean(),
  returnTimeout: z.number(),
  features: ZFeatures,
  /** The secret replaced by the last planned rotation, while Zadarma's webhooks signed with it are accepted. */
  previousSecretGrace: z
    .object({ hint: z.string().nullable(), acceptedUntil: z.string(), uses: z.number() })
    .nullable(),
});

export const ZTelephonySettingsPatch = z
  .object({
    apiKey: z.string().trim().max(200).nullable(),
    /** Write-only; '' or null clears it. */
    apiSecret: z.string().trim().max(200).nullable(),
    apiBaseUrl: z
      .string()
      .trim()
      .url()
      .regex(/^https?:\/\//, 'must be an http(s) URL')
      .nullable(),
    ipAllowList: ZIpAllowList.partial().strict(),
    defaultResponsibleUserId: z.string().min(1).nullable(),
    predictedCallback: z.boolean(),
    returnTimeout: z
      .number()
      .int()
      .refine((v) => v === 0 || (v >= 3 && v <= 600), 'must be 0 or from 3 to 600 seconds'),
    features: ZFeatures.partial().strict(),
    /** The old secret leaked: no grace for it (and any grace still running ends now). */
    secretLeaked: z.boolean(),
  })
  .partial()
  .strict();

export const ZTestConnectionResult = z.object({
  ok: z.literal(true),
  balance: z.number(),
  currency: z.string(),
  timezone: z.string(),
});

export const ZRegisterWebhookResult = z.object({
  ok: z.literal(true),
  url: z.string(),
  notifications: z.record(z.string(), z.enum(['true', 'false'])),
});

export const ZBalance = z.object({ balance: z.number(), currency: z.string() });

export const ZExtensionItem = z.object({
  extension: z.string(),
  online: z.boolean().nullable(),
  userId: z.string().nullable(),
  userName: z.string().nullable(),
});

export const ZBlacklistItem = z.object({
  id: z.string(),
  number: z.string(),
  e164: z.string(),
  reason: z.string(),
  createdAt: z.string(),
});

export const ZTelephonyMe = z.object({
  enabled: z.boolean(),
  extension: z.string().nullable(),
  predictedCallback: z.boolean(),
});
