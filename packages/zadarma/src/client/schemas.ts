/**
 * Zod schemas for the answers of the REST methods the CRM uses (docs/zadarma-protocol.md §4, openapi.json).
 *
 * Deliberately loose: real answers often carry numbers as strings and booleans as `"true"`/`"false"`
 * (§4, "real values are often strings"), and Zadarma adds fields without notice, so unknown keys are kept
 * (`looseObject`) and only the fields a caller cannot do without are required. Identifiers (`sip`, `call_id`,
 * `pbx_id`, numbers) become strings — `"00001"` must keep its zeros and `1759098756.12265976` its digits.
 */
import { z } from 'zod';

/** A number that may arrive as a numeric string (`"0.009"`). */
const num = z.union([
  z.number(),
  z
    .string()
    .trim()
    .regex(/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/, 'expected a numeric string')
    .transform(Number),
]);

/** An identifier or phone number that may arrive as a JSON number; kept as text. */
const text = z.union([z.string(), z.number().transform(String)]);

/** `true`/`false`, `"true"`/`"false"`, `1`/`0`, `"1"`/`"0"` → boolean. */
const flag = z.union([
  z.boolean(),
  z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1'),
  z.union([z.literal(0), z.literal(1)]).transform((v) => v === 1),
]);

/** The common envelope: `status` and, on errors, `message` (docs/zadarma-protocol.md §1). */
export const ZEnvelope = z.looseObject({
  status: z.string().optional(),
  message: z.string().optional(),
});

/** GET /v1/info/balance/ (§4.1). */
export const ZBalanceResponse = z.looseObject({ balance: num, currency: z.string() });

/** GET /v1/info/timezone/ (§4.1): `timezone` is a label like `UTC+3`. */
export const ZTimezoneResponse = z.looseObject({
  unixtime: num,
  datetime: z.string(),
  timezone: z.string(),
});

/** GET /v1/info/price/ (§4.1): `price` is the per-minute rate. */
export const ZPriceResponse = z.looseObject({
  info: z.looseObject({
    prefix: text.optional(),
    description: z.string().optional(),
    price: num,
    currency: z.string(),
  }),
});

/** GET /v1/pbx/internal/ (§4.3). */
export const ZPbxInternalResponse = z.looseObject({
  pbx_id: text,
  numbers: z.array(text),
});

/** GET /v1/pbx/internal/{ext}/status/ (§4.3): `is_online` arrives as the string `"true"`/`"false"`. */
export const ZPbxInternalStatusResponse = z.looseObject({
  pbx_id: text.optional(),
  number: text,
  is_online: flag,
});

/** GET /v1/pbx/internal/{ext}/info/ (§4.3): many fields use `"false"` for "not set", so they stay text. */
export const ZPbxInternalInfoResponse = z.looseObject({
  pbx_id: text.optional(),
  number: text,
  name: z.string().optional(),
  caller_id: text.optional(),
  caller_id_app_change: flag.optional(),
  caller_id_by_direction: flag.optional(),
  lines: num.optional(),
  ip_restriction: z.string().optional(),
  record_store: z.string().optional(),
  record_email: z.string().optional(),
  supervisor_status: flag.optional(),
});

/** GET /v1/request/callback/ (§4.2): no call id — correlate through the `NOTIFY_OUT_*` webhooks. */
export const ZCallbackResponse = z.looseObject({
  from: text,
  to: text,
  time: num,
});

/** One row of GET /v1/statistics/ (§4.4). */
export const ZStatisticsRow = z.looseObject({
  id: text.optional(),
  sip: text.optional(),
  callstart: z.string().optional(),
  from: text.optional(),
  to: text.optional(),
  description: z.string().optional(),
  disposition: z.string().optional(),
  billseconds: num.optional(),
  cost: num.optional(),
  billcost: num.optional(),
  currency: z.string().optional(),
  seconds: num.optional(),
});

/** GET /v1/statistics/ (§4.4); with `cost_only` the rows are `{cost, currency, seconds}`. */
export const ZStatisticsResponse = z.looseObject({
  start: z.string().optional(),
  end: z.string().optional(),
  stats: z.array(ZStatisticsRow),
});

/** One row of GET /v1/statistics/pbx/ version 2 (§4.4): one row per leg, legs share `pbx_call_id`. */
export const ZPbxStatisticsRow = z.looseObject({
  call_id: text,
  sip: text.optional(),
  callstart: z.string(),
  clid: text.optional(),
  destination: text.optional(),
  disposition: z.string(),
  seconds: num,
  is_recorded: flag.optional(),
  pbx_call_id: text,
});

/** GET /v1/statistics/pbx/ (§4.4). */
export const ZPbxStatisticsResponse = z.looseObject({
  start: z.string().optional(),
  end: z.string().optional(),
  version: num.optional(),
  stats: z.array(ZPbxStatisticsRow),
});

/** GET /v1/pbx/record/request/ (§4.5): `link` by `call_id`, `links` by `pbx_call_id`. */
export const ZRecordingLinkResponse = z.looseObject({
  link: z.string().optional(),
  links: z.array(z.string()).optional(),
  lifetime_till: z.string().optional(),
});

/** DELETE /v1/pbx/record/request/ (§4.5). */
export const ZRecordingDeleteResponse = z.looseObject({
  file_name: z.string().optional(),
  deleted_files: z.array(z.string()).optional(),
  failed_files: z.array(z.string()).optional(),
});

/** One virtual number of GET /v1/direct_numbers/ (§4.6). */
export const ZDirectNumber = z.looseObject({
  number: text,
  status: z.string().optional(),
  country: z.string().optional(),
  description: z.string().optional(),
  number_name: z.string().nullable().optional(),
  sip: text.nullable().optional(),
  sip_name: z.string().nullable().optional(),
  start_date: z.string().optional(),
  stop_date: z.string().optional(),
  monthly_fee: num.optional(),
  currency: z.string().optional(),
  channels: num.optional(),
  minutes: num.optional(),
  autorenew: flag.optional(),
  is_on_test: flag.optional(),
  type: z.string().optional(),
});

/** GET /v1/direct_numbers/ (§4.6). */
export const ZDirectNumbersResponse = z.looseObject({ info: z.array(ZDirectNumber) });

/** GET /v1/sip/ (§4.7). */
export const ZSipListResponse = z.looseObject({
  sips: z.array(z.looseObject({ id: text, display_name: z.string().optional(), lines: num.optional() })),
  left: num.optional(),
});

/** PUT /v1/sip/callerid/ (§4.7). */
export const ZSipCallerIdResponse = z.looseObject({ sip: text, new_caller_id: text });

/** GET and POST /v1/pbx/redirection/ (§4.8). */
export const ZPbxRedirectionResponse = z.looseObject({
  current_status: z.string(),
  pbx_id: text.optional(),
  pbx_name: text.optional(),
  type: z.string().optional(),
  destination: text.optional(),
  condition: z.string().optional(),
});

/** The `"true"`/`"false"` switches of /v1/pbx/callinfo/ and /v1/pbx/webhooks/ (§4.9). */
const switches = z.record(z.string(), flag);

/** GET /v1/pbx/callinfo/ (§4.9). */
export const ZCallInfoResponse = z.looseObject({ url: z.string(), notifications: switches });

/** GET /v1/pbx/webhooks/ (§4.9). */
export const ZWebhooksResponse = z.looseObject({ url: z.string(), hooks: switches });

/** POST/DELETE …/url/ of both webhook channels (§4.9); `url` is `""` after a delete. */
export const ZWebhookUrlResponse = z.looseObject({ url: z.string() });

/** POST /v1/pbx/callinfo/notifications/ (§4.9). */
export const ZCallInfoNotificationsResponse = z.looseObject({ notifications: switches });

/** POST /v1/pbx/webhooks/hooks/ (§4.9). */
export const ZWebhookHooksResponse = z.looseObject({ hooks: switches });

/** POST /v1/sms/send/ (§4.10). */
export const ZSmsSendResponse = z.looseObject({
  messages: num,
  cost: num.optional(),
  currency: z.string().optional(),
  sms_detalization: z
    .array(z.looseObject({ senderid: text.optional(), number: text, cost: num.optional() }))
    .optional(),
  denied_numbers: z.array(z.looseObject({ number: text, message: z.string().optional() })).optional(),
});

/** GET /v1/speech_recognition/ (§4.11). */
export const ZSpeechRecognitionResponse = z.looseObject({
  lang: z.string().optional(),
  recognitionStatus: z.string(),
  otherLangs: z.array(z.string()).optional(),
  phrases: z.array(z.looseObject({ result: z.string(), channel: num.optional() })).optional(),
  words: z
    .array(
      z.looseObject({
        result: z.array(z.looseObject({ s: num, e: num, w: z.string() })),
        channel: num.optional(),
      }),
    )
    .optional(),
});

/** PUT /v1/speech_recognition/ and other answers that carry nothing but the envelope. */
export const ZStatusOnlyResponse = z.looseObject({ status: z.string().optional() });

/** GET /v1/webrtc/get_key/ (§4.12): the key is valid for 72 hours. */
export const ZWebrtcKeyResponse = z.looseObject({ key: z.string() });

export type TBalanceResponse = z.infer<typeof ZBalanceResponse>;
export type TTimezoneResponse = z.infer<typeof ZTimezoneResponse>;
export type TPriceResponse = z.infer<typeof ZPriceResponse>;
export type TPbxInternalResponse = z.infer<typeof ZPbxInternalResponse>;
export type TPbxInternalStatusResponse = z.infer<typeof ZPbxInternalStatusResponse>;
export type TPbxInternalInfoResponse = z.infer<typeof ZPbxInternalInfoResponse>;
export type TCallbackResponse = z.infer<typeof ZCallbackResponse>;
export type TStatisticsRow = z.infer<typeof ZStatisticsRow>;
export type TStatisticsResponse = z.infer<typeof ZStatisticsResponse>;
export type TPbxStatisticsRow = z.infer<typeof ZPbxStatisticsRow>;
export type TPbxStatisticsResponse = z.infer<typeof ZPbxStatisticsResponse>;
export type TRecordingLinkResponse = z.infer<typeof ZRecordingLinkResponse>;
export type TRecordingDeleteResponse = z.infer<typeof ZRecordingDeleteResponse>;
export type TDirectNumber = z.infer<typeof ZDirectNumber>;
export type TDirectNumbersResponse = z.infer<typeof ZDirectNumbersResponse>;
export type TSipListResponse = z.infer<typeof ZSipListResponse>;
export type TSipCallerIdResponse = z.infer<typeof ZSipCallerIdResponse>;
export type TPbxRedirectionResponse = z.infer<typeof ZPbxRedirectionResponse>;
export type TCallInfoResponse = z.infer<typeof ZCallInfoResponse>;
export type TWebhooksResponse = z.infer<typeof ZWebhooksResponse>;
export type TWebhookUrlResponse = z.infer<typeof ZWebhookUrlResponse>;
export type TCallInfoNotificationsResponse = z.infer<typeof ZCallInfoNotificationsResponse>;
export type TWebhookHooksResponse = z.infer<typeof ZWebhookHooksResponse>;
export type TSmsSendResponse = z.infer<typeof ZSmsSendResponse>;
export type TSpeechRecognitionResponse = z.infer<typeof ZSpeechRecognitionResponse>;
export type TStatusOnlyResponse = z.infer<typeof ZStatusOnlyResponse>;
export type TWebrtcKeyResponse = z.infer<typeof ZWebrtcKeyResponse>;
