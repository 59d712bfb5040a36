/**
 * The typed Zadarma client: one method per REST call the CRM uses (docs/zadarma-protocol.md §4), each with its verb,
 * signed path, parameters, answer schema and an explicit idempotency flag that decides whether it may be
 * retried. Parameter and answer field names are Zadarma's own, so docs/zadarma-protocol.md and openapi.json apply as is.
 */
import type { z } from 'zod';
import type { QueryParams } from '../php-query.js';
import {
  type TBalanceResponse,
  type TCallbackResponse,
  type TCallInfoNotificationsResponse,
  type TCallInfoResponse,
  type TDirectNumbersResponse,
  type TPbxInternalInfoResponse,
  type TPbxInternalResponse,
  type TPbxInternalStatusResponse,
  type TPbxRedirectionResponse,
  type TPbxStatisticsResponse,
  type TPbxStatisticsRow,
  type TPriceResponse,
  type TRecordingDeleteResponse,
  type TRecordingLinkResponse,
  type TSipCallerIdResponse,
  type TSipListResponse,
  type TSmsSendResponse,
  type TSpeechRecognitionResponse,
  type TStatisticsResponse,
  type TStatusOnlyResponse,
  type TTimezoneResponse,
  type TWebhookHooksResponse,
  type TWebhooksResponse,
  type TWebhookUrlResponse,
  type TWebrtcKeyResponse,
  ZBalanceResponse,
  ZCallbackResponse,
  ZCallInfoNotificationsResponse,
  ZCallInfoResponse,
  ZDirectNumbersResponse,
  ZPbxInternalInfoResponse,
  ZPbxInternalResponse,
  ZPbxInternalStatusResponse,
  ZPbxRedirectionResponse,
  ZPbxStatisticsResponse,
  ZPriceResponse,
  ZRecordingDeleteResponse,
  ZRecordingLinkResponse,
  ZSipCallerIdResponse,
  ZSipListResponse,
  ZSmsSendResponse,
  ZSpeechRecognitionResponse,
  ZStatisticsResponse,
  ZStatusOnlyResponse,
  ZTimezoneResponse,
  ZWebhookHooksResponse,
  ZWebhooksResponse,
  ZWebhookUrlResponse,
  ZWebrtcKeyResponse,
} from './schemas.js';
import { STATISTICS_WINDOW_DAYS, splitStatisticsWindow } from './statistics-window.js';
import {
  type HttpMethod,
  type ZadarmaRequest,
  type ZadarmaRequestOptions,
  type ZadarmaResponse,
  ZadarmaTransport,
  type ZadarmaTransportOptions,
} from './transport.js';

export type ZadarmaClientOptions = ZadarmaTransportOptions;

/** Reseller accounts may act for a sub-user (`user_id`, docs/zadarma-protocol.md §4.9). */
export interface ResellerScope {
  readonly user_id?: string | number;
}

export interface PriceQuery {
  /** Destination, international format. */
  readonly number: string;
  /** CallerID to price from (the PHP client wrongly sends the destination here, §4.1). */
  readonly caller_id?: string;
}

export interface CallbackRequest {
  /** Called first: PBX extension, SIP id or phone number (§4.2). */
  readonly from: string;
  /** Called second: the client's number. */
  readonly to: string;
  /** Extension/SIP whose CallerID, recording and statistics apply. */
  readonly sip?: string;
  /** Dial `to` first and bridge to `from` only when it answers. */
  readonly predicted?: boolean;
}

export interface StatisticsQuery {
  /** `YYYY-MM-DD HH:MM:SS`, account timezone; at most one month to `end` (§4.4). */
  readonly start: string;
  readonly end: string;
  readonly sip?: string;
  readonly cost_only?: boolean;
  readonly type?: 'overall' | 'toll-free';
  readonly skip?: number;
  /** At most 1000. */
  readonly limit?: number;
}

export interface PbxStatisticsQuery {
  readonly start: string;
  readonly end: string;
  readonly call_type?: 'in' | 'out';
  readonly skip?: number;
  /** At most 1000. */
  readonly limit?: number;
}

export interface PbxStatisticsScan {
  /** Any length: split into windows of at most `windowDays`. */
  readonly start: string;
  readonly end: string;
  readonly call_type?: 'in' | 'out';
  /** Rows per call, at most 1000 (default 1000). */
  readonly pageSize?: number;
  /** Default 30 (§4.4). */
  readonly windowDays?: number;
}

/** One recording by its `call_id` (a link) or all recordings of a call by `pbx_call_id` (links). */
export type RecordingRef = { readonly call_id: string } | { readonly pbx_call_id: string };

export type PbxRedirectionUpdate =
  | { readonly pbx_number: string; readonly status: 'off' }
  | {
      readonly pbx_number: string;
      readonly status: 'on';
      readonly type: 'phone' | 'voicemail' | 'menu' | 'sip' | 'sip_uri';
      /** Phone, e-mail, menu id, SIP or SIP URI depending on `type`. */
      readonly destination: string;
      readonly condition: 'always' | 'noanswer';
      /** `standart` is Zadarma's spelling (§4.8). */
      readonly voicemail_greeting?: 'no' | 'standart' | 'own';
      /** Keep your CallerID while forwarding to a phone (sent by the official clients, not in the OAS). */
      readonly set_caller_id?: 'on' | 'off';
    };

export type CallInfoNotifications = Partial<
  Record<
    | 'notify_start'
    | 'notify_internal'
    | 'notify_end'
    | 'notify_out_start'
    | 'notify_out_end'
    | 'notify_answer',
    boolean
  >
>;

export type WebhookHooks = Partial<
  Record<'number_lookup' | 'call_tracking' | 'sms' | 'speech_recognition', boolean>
>;

export interface SmsMessage {
  /** One number or several (sent comma-separated, as the official clients do, §4.10). */
  readonly number: string | readonly string[];
  readonly message: string;
  /** Sender id from `GET /v1/sms/senderid/` (the OAS name; older clients used `caller_id`, §4.10). */
  readonly sender?: string;
  readonly language?: string;
}

export interface SpeechRecognitionQuery {
  /** The recording's `call_id` (`call_id_with_rec`), not `pbx_call_id` (§4.11). */
  readonly call_id: string;
  readonly lang?: string;
  readonly return?: 'words' | 'phrases';
  readonly alternatives?: boolean;
}

const DIGITS = /^[0-9]+$/;

function pathSegment(value: string, what: string): string {
  if (!DIGITS.test(value)) {
    throw new TypeError(`${what} must be digits only, got "${value}"`);
  }
  return value;
}

function switches(values: Readonly<Record<string, boolean | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, on] of Object.entries(values)) {
    if (on !== undefined) {
      // The API wants the strings "true"/"false"; PHP would send a boolean as 1/0 (§2.3, §4.9).
      out[name] = on ? 'true' : 'false';
    }
  }
  return out;
}

interface MethodSpec<T> {
  readonly method: HttpMethod;
  readonly path: string;
  readonly schema: z.ZodType<T>;
  /** Explicit for every method: may a lost or failed attempt be repeated? */
  readonly idempotent: boolean;
}

/** Typed access to the Zadarma REST API; safe to share between concurrent callers. */
export class ZadarmaClient {
  /** The low-level signed transport, for methods without a typed wrapper. */
  readonly transport: ZadarmaTransport;

  constructor(options: ZadarmaClientOptions) {
    this.transport = new ZadarmaTransport(options);
  }

  /** Any signed call with its status and rate-limit headers; see {@link ZadarmaTransport.request}. */
  request<T = unknown>(request: ZadarmaRequest<T>): Promise<ZadarmaResponse<T>> {
    return this.transport.request(request);
  }

  async #call<T>(
    spec: MethodSpec<T>,
    params: QueryParams | undefined,
    options?: ZadarmaRequestOptions,
  ): Promise<T> {
    const response = await this.transport.request({ ...spec, params, ...options });
    return response.data;
  }

  // --- account (§4.1) ----------------------------------------------------------------------------------

  /** Account balance; for a dashboard widget and low-balance alerts. */
  getBalance(options?: ZadarmaRequestOptions): Promise<TBalanceResponse> {
    return this.#call(
      { method: 'GET', path: '/v1/info/balance/', schema: ZBalanceResponse, idempotent: true },
      undefined,
      options,
    );
  }

  /** Account timezone; needed to read every naive date-time of the API and the webhooks (§1). */
  getTimezone(options?: ZadarmaRequestOptions): Promise<TTimezoneResponse> {
    return this.#call(
      { method: 'GET', path: '/v1/info/timezone/', schema: ZTimezoneResponse, idempotent: true },
      undefined,
      options,
    );
  }

  /** Per-minute price of a call to `number`; shown before dialling an expensive destination. */
  getPrice(query: PriceQuery, options?: ZadarmaRequestOptions): Promise<TPriceResponse> {
    return this.#call(
      { method: 'GET', path: '/v1/info/price/', schema: ZPriceResponse, idempotent: true },
      { number: query.number, caller_id: query.caller_id },
      options,
    );
  }

  // --- PBX extensions (§4.3) ---------------------------------------------------------------------------

  /** PBX id and extension numbers; to map CRM users to extensions. */
  getPbxInternal(options?: ZadarmaRequestOptions): Promise<TPbxInternalResponse> {
    return this.#call(
      { method: 'GET', path: '/v1/pbx/internal/', schema: ZPbxInternalResponse, idempotent: true },
      undefined,
      options,
    );
  }

  /** Whether an extension's phone is registered (`is_online`); to show agent presence. */
  getPbxInternalStatus(
    extension: string,
    options?: ZadarmaRequestOptions,
  ): Promise<TPbxInternalStatusResponse> {
    const ext = pathSegment(extension, 'extension');
    return this.#call(
      {
        method: 'GET',
        path: `/v1/pbx/internal/${ext}/status/`,
        schema: ZPbxInternalStatusResponse,
        idempotent: true,
      },
      undefined,
      options,
    );
  }

  /** An extension's settings (name, CallerID, recording); for the telephony settings page. */
  getPbxInternalInfo(extension: string, options?: ZadarmaRequestOptions): Promise<TPbxInternalInfoResponse> {
    const ext = pathSegment(extension, 'extension');
    return this.#call(
      {
        method: 'GET',
        path: `/v1/pbx/internal/${ext}/info/`,
        schema: ZPbxInternalInfoResponse,
        idempotent: true,
      },
      undefined,
      options,
    );
  }

  // --- click-to-call (§4.2) ----------------------------------------------------------------------------

  /** Click-to-call: rings `from`, then dials `to`. Never retried — a repeat rings the phones again. */
  requestCallback(request: CallbackRequest, options?: ZadarmaRequestOptions): Promise<TCallbackResponse> {
    return this.#call(
      // A GET that is not idempotent: it places a call (§4.2).
      { method: 'GET', path: '/v1/request/callback/', schema: ZCallbackResponse, idempotent: false },
      {
        from: request.from,
        to: request.to,
        sip: request.sip,
        // The documented examples pass the literal word (§4.2).
        predicted: request.predicted ? 'predicted' : undefined,
      },
      options,
    );
  }

  // --- call history (§4.4) -----------------------------------------------------------------------------

  /** Account/SIP call records for at most one month; counts against the 3/min statistics limit. */
  getStatistics(query: StatisticsQuery, options?: ZadarmaRequestOptions): Promise<TStatisticsResponse> {
    return this.#call(
      { method: 'GET', path: '/v1/statistics/', schema: ZStatisticsResponse, idempotent: true },
      {
        start: query.start,
        end: query.end,
        sip: query.sip,
        cost_only: query.cost_only ? 1 : undefined,
        type: query.type,
        skip: query.skip,
        limit: query.limit,
      },
      options,
    );
  }

  /** One page of PBX call records (format version 2) for at most one month; 3/min statistics limit. */
  getPbxStatistics(
    query: PbxStatisticsQuery,
    options?: ZadarmaRequestOptions,
  ): Promise<TPbxStatisticsResponse> {
    return this.#call(
      { method: 'GET', path: '/v1/statistics/pbx/', schema: ZPbxStatisticsResponse, idempotent: true },
      {
        start: query.start,
        end: query.end,
        // Always ask for version 2: without it the answer is probably the legacy format (§4.4).
        version: 2,
        call_type: query.call_type,
        skip: query.skip,
        limit: query.limit,
      },
      options,
    );
  }

  /**
   * Every PBX call record of any period: walks ≤ `windowDays` windows and pages each with skip/limit.
   * For imports and reconciliation; the 3/min bucket paces the calls, so a year takes several minutes.
   */
  async *iteratePbxStatistics(
    scan: PbxStatisticsScan,
    options?: ZadarmaRequestOptions,
  ): AsyncGenerator<TPbxStatisticsRow, void, undefined> {
    const limit = Math.min(1000, Math.max(1, Math.floor(scan.pageSize ?? 1000)));
    for (const window of splitStatisticsWindow(
      scan.start,
      scan.end,
      scan.windowDays ?? STATISTICS_WINDOW_DAYS,
    )) {
      for (let skip = 0; ; skip += limit) {
        const page = await this.getPbxStatistics(
          { ...window, call_type: scan.call_type, skip, limit },
          options,
        );
        yield* page.stats;
        if (page.stats.length < limit) {
          break;
        }
      }
    }
  }

  /** {@link iteratePbxStatistics} collected into an array (Node 20 has no `Array.fromAsync`). */
  async collectPbxStatistics(
    scan: PbxStatisticsScan,
    options?: ZadarmaRequestOptions,
  ): Promise<TPbxStatisticsRow[]> {
    const rows: TPbxStatisticsRow[] = [];
    for await (const row of this.iteratePbxStatistics(scan, options)) {
      rows.push(row);
    }
    return rows;
  }

  // --- recordings (§4.5) -------------------------------------------------------------------------------

  /** Temporary download link(s) of a recording; `lifetime` 180…5 184 000 s (default 1 800). */
  getRecording(
    ref: RecordingRef & { readonly lifetime?: number },
    options?: ZadarmaRequestOptions,
  ): Promise<TRecordingLinkResponse> {
    return this.#call(
      { method: 'GET', path: '/v1/pbx/record/request/', schema: ZRecordingLinkResponse, idempotent: true },
      { ...ref },
      options,
    );
  }

  /**
   * Deletes a recording from Zadarma's storage (after the CRM has copied it). Not retried: after a lost
   * answer a repeat would report "not found" for a file that is in fact gone.
   */
  deleteRecording(ref: RecordingRef, options?: ZadarmaRequestOptions): Promise<TRecordingDeleteResponse> {
    return this.#call(
      {
        method: 'DELETE',
        path: '/v1/pbx/record/request/',
        schema: ZRecordingDeleteResponse,
        idempotent: false,
      },
      { ...ref },
      options,
    );
  }

  // --- numbers and SIP (§4.6, §4.7) --------------------------------------------------------------------

  /** The account's virtual numbers; to label inbound lines in the CRM. */
  getDirectNumbers(options?: ZadarmaRequestOptions): Promise<TDirectNumbersResponse> {
    return this.#call(
      { method: 'GET', path: '/v1/direct_numbers/', schema: ZDirectNumbersResponse, idempotent: true },
      undefined,
      options,
    );
  }

  /** The account's SIP logins. */
  getSips(options?: ZadarmaRequestOptions): Promise<TSipListResponse> {
    return this.#call(
      { method: 'GET', path: '/v1/sip/', schema: ZSipListResponse, idempotent: true },
      undefined,
      options,
    );
  }

  /** Sets a SIP login's outgoing CallerID to a confirmed number; setting the same value twice is harmless. */
  setSipCallerId(
    change: { readonly id: string; readonly number: string },
    options?: ZadarmaRequestOptions,
  ): Promise<TSipCallerIdResponse> {
    return this.#call(
      { method: 'PUT', path: '/v1/sip/callerid/', schema: ZSipCallerIdResponse, idempotent: true },
      { id: change.id, number: change.number },
      options,
    );
  }

  // --- extension forwarding (§4.8) ---------------------------------------------------------------------

  /** An extension's forwarding setting. */
  getPbxRedirection(pbxNumber: string, options?: ZadarmaRequestOptions): Promise<TPbxRedirectionResponse> {
    return this.#call(
      { method: 'GET', path: '/v1/pbx/redirection/', schema: ZPbxRedirectionResponse, idempotent: true },
      { pbx_number: pbxNumber },
      options,
    );
  }

  /** Turns an extension's forwarding on or off; a state-setting call, so safe to repeat. */
  setPbxRedirection(
    update: PbxRedirectionUpdate,
    options?: ZadarmaRequestOptions,
  ): Promise<TPbxRedirectionResponse> {
    return this.#call(
      { method: 'POST', path: '/v1/pbx/redirection/', schema: ZPbxRedirectionResponse, idempotent: true },
      { ...update },
      options,
    );
  }

  // --- webhook configuration (§4.9) --------------------------------------------------------------------

  /** The PBX call-notification URL and which NOTIFY_* events are on. */
  getCallInfo(scope: ResellerScope = {}, options?: ZadarmaRequestOptions): Promise<TCallInfoResponse> {
    return this.#call(
      { method: 'GET', path: '/v1/pbx/callinfo/', schema: ZCallInfoResponse, idempotent: true },
      { user_id: scope.user_id },
      options,
    );
  }

  /** Sets the call-notification URL; Zadarma checks it with `zd_echo` first (§5.2). */
  setCallInfoUrl(
    target: ResellerScope & { readonly url: string },
    options?: ZadarmaRequestOptions,
  ): Promise<TWebhookUrlResponse> {
    return this.#call(
      { method: 'POST', path: '/v1/pbx/callinfo/url/', schema: ZWebhookUrlResponse, idempotent: true },
      { url: target.url, user_id: target.user_id },
      options,
    );
  }

  /** Removes the call-notification URL. */
  deleteCallInfoUrl(
    scope: ResellerScope = {},
    options?: ZadarmaRequestOptions,
  ): Promise<TWebhookUrlResponse> {
    return this.#call(
      { method: 'DELETE', path: '/v1/pbx/callinfo/url/', schema: ZWebhookUrlResponse, idempotent: true },
      { user_id: scope.user_id },
      options,
    );
  }

  /** Switches NOTIFY_* events on or off (omitted ones are left as they are). */
  setCallInfoNotifications(
    notifications: CallInfoNotifications & ResellerScope,
    options?: ZadarmaRequestOptions,
  ): Promise<TCallInfoNotificationsResponse> {
    const { user_id, ...flags } = notifications;
    return this.#call(
      {
        method: 'POST',
        path: '/v1/pbx/callinfo/notifications/',
        schema: ZCallInfoNotificationsResponse,
        idempotent: true,
      },
      { ...switches(flags), user_id },
      options,
    );
  }

  /** The "other events" webhook URL (SMS, speech recognition, …) and which hooks are on. */
  getWebhooks(scope: ResellerScope = {}, options?: ZadarmaRequestOptions): Promise<TWebhooksResponse> {
    return this.#call(
      { method: 'GET', path: '/v1/pbx/webhooks/', schema: ZWebhooksResponse, idempotent: true },
      { user_id: scope.user_id },
      options,
    );
  }

  /** Sets the "other events" webhook URL (checked with `zd_echo`). */
  setWebhooksUrl(
    target: ResellerScope & { readonly url: string },
    options?: ZadarmaRequestOptions,
  ): Promise<TWebhookUrlResponse> {
    return this.#call(
      { method: 'POST', path: '/v1/pbx/webhooks/url/', schema: ZWebhookUrlResponse, idempotent: true },
      { url: target.url, user_id: target.user_id },
      options,
    );
  }

  /** Removes the "other events" webhook URL. */
  deleteWebhooksUrl(
    scope: ResellerScope = {},
    options?: ZadarmaRequestOptions,
  ): Promise<TWebhookUrlResponse> {
    return this.#call(
      { method: 'DELETE', path: '/v1/pbx/webhooks/url/', schema: ZWebhookUrlResponse, idempotent: true },
      { user_id: scope.user_id },
      options,
    );
  }

  /** Switches the "other events" hooks on or off (omitted ones are left as they are). */
  setWebhookHooks(
    hooks: WebhookHooks & ResellerScope,
    options?: ZadarmaRequestOptions,
  ): Promise<TWebhookHooksResponse> {
    const { user_id, ...flags } = hooks;
    return this.#call(
      { method: 'POST', path: '/v1/pbx/webhooks/hooks/', schema: ZWebhookHooksResponse, idempotent: true },
      { ...switches(flags), user_id },
      options,
    );
  }

  // --- SMS (§4.10) -------------------------------------------------------------------------------------

  /** Sends an SMS. Never retried — a repeat sends (and bills) the message twice. */
  sendSms(sms: SmsMessage, options?: ZadarmaRequestOptions): Promise<TSmsSendResponse> {
    const number = typeof sms.number === 'string' ? sms.number : sms.number.join(',');
    return this.#call(
      { method: 'POST', path: '/v1/sms/send/', schema: ZSmsSendResponse, idempotent: false },
      { number, message: sms.message, sender: sms.sender, language: sms.language },
      options,
    );
  }

  // --- speech recognition (§4.11) ----------------------------------------------------------------------

  /** Transcript (or its status) of a recording. */
  getSpeechRecognition(
    query: SpeechRecognitionQuery,
    options?: ZadarmaRequestOptions,
  ): Promise<TSpeechRecognitionResponse> {
    return this.#call(
      {
        method: 'GET',
        path: '/v1/speech_recognition/',
        schema: ZSpeechRecognitionResponse,
        idempotent: true,
      },
      {
        call_id: query.call_id,
        lang: query.lang,
        return: query.return,
        alternatives: query.alternatives === undefined ? undefined : query.alternatives ? 1 : 0,
      },
      options,
    );
  }

  /** Starts (paid) recognition of a recording; not retried so that it is never ordered twice. */
  requestSpeechRecognition(
    request: { readonly call_id: string; readonly lang?: string },
    options?: ZadarmaRequestOptions,
  ): Promise<TStatusOnlyResponse> {
    return this.#call(
      { method: 'PUT', path: '/v1/speech_recognition/', schema: ZStatusOnlyResponse, idempotent: false },
      { call_id: request.call_id, lang: request.lang },
      options,
    );
  }

  // --- WebRTC (§4.12) ----------------------------------------------------------------------------------

  /** A 72-hour key for the WebRTC softphone widget of `sip` (SIP login or extension). */
  getWebrtcKey(sip: string, options?: ZadarmaRequestOptions): Promise<TWebrtcKeyResponse> {
    return this.#call(
      { method: 'GET', path: '/v1/webrtc/get_key/', schema: ZWebrtcKeyResponse, idempotent: true },
      { sip },
      options,
    );
  }
}

/** Creates a {@link ZadarmaClient}; the one entry point a CRM needs. */
export function createZadarmaClient(options: ZadarmaClientOptions): ZadarmaClient {
  return new ZadarmaClient(options);
}
