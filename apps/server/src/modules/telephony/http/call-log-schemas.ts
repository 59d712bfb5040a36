/**
 * The call log API's shapes (zod; also the OpenAPI document the web's types are generated from).
 */

import { z } from 'zod';
import { RETURN_WINDOW_CHOICES } from '../domain/missed-call-classification.js';
import { isTimeZone } from '../use-cases/call-counts-by-day.js';
import { CallView } from './call-schemas.js';

export const CallOutcomeSchema = z.enum([
  'live',
  'answered',
  'no_answer',
  'busy',
  'cancelled',
  'ivr_hangup',
  'blacklisted',
  'failed',
  'unknown',
]);

const AttributionRuleSchema = z.enum([
  'answered',
  'transfer_last_participant',
  'missed_first_rung',
  'placed_by',
  'unrouted',
]);

export const MissedCallClassSchema = z.enum([
  'client_called_back',
  'returned_within_n',
  'returned_within_24h',
  'returned_later',
  'not_returned',
]);

/** A call as the log lists it: the call view plus its outcome, attribution, legs count and times. */
const CallLogEntry = CallView.extend({
  outcome: CallOutcomeSchema,
  attribution: z.object({ extension: z.string().nullable(), rule: AttributionRuleSchema }),
  waitSeconds: z.number().nullable(),
  talkSeconds: z.number().nullable(),
  /** How many notifications (legs and steps) Zadarma sent for the call. */
  legCount: z.number(),
});

/** The call log's filters, shared by the page and the export. */
export const CallLogFilterQuery = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  extension: z
    .string()
    .regex(/^\d{1,8}$/)
    .optional(),
  userId: z.string().max(64).optional(),
  direction: z.enum(['in', 'out']).optional(),
  outcome: z.union([CallOutcomeSchema, z.literal('missed')]).optional(),
  contactId: z.string().max(64).optional(),
  client: z
    .string()
    .regex(/^\+\d{4,16}$/, 'an E.164 number: + and digits')
    .optional(),
  hasRecording: z.enum(['true', 'false']).optional(),
  notReturned: z.enum(['true', 'false']).optional(),
  /** Missed calls of one class (a "missed calls classified" figure), for the return window `within`. */
  fate: MissedCallClassSchema.optional(),
  /** The return window in minutes the class is cut with (one of the setting's choices; default 30). */
  within: z.coerce
    .number()
    .int()
    .refine((m) => (RETURN_WINDOW_CHOICES as readonly number[]).includes(m), {
      message: `one of ${RETURN_WINDOW_CHOICES.join(', ')}`,
    })
    .optional(),
  /** A cell of the statistics' heatmap: local weekday (Monday = 0) and hour in `timeZone`; needs from and to. */
  weekday: z.coerce.number().int().min(0).max(6).optional(),
  hour: z.coerce.number().int().min(0).max(23).optional(),
  timeZone: z.string().max(64).refine(isTimeZone, 'unknown time zone').optional(),
  /** Words said in the call: its transcript contains them (case-insensitive). */
  said: z.string().trim().min(2, 'type at least 2 characters').max(100).optional(),
  order: z.enum(['newest', 'oldest']).default('newest'),
});

export const CallLogPageResponse = z.object({
  items: z.array(CallLogEntry),
  nextCursor: z.string().nullable(),
});

/** One notification of the call as received: its kind, time and what it names. */
const CallLeg = z.object({
  kind: z.enum(['start', 'internal', 'answer', 'end', 'out_start', 'out_end', 'record']),
  receivedAt: z.string(),
  extension: z.string().nullable(),
  disposition: z.string().nullable(),
  duration: z.number().nullable(),
});

/** A call's own page: the entry, its notifications, its trace and, for a missed call, what became of it. */
export const CallDetail = z.object({
  call: CallLogEntry,
  legs: z.array(CallLeg),
  ringingExtensions: z.array(z.string()),
  trace: z.array(
    z.object({
      at: z.string(),
      type: z.string(),
      params: z.record(z.string(), z.union([z.string(), z.number()])),
      text: z.string().nullable(),
    }),
  ),
  missed: z
    .object({ classification: MissedCallClassSchema, secondsToCallBack: z.number().nullable() })
    .nullable(),
  returnWithinMinutes: z.number(),
});
