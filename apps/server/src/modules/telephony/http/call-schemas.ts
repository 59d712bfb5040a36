/**
 * The calls API's response shapes (zod, also the OpenAPI document the web's types are generated from).
 * The route handlers are type-checked against them, so `CallView` in call-view.ts and this schema cannot differ.
 */
import { z } from 'zod';

// A call's status as the API shows it: the web filters and colours calls by it.
const CallStatus = z.enum([
  'ringing',
  'in_progress',
  'answered',
  'missed',
  'busy',
  'failed',
  'no_answer',
  'unknown',
]);

/** One call with its contact's and agent's names and its note. Why: the call log, the popup and the timeline. */
export const CallView = z.object({
  id: z.string(),
  pbxCallId: z.string(),
  direction: z.enum(['in', 'out']),
  status: CallStatus,
  clientNumber: z.string().nullable(),
  clientE164: z.string().nullable(),
  contact: z.object({ id: z.string(), displayName: z.string() }).nullable(),
  agent: z.object({ id: z.string(), name: z.string() }).nullable(),
  extension: z.string().nullable(),
  startedAt: z.string(),
  answeredAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  duration: z.number().nullable(),
  disposition: z.string().nullable(),
  isRecorded: z.boolean(),
  note: z.string(),
});

/** A page of calls, newest first. Why: the same envelope as every other list of the API. */
export const CallPage = z.object({
  items: z.array(CallView),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
});

/** The click-to-call request placed: its id ties the callback legs' live events to the toast that shows them. */
export const ClickToCallResult = z.object({ requestId: z.string(), from: z.string(), to: z.string() });
