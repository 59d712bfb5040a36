/**
 * Zod schemas for every notification of docs/zadarma-protocol.md §5.6, as one discriminated union on `event`.
 *
 * Values stay the raw decoded strings Zadarma sent (§5.3: everything is a string, §5.8: do not trim or
 * normalise). Fields that real payloads omit (`internal`, `call_id_with_rec`, `last_internal`, …) are
 * optional; unknown extra fields are kept (`looseObject`), since Zadarma adds fields without notice
 * (`calltype`, §5.5).
 */
import { z } from 'zod';

const text = z.string();

const callBase = {
  call_start: text,
  pbx_call_id: text,
  calltype: text.optional(),
};

/** §5.6.1 — an external call entered the PBX; the reply may steer it (§6). */
export const ZNotifyStart = z.looseObject({
  event: z.literal('NOTIFY_START'),
  ...callBase,
  caller_id: text,
  called_did: text,
});

/** §5.6.2 — the call is offered to an extension. */
export const ZNotifyInternal = z.looseObject({
  event: z.literal('NOTIFY_INTERNAL'),
  ...callBase,
  caller_id: text,
  called_did: text,
  internal: text.optional(),
});

/** §5.6.3 — answered. */
export const ZNotifyAnswer = z.looseObject({
  event: z.literal('NOTIFY_ANSWER'),
  ...callBase,
  caller_id: text,
  destination: text,
  internal: text.optional(),
  dst_e164: text.optional(),
});

const endFields = {
  duration: text,
  disposition: text,
  status_code: text.optional(),
  is_recorded: text.optional(),
  call_id_with_rec: text.optional(),
};

/** §5.6.4 — end of an inbound call (the missed-call log in §5.6.4 has no `internal`/`last_internal`). */
export const ZNotifyEnd = z.looseObject({
  event: z.literal('NOTIFY_END'),
  ...callBase,
  caller_id: text,
  called_did: text,
  internal: text.optional(),
  last_internal: text.optional(),
  ...endFields,
});

/** §5.6.5 — an outbound call left the PBX (`internal` may be absent; `caller_id` is `0` when unset). */
export const ZNotifyOutStart = z.looseObject({
  event: z.literal('NOTIFY_OUT_START'),
  ...callBase,
  destination: text,
  caller_id: text.optional(),
  internal: text.optional(),
  dst_e164: text.optional(),
});

/** §5.6.6 — end of an outbound call (`calltype=callback_leg2` for the customer leg of a callback). */
export const ZNotifyOutEnd = z.looseObject({
  event: z.literal('NOTIFY_OUT_END'),
  ...callBase,
  destination: text,
  caller_id: text.optional(),
  internal: text.optional(),
  ...endFields,
});

/** §5.6.7 — a recording is ready. */
export const ZNotifyRecord = z.looseObject({
  event: z.literal('NOTIFY_RECORD'),
  pbx_call_id: text,
  call_id_with_rec: text,
});

/** `wait_dtmf` of NOTIFY_IVR, sent in PHP bracket form `wait_dtmf[digits]=…` (§5.3, §5.5). */
export const ZWaitDtmfResult = z.looseObject({
  name: text.optional(),
  digits: text.optional(),
  default_behaviour: text.optional(),
});

/** §5.6.8 — the result of a `wait_dtmf` the CRM asked for; the reply may steer the call again. */
export const ZNotifyIvr = z.looseObject({
  event: z.literal('NOTIFY_IVR'),
  ...callBase,
  caller_id: text,
  called_did: text,
  ivr_saydigits: text.optional(),
  ivr_saynumber: text.optional(),
  wait_dtmf: ZWaitDtmfResult.optional(),
});

// --- "other events" channel: a `result` JSON string, signed verbatim (§5.4) --------------------------------

/** §5.6.9 — the `result` of an inbound SMS. */
export const ZSmsResult = z.looseObject({ caller_did: text, caller_id: text, text });

/** §5.6.10 — one HLR answer; the shape is [UNCONFIRMED], so every field is optional. */
export const ZNumberLookupItem = z.looseObject({
  number: text.optional(),
  mcc: z.union([text, z.number()]).optional(),
  mnc: z.union([text, z.number()]).optional(),
  mccName: text.optional(),
  mncName: text.optional(),
  ported: z.union([z.boolean(), text, z.number()]).optional(),
  roaming: z.union([z.boolean(), text, z.number()]).optional(),
  errorDescription: text.optional(),
});
export const ZNumberLookupResult = z.union([ZNumberLookupItem, z.array(ZNumberLookupItem)]);

/** §5.6.12 — a transcript: per channel, timed words. */
export const ZSpeechRecognitionResult = z.looseObject({
  words: z
    .array(
      z.looseObject({
        channel: z.number().optional(),
        result: z.array(z.looseObject({ s: z.number(), e: z.number(), w: text })).optional(),
      }),
    )
    .optional(),
});

/** Any JSON value: CALL_TRACKING and DOCUMENT payloads are undocumented (§5.6.11, §5.6.13). */
export const ZJsonValue = z.unknown();

const resultEvent = <E extends string>(event: E) => z.looseObject({ event: z.literal(event), result: text });

export const ZSmsEvent = resultEvent('SMS');
export const ZNumberLookupEvent = resultEvent('NUMBER_LOOKUP');
export const ZCallTrackingEvent = resultEvent('CALL_TRACKING');
/** SPEECH_RECOGNITION also carries the call's id, seen as `pbx_call_id` or `call_id` (§5.6.12). */
export const ZSpeechRecognitionEvent = z.looseObject({
  event: z.literal('SPEECH_RECOGNITION'),
  result: text,
  pbx_call_id: text.optional(),
  call_id: text.optional(),
});
export const ZDocumentEvent = resultEvent('DOCUMENT');

/** The wire form of every known notification, discriminated on `event`. */
export const ZWebhookPayload = z.discriminatedUnion('event', [
  ZNotifyStart,
  ZNotifyInternal,
  ZNotifyAnswer,
  ZNotifyEnd,
  ZNotifyOutStart,
  ZNotifyOutEnd,
  ZNotifyRecord,
  ZNotifyIvr,
  ZSmsEvent,
  ZNumberLookupEvent,
  ZCallTrackingEvent,
  ZSpeechRecognitionEvent,
  ZDocumentEvent,
]);

export type TNotifyStart = z.infer<typeof ZNotifyStart>;
export type TNotifyInternal = z.infer<typeof ZNotifyInternal>;
export type TNotifyAnswer = z.infer<typeof ZNotifyAnswer>;
export type TNotifyEnd = z.infer<typeof ZNotifyEnd>;
export type TNotifyOutStart = z.infer<typeof ZNotifyOutStart>;
export type TNotifyOutEnd = z.infer<typeof ZNotifyOutEnd>;
export type TNotifyRecord = z.infer<typeof ZNotifyRecord>;
export type TNotifyIvr = z.infer<typeof ZNotifyIvr>;
export type TWaitDtmfResult = z.infer<typeof ZWaitDtmfResult>;
export type TSmsResult = z.infer<typeof ZSmsResult>;
export type TNumberLookupItem = z.infer<typeof ZNumberLookupItem>;
export type TNumberLookupResult = z.infer<typeof ZNumberLookupResult>;
export type TSpeechRecognitionResult = z.infer<typeof ZSpeechRecognitionResult>;

/** The result events carry `result` raw (what was signed) and `data`, the parsed JSON. */
export type TSmsEvent = z.infer<typeof ZSmsEvent> & { readonly data: TSmsResult };
export type TNumberLookupEvent = z.infer<typeof ZNumberLookupEvent> & { readonly data: TNumberLookupResult };
export type TCallTrackingEvent = z.infer<typeof ZCallTrackingEvent> & { readonly data: unknown };
export type TSpeechRecognitionEvent = z.infer<typeof ZSpeechRecognitionEvent> & {
  readonly data: TSpeechRecognitionResult;
};
export type TDocumentEvent = z.infer<typeof ZDocumentEvent> & { readonly data: unknown };

export type TCallEvent =
  | TNotifyStart
  | TNotifyInternal
  | TNotifyAnswer
  | TNotifyEnd
  | TNotifyOutStart
  | TNotifyOutEnd
  | TNotifyRecord
  | TNotifyIvr;
export type TResultEvent =
  | TSmsEvent
  | TNumberLookupEvent
  | TCallTrackingEvent
  | TSpeechRecognitionEvent
  | TDocumentEvent;

/** A verified, typed notification; narrow on `event`. */
export type TWebhookEvent = TCallEvent | TResultEvent;
export type TWebhookEventName = TWebhookEvent['event'];

/** Parses each result event's JSON `result`. */
export const RESULT_SCHEMAS = {
  SMS: ZSmsResult,
  NUMBER_LOOKUP: ZNumberLookupResult,
  CALL_TRACKING: ZJsonValue,
  SPEECH_RECOGNITION: ZSpeechRecognitionResult,
  DOCUMENT: ZJsonValue,
} as const;
