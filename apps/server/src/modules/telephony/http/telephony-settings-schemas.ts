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

const ZRoutingStep = z.object({
  step: z.enum(['deal', 'lead', 'contact', 'lastAgent', 'defaultResponsible']),
  enabled: z.boolean(),
});

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

const ZWorkingHours = z.object({
  /** Weekdays, 1 = Monday … 7 = Sunday. */
  days: z.array(z.number().int().min(1).max(7)).max(7).readonly(),
  from: z.string().regex(HHMM, 'must be HH:MM'),
  to: z.string().regex(HHMM, 'must be HH:MM').or(z.literal('24:00')),
  timeZone: z.string().min(1).max(64),
});

const ZRouting = z.object({
  steps: z.array(ZRoutingStep).readonly(),
  lastAgentDays: z.number().int().min(1).max(365),
  workingHours: z.record(z.string(), ZWorkingHours).readonly(),
});

const ZCallerNameFormat = z.object({
  template: z.string().max(200),
  maxLength: z.number().int().min(8).max(64),
  transliterate: z.boolean(),
  unknownLabel: z.string().max(100),
  missedLabel: z.string().max(100),
  vipAmount: z.number().min(0).nullable(),
});

const ZBlacklistAction = z.enum(['busy', 'hangup']);

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
  routing: ZRouting,
  callerNameFormat: ZCallerNameFormat,
  blacklistAction: ZBlacklistAction,
  /** The account's timezone (`UTC+3`) call times are read in; null while Zadarma has not told it. */
  timezone: z.string().nullable(),
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
    routing: ZRouting.extend({
      steps: z
        .array(ZRoutingStep)
        .max(5)
        .refine((steps) => new Set(steps.map((s) => s.step)).size === steps.length, 'a step is listed twice'),
      workingHours: z
        .record(z.string().max(64), ZWorkingHours)
        .refine((hours) => Object.keys(hours).length <= 1000, 'at most 1000 schedules'),
    })
      .partial()
      .strict(),
    callerNameFormat: ZCallerNameFormat.extend({
      template: z.string().trim().max(200),
      unknownLabel: z.string().trim().max(100),
      missedLabel: z.string().trim().max(100),
    })
      .partial()
      .strict(),
    blacklistAction: ZBlacklistAction,
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
  /** Every number starting with `e164` is blocked. */
  isPrefix: z.boolean(),
  reason: z.string(),
  createdAt: z.string(),
  /** Who added it (null: the system, or a deleted user). */
  createdByName: z.string().nullable(),
  /** After this it blocks nothing; null: never expires. */
  expiresAt: z.string().nullable(),
  /** Calls it refused. */
  blockedCalls: z.number(),
  lastBlockedAt: z.string().nullable(),
});

export const ZTelephonyMe = z.object({
  enabled: z.boolean(),
  extension: z.string().nullable(),
  predictedCallback: z.boolean(),
});
