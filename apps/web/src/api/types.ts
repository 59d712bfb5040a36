// Shapes of the REST API (see the API contract, issue 4). Kept by hand: the web never imports server code.

export type Locale = 'en' | 'fr' | 'ru';
export type Role = 'admin' | 'agent';

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  locale: Locale;
  disabled: boolean;
  createdAt: string;
}

export interface DirectoryUser {
  id: string;
  name: string;
  role: Role;
}

interface Ref {
  id: string;
  name: string;
}

interface ContactPhone {
  id: string;
  raw: string;
  e164: string | null;
  label: string;
}

interface ContactEmail {
  id: string;
  email: string;
  label: string;
}

export interface Contact {
  id: string;
  firstName: string;
  lastName: string;
  displayName: string;
  companyId: string | null;
  company?: Ref | null;
  responsibleUserId: string | null;
  responsibleUser?: Ref | null;
  phones: ContactPhone[];
  emails: ContactEmail[];
  notes: string;
  doNotCall: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface ContactInput {
  firstName: string;
  lastName: string;
  companyId: string | null;
  responsibleUserId: string | null;
  phones: { raw: string; label: string }[];
  emails: { email: string; label: string }[];
  notes: string;
  doNotCall: boolean;
}

export interface Company {
  id: string;
  name: string;
  website: string;
  phone: string;
  address: string;
  notes: string;
  responsibleUserId: string | null;
  createdAt: string;
  updatedAt: string;
}

export type LeadSource = 'call' | 'web' | 'email' | 'referral' | 'import' | 'other';
export type LeadStatus = 'new' | 'contacted' | 'qualified' | 'lost' | 'converted';
export const LEAD_SOURCES: readonly LeadSource[] = ['call', 'web', 'email', 'referral', 'import', 'other'];
export const LEAD_STATUSES: readonly LeadStatus[] = ['new', 'contacted', 'qualified', 'lost', 'converted'];

export interface Lead {
  id: string;
  title: string;
  contactId: string | null;
  companyId: string | null;
  source: LeadSource;
  status: LeadStatus;
  responsibleUserId: string | null;
  notes: string;
  createdAt: string;
  updatedAt: string;
}

export interface Stage {
  id: string;
  name: string;
  position: number;
  kind: 'open' | 'won' | 'lost';
}

export interface Pipeline {
  id: string;
  name: string;
  stages: Stage[];
}

export interface Deal {
  id: string;
  title: string;
  amount: number;
  currency: string;
  pipelineId: string;
  stageId: string;
  contactId: string | null;
  companyId: string | null;
  responsibleUserId: string | null;
  expectedCloseDate: string | null;
  createdAt: string;
  updatedAt: string;
}

export type SubjectType = 'contact' | 'lead' | 'deal' | 'company' | 'call';

export interface Task {
  id: string;
  title: string;
  description: string;
  dueAt: string | null;
  status: 'open' | 'done';
  assigneeId: string | null;
  subjectType: SubjectType | null;
  subjectId: string | null;
  createdAt: string;
  completedAt: string | null;
}

export interface TimelineItem {
  id: string;
  kind: 'note' | 'task' | 'deal' | 'lead' | 'call' | 'created' | 'updated';
  at: string;
  actor?: Ref;
  title: string;
  body?: string;
  ref?: { type: string; id: string };
  /** The event structurally, for rendering in the reader's language; `title` is the English fallback. */
  event?: { type: string; params: Record<string, string | number> };
}

export interface ListResult<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface SearchResult {
  contacts: Contact[];
  companies: Company[];
  leads: Lead[];
  deals: Deal[];
}

export interface Settings {
  companyName: string;
  defaultCountry: string;
  defaultCurrency: string;
  /** Days refused webhook requests are kept (1–3650). */
  refusedWebhookRetentionDays: number;
  /** Days processed and failed webhooks are kept (1–3650). */
  processedWebhookRetentionDays: number;
  /** Days live events are kept for reconnecting browsers (1–3650). */
  liveEventRetentionDays: number;
}

export interface ImportPreview {
  columns: string[];
  mapping: Record<string, string>;
  rows: Record<string, string>[] | string[][];
  total: number;
  errors: { row: number; message: string }[];
}

export interface ImportResult {
  imported: number;
  rejected: { row: number; message: string }[];
}

// Telephony (issue 5, see the telephony API contract).

export type TelephonyFeature =
  | 'autoCreate'
  | 'routeToResponsible'
  | 'callerName'
  | 'missedCallTasks'
  | 'blacklist';
export const TELEPHONY_FEATURES: readonly TelephonyFeature[] = [
  'autoCreate',
  'routeToResponsible',
  'callerName',
  'missedCallTasks',
  'blacklist',
];

export interface TelephonySettings {
  mode: 'demo' | 'live';
  configured: boolean;
  apiKey: string | null;
  secretSet: boolean;
  secretHint: string | null;
  apiBaseUrl: string;
  webhookUrl: string;
  webhook: {
    lastEventAt: string | null;
    lastRejectedAt: string | null;
    lastError: string | null;
    registeredAt: string | null;
  };
  ipAllowList: { enabled: boolean; cidrs: string[]; trustedProxies: string[] };
  defaultResponsibleUserId: string | null;
  predictedCallback: boolean;
  returnTimeout: number;
  features: Record<TelephonyFeature, boolean>;
  /** The secret replaced by the last planned rotation, while webhooks signed with it are still accepted. */
  previousSecretGrace: { hint: string | null; acceptedUntil: string; uses: number } | null;
}

export type TelephonySettingsInput = Partial<
  Omit<
    TelephonySettings,
    | 'mode'
    | 'configured'
    | 'secretSet'
    | 'secretHint'
    | 'webhookUrl'
    | 'webhook'
    | 'apiBaseUrl'
    | 'previousSecretGrace'
  > & {
    apiSecret: string;
    /** The old secret leaked: no grace for it (and a running grace ends now). */
    secretLeaked: boolean;
    /** null: back to Zadarma's default API address. */
    apiBaseUrl: string | null;
  }
>;

export interface ConnectionTest {
  ok: true;
  balance: number;
  currency: string;
  timezone: string;
}

export interface ExtensionItem {
  extension: string;
  online: boolean | null;
  userId: string | null;
  userName: string | null;
}

export interface BlacklistItem {
  id: string;
  number: string;
  e164: string | null;
  reason: string;
  createdAt: string;
}

export type InboxStatus = 'received' | 'processed' | 'failed' | 'rejected';
export const INBOX_STATUSES: readonly InboxStatus[] = ['received', 'processed', 'failed', 'rejected'];

export interface InboxItem {
  id: string;
  receivedAt: string;
  event: string | null;
  pbxCallId: string | null;
  remoteIp: string | null;
  status: InboxStatus;
  error: string | null;
  signatureValid: boolean | null;
}

export interface InboxDetail extends InboxItem {
  rawBody: string;
  /** Size of the whole body in bytes; a refused request keeps only a prefix of it in `rawBody`. */
  bodySize: number | null;
  bodySha256: string | null;
  contentType: string | null;
}

export interface TelephonyMe {
  enabled: boolean;
  extension: string | null;
  predictedCallback: boolean;
}

export type CallStatus =
  | 'ringing'
  | 'in_progress'
  | 'answered'
  | 'missed'
  | 'busy'
  | 'failed'
  | 'no_answer'
  | 'unknown';
export const CALL_STATUSES: readonly CallStatus[] = [
  'ringing',
  'in_progress',
  'answered',
  'missed',
  'busy',
  'failed',
  'no_answer',
  'unknown',
];

export interface CallView {
  id: string;
  pbxCallId: string;
  direction: 'in' | 'out';
  status: CallStatus;
  clientNumber: string | null;
  clientE164: string | null;
  contact: { id: string; displayName: string } | null;
  agent: { id: string; name: string } | null;
  extension: string | null;
  startedAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  duration: number | null;
  disposition: string | null;
  isRecorded: boolean;
  note: string;
}

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
    direction: 'in' | 'out';
    status: CallStatus;
    duration: number | null;
  }[];
}

export interface CallRingingEvent {
  pbxCallId: string;
  callId: string;
  direction: 'in' | 'out';
  extension: string;
  clientNumber: string | null;
  clientE164: string | null;
  startedAt: string;
  contact: ContactCard | null;
}

export interface CallAnsweredEvent {
  pbxCallId: string;
  callId: string;
  answeredBy: { userId: string | null; name: string | null; extension: string };
}

export interface CallEndedEvent {
  pbxCallId: string;
  callId: string;
  status: CallStatus;
  disposition: string | null;
  duration: number | null;
}

export interface CallbackStatusEvent {
  requestId: string | null;
  pbxCallId: string;
  leg: 'agent' | 'client';
  state: 'ringing' | 'answered' | 'ended';
  disposition: string | null;
}

export interface LiveEventMap {
  'call.ringing': CallRingingEvent;
  'call.answered': CallAnsweredEvent;
  'call.ended': CallEndedEvent;
  'callback.status': CallbackStatusEvent;
}

export interface Health {
  status: 'ok';
  version: string;
  dialect: 'sqlite' | 'postgres';
  mode: 'demo' | 'live';
}
