/** The webhook path's ports: what receive-webhook, decide-call-routing, process-webhook-batch and the handle-call-* use cases need. (Part of the telephony ports; import them from `../ports.js`.) */
import type { TWebhookEvent } from '@switchboard/zadarma';
import type { EventPublisher } from '../../../platform/events/event-bus.js';
import type { CallEvent } from '../domain/call-event.js';
import type { Freshness } from '../domain/call-freshness.js';
import type { CallerNameFormat } from '../domain/caller-name-template.js';
import type { RoutingTraceStep } from '../domain/routing-policy.js';
import type { AfterCallScheduler } from './after-call.js';
import type { CallRepository, InboxEntry, InboxRepository } from './calls.js';
import type { RecordingNotices, TranscriptNotice } from './recordings.js';
import type { BlacklistRepository, RoutingSettings } from './settings.js';

// ── The webhook path's ports (issue 10 item 2): what receive-webhook, decide-call-routing, process-webhook-batch
// and the handle-call-* use cases need, each with a Kysely/SQLite adapter and an in-memory one (adapters/).

/**
 * The time. Why: use cases never read the system clock, so a test chooses the instant and the NOTIFY_START
 * budget is measured on the same clock the request's arrival was read on.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** What the call path knows of a caller's contact: enough to route and name the call. */
export interface CallerContact {
  readonly id: string;
  readonly displayName: string;
  readonly responsibleUserId: string | null;
  /** The contact's company name (for `caller_name`), null without a company. */
  readonly companyName: string | null;
  readonly doNotCall: boolean;
}

/** A caller normalised and looked up, once per call: carried from the NOTIFY_START decision into processing. */
export interface CallerLookup {
  /** The number as the PBX sent it. */
  readonly number: string;
  /** Its E.164 form with the company's default country, null when it is no phone number (an extension). */
  readonly e164: string | null;
  /** The contact owning `e164` (the oldest when several do), null when none. */
  readonly contact: CallerContact | null;
}

/**
 * Caller → contact and responsible user, by E.164 (the CRM's `contact_phones` index).
 * Why: the NOTIFY_START decision and the call's contact link need the same answer within microseconds.
 */
export interface ContactLookup {
  /** The E.164 form of a raw number (memoised: a call's events repeat its number), null for an extension. */
  e164Of(rawNumber: string, defaultCountry: string): string | null;
  /** The caller's E.164 and the contact owning it: one indexed lookup. */
  findCaller(rawNumber: string, defaultCountry: string): Promise<CallerLookup>;
  /** The contact with this id, null when there is none. Why: click-to-call names the contact the user chose. */
  findContact(contactId: string): Promise<CallerContact | null>;
}

/** The contact card of a call popup: who is calling, their company, responsible user, open deals and tasks, last calls. */
export interface ContactCard {
  readonly id: string;
  readonly displayName: string;
  readonly company: { id: string; name: string } | null;
  readonly responsibleUser: { id: string; name: string } | null;
  readonly doNotCall: boolean;
  readonly openDeals: { id: string; title: string; amount: number; currency: string; stageName: string }[];
  readonly openTasks: { id: string; title: string; dueAt: string | null }[];
  readonly lastCalls: {
    id: string;
    startedAt: string;
    direction: 'in' | 'out';
    status: string;
    duration: number | null;
  }[];
}

/**
 * Reads the CRM card shown in the ringing popup. Why: telephony shows CRM data without knowing the CRM's tables.
 */
export interface CrmCardReader {
  /** The card of a contact (its last calls without `excludeCallId`, the call ringing), null when it is gone. */
  cardOf(contactId: string, options?: { readonly excludeCallId?: string }): Promise<ContactCard | null>;
}

/**
 * Extension ↔ user, and the user's name. Why: popups go to the users behind the extensions a call rang, and
 * the routing decision sends a caller to their responsible user's extension.
 */
export interface ExtensionDirectory {
  userOf(extension: string): Promise<string | null>;
  /** The users behind several extensions at once (a call rings a handful): extension → user id. */
  usersOf(extensions: readonly string[]): Promise<ReadonlyMap<string, string>>;
  extensionOf(userId: string): Promise<string | null>;
  /** The user's display name, null for an unknown user. */
  nameOf(userId: string): Promise<string | null>;
}

/** Whether a number is blacklisted. Why: NOTIFY_START refuses blacklisted callers (`redirect: "blacklist"`). */
export interface Blacklist {
  /** The entry (the number or a prefix of it) blocking `e164` at `at`, null when none. */
  matchCaller(e164: string, at: string): Promise<string | null>;
}

/** The caller's open deal as routing and the caller name need it. */
export interface CallerDeal {
  readonly id: string;
  readonly responsibleUserId: string | null;
  readonly stageName: string;
  readonly amount: number;
}

/**
 * What the routing chain and the caller name read about a caller beyond their contact, each one indexed query
 * (deals and leads by contact, calls by contact and by number). Why: NOTIFY_START must answer within its budget.
 */
export interface CallerHistory {
  /** The contact's most recently updated deal in an open stage, null when none. */
  openDealOf(contactId: string): Promise<CallerDeal | null>;
  /** The contact's most recently updated lead not yet converted or lost, null when none. */
  openLeadOf(
    contactId: string,
  ): Promise<{ readonly id: string; readonly responsibleUserId: string | null } | null>;
  /** The agent of the contact's latest answered call started at or after `since`, null when none. */
  lastAgentOf(contactId: string, since: string): Promise<string | null>;
  /** Inbound calls from this number (no contact linked) started at or after `since` that nobody answered. */
  missedFrom(e164: string, since: string): Promise<number>;
}

/** What the NOTIFY_START decision is about to read about one caller (`CallerFacts`): only what is switched on. */
export interface CallerFactsQuery {
  /** The caller's E.164 number. */
  readonly e164: string;
  /** The instant blacklist expiries are judged at (ISO), null: the blacklist is not read. */
  readonly blacklistAt: string | null;
  /** Read the contact's open deal. */
  readonly deal: boolean;
  /** Read the contact's open lead. */
  readonly lead: boolean;
  /** The last answering agent since this instant (ISO), null: not read. */
  readonly lastAgentSince: string | null;
  /** For a number no contact owns, its missed calls since this instant (ISO), null: not counted. */
  readonly missedSince: string | null;
  /** Also read the extension of this user (the default responsible), if any. */
  readonly alsoUser: string | null;
  /** Read the names of the users found (the caller name's `{responsible}`). */
  readonly names: boolean;
}

/** Everything one `CallerFactsQuery` asked for, read at once. */
export interface CallerFacts {
  readonly contact: CallerContact | null;
  readonly blacklistedBy: string | null;
  readonly deal: CallerDeal | null;
  readonly lead: { readonly id: string; readonly responsibleUserId: string | null } | null;
  readonly lastAgent: string | null;
  readonly missed: number;
  /** The extension of every user named above (the contact's, deal's and lead's owners, the last agent, `alsoUser`). */
  readonly extensions: ReadonlyMap<string, string>;
  /** Their names, when asked for. */
  readonly names: ReadonlyMap<string, string>;
}

/**
 * The NOTIFY_START decision's reads in ONE round trip (PostgreSQL: one statement). Why: read one after the other
 * (contact, then deal, then the owner's extension…) each was a round trip through a shared pool while the phone
 * rang; their queueing behind the ingest's own queries was most of the decision's p99. Absent on SQLite, where
 * each read is a prepared statement run in-process in microseconds.
 */
export interface CallerFactsReader {
  /**
   * `signal`: aborted once the decision stops waiting (its budget spent). A read not yet sent by then — still
   * waiting for a connection — is never sent, and rejects with the signal's reason (`DecisionBudgetSpentError`).
   * Why: a statement run after the PBX has moved on only delays the next callers' decisions.
   */
  read(query: CallerFactsQuery, signal?: AbortSignal): Promise<CallerFacts>;
}

/**
 * The extensions' registration state as last seen (Zadarma's `/v1/pbx/internal/{ext}/status/`, refreshed in the
 * background, and the PBX's own events). Why: the routing chain skips an offline extension without a network
 * call on the reply's path.
 */
export interface ExtensionPresence {
  /** True/false as last seen; null when never seen. */
  online(extension: string): boolean | null;
  /** An extension answered a call (NOTIFY_ANSWER `internal`): its phone is registered now. */
  noteAnswered(extension: string): void;
}

/**
 * Where use cases publish events: the platform's port (platform/events), the bus itself or a unit of work's
 * staging publisher that delivers only after its commit. Why: a handler need not know whether it runs inside
 * a transaction.
 */
export type { EventPublisher } from '../../../platform/events/event-bus.js';

/** The switches and secrets the webhook path reads on every request (cached by the adapter). */
export interface WebhookSettings {
  readonly apiSecret: string | null;
  /** The secret before a planned rotation, while its grace lasts. */
  readonly previousSecret: string | null;
  readonly ipAllowList: {
    readonly enabled: boolean;
    readonly cidrs: readonly string[];
    readonly trustedProxies: readonly string[];
  };
  readonly features: {
    readonly routeToResponsible: boolean;
    readonly callerName: boolean;
    readonly blacklist: boolean;
    /** After the call (issue 12): an ended call's follow-up is queued while either is on (absent: off). */
    readonly autoCreate?: boolean;
    readonly missedCallTasks?: boolean;
  };
  readonly returnTimeout: number;
  readonly defaultResponsibleUserId: string | null;
  readonly routing: RoutingSettings;
  readonly callerNameFormat: CallerNameFormat;
  readonly blacklistAction: 'busy' | 'hangup';
}

/** The account timezone label and whether Zadarma told it (not merely the never-asked default). */
export interface AccountTimezone {
  /** The label (`UTC+3`) Zadarma's `call_start` is written in; `UTC+0` until known. */
  readonly label: string;
  /**
   * Whether Zadarma told that label (domain/zadarma-date-time.ts `isTimezoneConfirmed`). Why not the label alone:
   * a UTC+0 account Zadarma confirmed has the never-asked default's label, and the freshness of a signed
   * `call_start` is judged strictly only for a confirmed timezone.
   */
  readonly confirmed: boolean;
}

/**
 * The telephony and company settings the webhook path reads. Why: verification, routing and processing read
 * them on every notification, from a cache the adapter keeps coherent (never a query per webhook).
 */
export interface TelephonySettingsReader {
  webhookSettings(): Promise<WebhookSettings>;
  /** The company's default country (phone normalisation). */
  defaultCountry(): Promise<string>;
  /**
   * The account timezone: its label and whether Zadarma told it, from one read of the cache. Why one method: the
   * webhook path chooses the freshness window by the pair (one await per notification), which must not mix two
   * versions; callers that need the label alone take `.label`.
   */
  accountTimezone(): Promise<AccountTimezone>;
  /** Counts a webhook verified with the previous secret (shown on the settings page). */
  notePreviousSecretUse(): void;
}

/** A pending click-to-call request a callback's legs belong to. */
export interface CallbackRequest {
  readonly requestId: string;
  readonly userId: string;
  readonly extension: string;
  /** E.164. */
  readonly to: string;
  readonly contactId: string | null;
  /** ISO instant of the click. */
  readonly at: string;
}

/**
 * Matches a callback call to the click-to-call request that started it (Zadarma returns no call id, docs/zadarma-protocol.md
 * §4.2). Why: `callback.status` goes to the user who clicked, on any instance.
 */
export interface CallbackMatcher {
  match(input: {
    readonly pbxCallId: string;
    readonly extension: string | null;
    readonly destinationE164: string | null;
    readonly firstSeenAt: string;
  }): Promise<CallbackRequest | null>;
}

/** One item of a contact's timeline for a finished call (replacing the call's previous item). */
export interface CallTimelineItem {
  readonly callId: string;
  readonly contactId: string;
  readonly actorId: string | null;
  readonly at: string;
  readonly title: string;
  readonly event: { readonly type: string; readonly params: Readonly<Record<string, string | number>> };
  readonly payload: unknown;
}

/** A routing decision on the call's trace. */
export interface RoutingTraceItem {
  readonly callId: string;
  readonly at: string;
  /** The decision in English (logs, the item's body). */
  readonly reason: string;
  readonly reply: unknown;
  /** Each step taken or skipped, as a code and parameters the web renders in the user's language. */
  readonly trace: readonly RoutingTraceStep[];
}

/**
 * Writes what a call leaves on the CRM's timeline. Why: the contact page shows every call once, with its
 * outcome, and the call's trace says what NOTIFY_START decided and why.
 */
export interface CallTimeline {
  /** Writes (or rewrites) the call's item on its contact's timeline. */
  putCall(item: CallTimelineItem): Promise<void>;
  recordRoutingDecision(item: RoutingTraceItem): Promise<void>;
  /**
   * Puts one decision on the call's trace: what a user did from its card (`call.outcome`, `call.linked`) or what
   * the after-call job decided (a task opened or closed, a record created…). The one writer of those items, so
   * the call's page reads every decision from one place with its reason.
   */
  recordDecision(item: CallDecision): Promise<void>;
}

/**
 * A decision on the call's trace: a kind code and its parameters, never pre-rendered text.
 * Why: the web phrases it in the reader's language ("task closed — client answered our call at 14:03").
 */
export interface CallDecision {
  readonly callId: string;
  readonly at: string;
  /** e.g. `callback.task_opened`, `callback.task_closed`, `new_caller.created`, `call.outcome`, `call.linked`. */
  readonly code: string;
  /** The reason, as parameters the web phrases (`{ outcome }`, `{ taskId, owner, assignee }`…). */
  readonly params: Readonly<Record<string, string | number>>;
  /** The user who decided (from the call's card); absent or null for the system. */
  readonly actorId?: string | null;
}

/** What processing one notification uses: every port bound to the unit of work it runs in. */
export interface CallProcessingPorts {
  readonly calls: CallRepository;
  readonly inbox: Pick<InboxRepository, 'markProcessed' | 'markFailed'>;
  readonly contacts: ContactLookup;
  readonly cards: CrmCardReader;
  readonly directory: ExtensionDirectory;
  readonly callbacks: CallbackMatcher;
  readonly timeline: CallTimeline;
  readonly publisher: EventPublisher;
  /** Where a call refused by the blacklist is counted (absent: not counted). */
  readonly blacklist?: Pick<BlacklistRepository, 'countBlocked'>;
  /** Queues the after-call work of an ended call inside the unit of work; absent: no after-call automation. */
  readonly afterCall?: AfterCallScheduler;
  /** NOTIFY_RECORD: the recording is registered and its fetch enqueued in the batch's transaction. */
  readonly recordings: RecordingNotices;
}

/**
 * Runs work atomically: `run(work)` hands `work` the ports bound to one transaction, commits, and only then
 * delivers the events `work` published; on a throw nothing is kept and nothing is told. While another process
 * holds the database's write lock it waits and runs `work` again (never a failure for someone else's lock).
 * Why: a batch of notifications is one commit, and the use case does not open a transaction itself.
 */
export interface UnitOfWork<Ports> {
  run<T>(work: (ports: Ports) => Promise<T>): Promise<T>;
  /**
   * Waits event-loop turns while `size()` still grows (never past `enough`). Why: a group commit takes in what
   * the sockets are delivering under load, and starts at once on a quiet server.
   */
  gather(size: () => number, enough: number): Promise<void>;
}

/** Parameters of a claim of stranded inbox entries (see `InboxClaims`). */
interface ClaimStrandedQuery {
  /** Entries of instances whose heartbeat is older than this are stranded. */
  readonly leaseExpiredBefore: string;
  /** Entries owned by nobody and received before this are stranded. */
  readonly receivedBefore: string;
  readonly limit: number;
}

/**
 * Takes over the inbox entries a dead instance (or a previous run) accepted but did not process.
 * Why: the inbox is the durable copy; any live instance must finish what a stopped one acknowledged.
 */
export interface InboxClaims {
  /** This instance's id (the owner stamped on the entries it receives). */
  readonly instanceId: string;
  /** Renews this instance's heartbeat. */
  beat(at: string): Promise<void>;
  /** Claims, atomically and oldest first, stranded `received` entries for this instance. */
  claim(query: ClaimStrandedQuery): Promise<InboxEntry[]>;
  /** How long an instance stays alive without a heartbeat. */
  readonly leaseMs: number;
}

/**
 * What the provider's notifications mean in the domain: Zadarma's verified wire events → `CallEvent`s, and
 * whether one is fresh. Why: the only code that knows Zadarma's field names is its adapter (adapters/zadarma).
 */
export interface ProviderEvents {
  /** The domain event of a call notification, null for events that are not about a call's progress. */
  toCallEvent(
    event: TWebhookEvent,
    context: { readonly timezone: string; readonly receivedAt: string },
  ): CallEvent | null;
  /** The transcript a verified SPEECH_RECOGNITION carries; null for any other event (or one naming no id). */
  toTranscriptNotice(event: TWebhookEvent, receivedAt: string): TranscriptNotice | null;
  /** Whether the notification's signed `call_start` is within the window (domain/call-freshness.ts) at `now`. */
  freshness(
    event: TWebhookEvent,
    timezone: string,
    now: number,
    window: { readonly maxAgeMs?: number; readonly maxSkewMs?: number },
  ): Freshness;
}
