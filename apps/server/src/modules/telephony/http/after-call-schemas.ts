/** Zod schemas of the after-call routes: the options beside the two switches, and the new-callers inbox. */
import { z } from 'zod';

const ZNewCallerRule = z
  .object({
    direction: z.enum(['in', 'out', 'any']),
    outcome: z.enum(['answered', 'missed', 'any']),
    minTalkSeconds: z.number().int().min(0).max(3600),
    action: z.enum(['none', 'inbox', 'contact', 'lead', 'deal']),
    pipelineId: z.string().max(64).nullable(),
    stageId: z.string().max(64).nullable(),
    assignTo: z.enum(['agent', 'default']),
  })
  .strict();

export const ZAfterCallOptions = z.object({
  missedCallDueMinutes: z.number().int(),
  newCallerRules: z.array(ZNewCallerRule),
});

export const ZAfterCallOptionsPatch = z
  .object({
    missedCallDueMinutes: z.number().int().min(1, 'must be at least 1 minute').max(10_080, 'at most 7 days'),
    newCallerRules: z.array(ZNewCallerRule).max(20),
    /** The admin confirms rules that create a record for every call of a new number. */
    confirmCreateForEveryCall: z.boolean(),
  })
  .partial()
  .strict();

export const ZNewCallerItem = z.object({
  clientE164: z.string(),
  calls: z.number(),
  shortCalls: z.number(),
  spamHint: z.boolean(),
  lastDirection: z.enum(['inbound', 'outbound']),
  lastStatus: z.string(),
  lastCallId: z.string(),
  firstCallAt: z.string(),
  lastCallAt: z.string(),
});

/** An E.164 number: `+` and 8–15 digits. */
const ZE164 = z.string().regex(/^\+[1-9]\d{7,14}$/, 'must be an E.164 number');

export const ZAcceptNewCaller = z
  .object({
    number: ZE164,
    kind: z.enum(['contact', 'lead', 'deal']),
    name: z.string().trim().max(200).nullable().default(null),
  })
  .strict();

export const ZMergeNewCaller = z.object({ number: ZE164, contactId: z.string().min(1).max(64) }).strict();

export const ZDeclineNewCaller = z.object({ number: ZE164 }).strict();

export const ZNewCallerDecision = z.object({
  recordType: z.enum(['contact', 'lead', 'deal']).nullable(),
  recordId: z.string().nullable(),
});
