// Shapes of the REST API, derived from the types generated from the server's OpenAPI document
// (generated/openapi.ts, `npm run generate:api`): the web never imports server code, and never keeps a copy of
// its shapes by hand. The few types written here say why: live events travel over SSE, outside the document.
import type { paths } from './generated/openapi.js';

type Method = 'get' | 'put' | 'post' | 'patch' | 'delete';

/** The JSON an operation answers with `status`. Why: every name below is one route's response, not a copy. */
type Response<P extends keyof paths, M extends Method, S extends number = 200> = paths[P][M] extends {
  responses: infer R;
}
  ? S extends keyof R
    ? R[S] extends { content: { 'application/json': infer T } }
      ? T
      : never
    : never
  : never;

/** The JSON body an operation takes. */
type Body<P extends keyof paths, M extends Method> = paths[P][M] extends {
  requestBody?: { content: { 'application/json': infer T } };
}
  ? T
  : never;

/** The element type of an array. */
type Item<T> = T extends readonly (infer I)[] ? I : never;

/**
 * Every member of a string union, as a runtime list; the compiler refuses a list that misses one.
 * Why: selects and filters list the server's values, and a value the server adds must not go unseen.
 */
function allOf<T extends string>() {
  return <const V extends readonly T[]>(
    values: V & ([Exclude<T, V[number]>] extends [never] ? unknown : { missing: Exclude<T, V[number]> }),
  ): readonly T[] => values;
}

export type User = Response<'/api/users/{id}', 'patch'>;
/** The contacts already owning a number or an email (the contact form's duplicate warning). */
export type ContactDuplicates = Response<'/api/contacts/duplicates', 'post'>;
/** The signed-in user's morning view (GET /api/dashboard). */
export type DashboardData = Response<'/api/dashboard', 'get'>;
/** A converted lead, its contact and the deal opened (POST /api/leads/{id}/convert). */
export type LeadConversion = Response<'/api/leads/{id}/convert', 'post'>;
/** Demo mode only: the accounts the sign-in page offers. */
export type DemoAccounts = Response<'/api/demo/accounts', 'get'>;
export type Locale = User['locale'];
export type Role = User['role'];
export type DirectoryUser = Item<Response<'/api/users/directory', 'get'>>;

export type Contact = Response<'/api/contacts/{id}', 'get'>;
/** The contact a number belongs to, and every contact sharing it (the call card's picker). */
export type ContactLookup = Response<'/api/contacts/lookup', 'get'>;

/** The contact form's values: every field of a new contact but the display name, which the server derives. */
export type ContactInput = Required<Omit<Body<'/api/contacts', 'post'>, 'displayName'>>;

export type Company = Response<'/api/companies/{id}', 'get'>;

export type Lead = Response<'/api/leads/{id}', 'get'>;
export type LeadSource = Lead['source'];
export type LeadStatus = Lead['status'];
export const LEAD_SOURCES = allOf<LeadSource>()(['call', 'web', 'email', 'referral', 'import', 'other']);
export const LEAD_STATUSES = allOf<LeadStatus>()(['new', 'contacted', 'qualified', 'lost', 'converted']);

export type Pipeline = Item<Response<'/api/pipelines', 'get'>>;
export type Stage = Item<Pipeline['stages']>;
export type Deal = Response<'/api/deals/{id}', 'get'>;

export type Task = Response<'/api/tasks/{id}', 'get'>;
export type SubjectType = NonNullable<Task['subjectType']>;

export type TimelineItem = Item<Response<'/api/contacts/{id}/timeline', 'get'>['items']>;

/** A page of any list (the same envelope on every list route; `T` is the route's item). */
export interface ListResult<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export type SearchResult = Response<'/api/search', 'get'>;
export type Settings = Response<'/api/settings', 'get'>;

export type ImportPreview = Response<'/api/contacts/import/preview', 'post'>;
export type ImportResult = Response<'/api/contacts/import', 'post'>;

// Telephony.

export type TelephonySettings = Response<'/api/telephony/settings', 'get'>;
export type TelephonySettingsInput = Body<'/api/telephony/settings', 'put'>;
export type TelephonyFeature = keyof TelephonySettings['features'];
export type AfterCallOptions = Response<'/api/telephony/after-call', 'get'>;
export type AfterCallOptionsInput = Body<'/api/telephony/after-call', 'put'>;
export type NewCallerRule = Item<AfterCallOptions['newCallerRules']>;
export type NewCallerItem = Item<Response<'/api/new-callers', 'get'>['items']>;
export type NewCallerKind = Body<'/api/new-callers/accept', 'post'>['kind'];
export const TELEPHONY_FEATURES = allOf<TelephonyFeature>()([
  'autoCreate',
  'routeToResponsible',
  'callerName',
  'missedCallTasks',
  'blacklist',
]);

export type ConnectionTest = Response<'/api/telephony/test-connection', 'post'>;
export type ExtensionItem = Item<Response<'/api/telephony/extensions', 'get'>['items']>;
export type BlacklistItem = Response<'/api/telephony/blacklist', 'post', 201>;

export type InboxItem = Item<Response<'/api/telephony/inbox', 'get'>['items']>;
export type InboxDetail = Response<'/api/telephony/inbox/{id}', 'get'>;
export type InboxStatus = InboxItem['status'];
export const INBOX_STATUSES = allOf<InboxStatus>()(['received', 'processed', 'failed', 'rejected']);

export type TelephonyMe = Response<'/api/telephony/me', 'get'>;

export type CallView = Response<'/api/calls/{id}', 'get'>;
export type CallStatus = CallView['status'];
export type ClickToCallResult = Response<'/api/calls/click-to-call', 'post', 202>;

// The agent's call workspace (issue 13).
export type LiveCall = Response<'/api/calls/{id}/live', 'get'>;
export type CallWrapUp = Response<'/api/calls/{id}/outcome', 'put'>;
export type WrapUpOutcome = NonNullable<CallWrapUp['outcome']>;
export const WRAP_UP_OUTCOMES = allOf<WrapUpOutcome>()([
  'connected',
  'no_answer',
  'left_message',
  'wrong_number',
  'busy',
]);
export type MissedCalls = Response<'/api/calls/missed', 'get'>;

export type Health = Response<'/api/health', 'get'>;

// Live events (`GET /api/events`, Server-Sent Events): a stream the OpenAPI document does not describe, so these
// stay written by hand (server: platform/live/live-events.ts), built from the generated pieces where they share one.

type Ref = NonNullable<Contact['company']>;
type Direction = CallView['direction'];

/** What the popup shows of a known caller. */
export interface ContactCard {
  id: string;
  displayName: string;
  company: Ref | null;
  responsibleUser: Ref | null;
  doNotCall: boolean;
  openDeals: { id: string; title: string; amount: number; currency: string; stageName: string }[];
  openTasks: { id: string; title: string; dueAt: string | null }[];
  lastCalls: {
    id: string;
    startedAt: string;
    direction: Direction;
    status: CallStatus;
    duration: number | null;
  }[];
}

export interface CallRingingEvent {
  pbxCallId: string;
  callId: string;
  direction: Direction;
  extension: string;
  clientNumber: string | null;
  clientE164: string | null;
  startedAt: string;
  contact: ContactCard | null;
  /** The click-to-call request that placed an outgoing call (the card of the user who clicked). */
  requestId?: string;
}

export interface CallAnsweredEvent {
  pbxCallId: string;
  callId: string;
  /** `extension` is null when Zadarma named no answering extension. */
  answeredBy: { userId: string | null; name: string | null; extension: string | null };
  /** When the call was answered (the card's timer survives a reload); absent from older servers. */
  answeredAt?: string | null;
}

export interface CallEndedEvent {
  pbxCallId: string;
  callId: string;
  status: CallStatus;
  disposition: string | null;
  duration: number | null;
  /**
   * Only on a card restored to a tab that connects after the call (restore-live-calls.ts): the call ended with
   * the user's wrap-up still open, and the outcome recorded so far.
   */
  wrapUp?: { outcome: WrapUpOutcome | null };
}

export interface CallbackStatusEvent {
  requestId: string | null;
  pbxCallId: string;
  leg: 'agent' | 'client';
  state: 'ringing' | 'answered' | 'ended';
  disposition: string | null;
}

/** A missed inbound call, to the agents it rang and the contact's responsible user. */
interface CallMissedEvent {
  pbxCallId: string;
  callId: string;
  clientNumber: string | null;
  clientE164: string | null;
  startedAt: string;
  contact: { id: string; displayName: string } | null;
}

export interface LiveEventMap {
  'call.ringing': CallRingingEvent;
  'call.answered': CallAnsweredEvent;
  'call.ended': CallEndedEvent;
  'call.missed': CallMissedEvent;
  'callback.status': CallbackStatusEvent;
}

export type CallLogPage = Response<'/api/call-log', 'get'>;
export type CallLogEntry = Item<CallLogPage['items']>;
export type CallOutcome = CallLogEntry['outcome'];
export const CALL_OUTCOMES = allOf<CallOutcome>()([
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
export type AttributionRule = CallLogEntry['attribution']['rule'];
export type CallDetail = Response<'/api/call-log/{id}', 'get'>;
export type MissedCallClass = NonNullable<CallDetail['missed']>['classification'];
export const MISSED_CALL_CLASSES = allOf<MissedCallClass>()([
  'client_called_back',
  'returned_within_n',
  'returned_within_24h',
  'returned_later',
  'not_returned',
]);
export type CallStatistics = Response<'/api/statistics', 'get'>;
export type StatisticsSettings = Response<'/api/statistics/settings', 'get'>;
export type StatisticsFigures = CallStatistics['team'];
