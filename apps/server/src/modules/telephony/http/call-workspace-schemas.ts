/**
 * The call workspace's response shapes (zod, also the OpenAPI document the web's types are generated from):
 * the live state of a call as its card needs it, its wrap-up, and the contact card after linking.
 */
import { z } from 'zod';
import { CALL_OUTCOMES } from '../ports.js';
import { CallView } from './call-schemas.js';

/** The popup's contact card (the same shape as the `call.ringing` live event's `contact`). */
export const ContactCardView = z.object({
  id: z.string(),
  displayName: z.string(),
  company: z.object({ id: z.string(), name: z.string() }).nullable(),
  responsibleUser: z.object({ id: z.string(), name: z.string() }).nullable(),
  doNotCall: z.boolean(),
  openDeals: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      amount: z.number(),
      currency: z.string(),
      stageName: z.string(),
    }),
  ),
  openTasks: z.array(z.object({ id: z.string(), title: z.string(), dueAt: z.string().nullable() })),
  lastCalls: z.array(
    z.object({
      id: z.string(),
      startedAt: z.string(),
      direction: z.enum(['in', 'out']),
      status: CallView.shape.status,
      duration: z.number().nullable(),
    }),
  ),
});

/** A call in progress as its card opens: the `call.ringing` and (once answered) `call.answered` events' data. */
export const LiveCallView = z.object({
  ringing: z.object({
    pbxCallId: z.string(),
    callId: z.string(),
    direction: z.enum(['in', 'out']),
    extension: z.string(),
    clientNumber: z.string().nullable(),
    clientE164: z.string().nullable(),
    startedAt: z.string(),
    contact: ContactCardView.nullable(),
  }),
  answered: z
    .object({
      pbxCallId: z.string(),
      callId: z.string(),
      answeredBy: z.object({
        userId: z.string().nullable(),
        name: z.string().nullable(),
        extension: z.string().nullable(),
      }),
      answeredAt: z.string().nullable(),
    })
    .nullable(),
});

export const CallOutcomeBody = z.object({ outcome: z.enum(CALL_OUTCOMES).nullable() });

/** What the agent recorded after the call. */
export const CallWrapUpView = z.object({
  outcome: z.enum(CALL_OUTCOMES).nullable(),
  outcomeBy: z.string().nullable(),
  outcomeAt: z.string().nullable(),
});

/** Opens (`true`) or closes (`false`) the user's wrap-up card of a call. */
export const WrapUpCardBody = z.object({ open: z.boolean() });
