/**
 * The reply to NOTIFY_START within a hard budget (docs/zadarma-protocol.md §6.3, issue 12 §7, §8, §10): caller →
 * contact (E.164 index) → the blacklist, then the routing chain's facts (open deal, open lead, contact, last agent,
 * default responsible → extension, presence, working hours) and the caller's name, then the pure `decideRouting`.
 * Only the enabled steps are looked up, each one indexed read. On any error or when the budget runs out the reply
 * is `{}`: the PBX scenario runs and the CRM can never drop a call. The caller looked up here travels on with the
 * event, so processing neither normalises nor looks it up again; once the call exists, `recordRoutingDecision`
 * puts the decision on its trace.
 */
import { callControlReplyJson, type TNotifyStart } from '@switchboard/zadarma';
import { type CALLER_NAME_FIELDS, renderCallerName, VIP_MARK } from '../domain/caller-name-template.js';
import {
  decideRouting,
  decisionOf,
  type RouteCandidate,
  type RoutingDecision,
  type RoutingStepName,
  type RoutingTraceStep,
} from '../domain/routing-policy.js';
import { isWithinWorkingHours } from '../domain/working-hours.js';
import { parseTimezoneOffset } from '../domain/zadarma-date-time.js';
import type {
  Blacklist,
  BlacklistRepository,
  CallerContact,
  CallerDeal,
  CallerFacts,
  CallerFactsQuery,
  CallerFactsReader,
  CallerHistory,
  CallerLookup,
  CallTimeline,
  Clock,
  ContactLookup,
  ExtensionDirectory,
  ExtensionPresence,
  StoredCall,
  TelephonySettingsReader,
  WebhookSettings,
} from '../ports.js';
import { DecisionBudgetSpentError } from '../ports.js';

/** The whole NOTIFY_START reply's budget, from the request's arrival to the answer. */
export const DEFAULT_START_BUDGET_MS = 300;

const DAY_MS = 24 * 60 * 60 * 1000;
/** The caller-name fields that read the open deal. */
const DEAL_FIELDS = /\{\s*(dealStage|vip)\s*\}/;
/** The caller-name field that reads the responsible user's name. */
const RESPONSIBLE_FIELD = /\{\s*responsible\s*\}/;

/** What the decision reads. */
export interface CallRoutingPorts {
  readonly contacts: ContactLookup;
  readonly directory: ExtensionDirectory;
  readonly blacklist: Blacklist;
  readonly history: CallerHistory;
  readonly presence: ExtensionPresence;
  readonly clock: Clock;
  readonly settings: Pick<TelephonySettingsReader, 'defaultCountry' | 'accountTimezone'>;
  /**
   * Every read above in one round trip (PostgreSQL); the reads above then answer from it. Absent (SQLite, tests),
   * each read goes to its own port.
   */
  readonly facts?: CallerFactsReader | undefined;
}

/** What the verified request already knows when the decision starts (read once per request). */
export interface CallRoutingInput {
  readonly event: TNotifyStart;
  readonly settings: WebhookSettings;
  /** What remains of the reply's budget, in ms (≤ 0: answer `{}` at once). */
  readonly budgetMs: number;
}

/** The NOTIFY_START decision as it is carried to processing. */
export interface CallRouting {
  readonly decision: RoutingDecision;
  /** The caller as looked up (null when the lookup did not finish within the budget or failed). */
  readonly caller: CallerLookup | null;
}

export interface StartReply extends CallRouting {
  /** The JSON body sent to Zadarma. */
  readonly json: string;
}

/** Start of the account's day (its timezone label, `UTC+3`) containing `now`, as ISO. */
function startOfDay(now: number, timezoneLabel: string): string {
  let offsetMs = 0;
  try {
    offsetMs = parseTimezoneOffset(timezoneLabel) * 60_000;
  } catch {
    offsetMs = 0;
  }
  return new Date(Math.floor((now + offsetMs) / DAY_MS) * DAY_MS - offsetMs).toISOString();
}

interface Owner {
  readonly userId: string | null;
  readonly recordId: string | null;
}

/** The owner one step names, looking up only what it needs. */
async function ownerOf(
  step: RoutingStepName,
  ports: CallRoutingPorts,
  settings: WebhookSettings,
  contact: CallerContact | null,
  deal: () => Promise<CallerDeal | null>,
  now: number,
): Promise<Owner> {
  switch (step) {
    case 'deal': {
      const found = contact ? await deal() : null;
      return { userId: found?.responsibleUserId ?? null, recordId: found?.id ?? null };
    }
    case 'lead': {
      const found = contact ? await ports.history.openLeadOf(contact.id) : null;
      return { userId: found?.responsibleUserId ?? null, recordId: found?.id ?? null };
    }
    case 'contact':
      return { userId: contact?.responsibleUserId ?? null, recordId: contact?.id ?? null };
    case 'lastAgent': {
      const since = new Date(now - settings.routing.lastAgentDays * DAY_MS).toISOString();
      return { userId: contact ? await ports.history.lastAgentOf(contact.id, since) : null, recordId: null };
    }
    case 'defaultResponsible':
      return { userId: settings.defaultResponsibleUserId, recordId: null };
  }
}

async function candidatesOf(
  ports: CallRoutingPorts,
  settings: WebhookSettings,
  contact: CallerContact | null,
  deal: () => Promise<CallerDeal | null>,
  now: number,
): Promise<RouteCandidate[]> {
  const candidates: RouteCandidate[] = [];
  for (const { step, enabled } of settings.routing.steps) {
    if (!enabled) {
      continue;
    }
    const owner = await ownerOf(step, ports, settings, contact, deal, now);
    const extension = owner.userId ? await ports.directory.extensionOf(owner.userId) : null;
    const hours = owner.userId ? settings.routing.workingHours[owner.userId] : undefined;
    candidates.push({
      step,
      userId: owner.userId,
      recordId: owner.recordId,
      extension,
      online: extension ? ports.presence.online(extension) : null,
      withinHours: hours ? isWithinWorkingHours(hours, now) : true,
    });
    if (
      extension &&
      ports.presence.online(extension) !== false &&
      (!hours || isWithinWorkingHours(hours, now))
    ) {
      // The chain stops at the first owner who can take the call: later steps need no lookup.
      break;
    }
  }
  return candidates;
}

async function callerNameOf(
  ports: CallRoutingPorts,
  settings: WebhookSettings,
  caller: CallerLookup,
  deal: () => Promise<CallerDeal | null>,
  now: number,
): Promise<string> {
  const format = settings.callerNameFormat;
  const contact = caller.contact;
  if (contact) {
    const needsDeal = DEAL_FIELDS.test(format.template);
    const open = needsDeal ? await deal() : null;
    const needsResponsible = RESPONSIBLE_FIELD.test(format.template);
    const responsible =
      needsResponsible && contact.responsibleUserId
        ? await ports.directory.nameOf(contact.responsibleUserId)
        : null;
    const values: Record<(typeof CALLER_NAME_FIELDS)[number], string | null> = {
      contact: contact.displayName,
      company: contact.companyName,
      dealStage: open?.stageName ?? null,
      vip: open && format.vipAmount !== null && open.amount >= format.vipAmount ? VIP_MARK : null,
      responsible,
      number: caller.number,
    };
    return renderCallerName(format.template, values, format);
  }
  let label = format.unknownLabel;
  let missed = 0;
  if (format.missedLabel && caller.e164) {
    const since = startOfDay(now, (await ports.settings.accountTimezone()).label);
    missed = await ports.history.missedFrom(caller.e164, since);
    if (missed > 0) {
      label = format.missedLabel;
    }
  }
  return label ? renderCallerName(label, { number: caller.number, missed: String(missed) }, format) : '';
}

/** What the decision below will read for this caller with these settings, as one `CallerFactsQuery`. */
async function factsQueryOf(
  ports: CallRoutingPorts,
  settings: WebhookSettings,
  e164: string,
  now: number,
): Promise<CallerFactsQuery> {
  const { features, callerNameFormat } = settings;
  const steps = features.routeToResponsible
    ? new Set(settings.routing.steps.filter((s) => s.enabled).map((s) => s.step))
    : new Set<RoutingStepName>();
  return {
    e164,
    blacklistAt: features.blacklist ? new Date(now).toISOString() : null,
    deal: steps.has('deal') || (features.callerName && DEAL_FIELDS.test(callerNameFormat.template)),
    lead: steps.has('lead'),
    lastAgentSince: steps.has('lastAgent')
      ? new Date(now - settings.routing.lastAgentDays * DAY_MS).toISOString()
      : null,
    missedSince:
      features.callerName && callerNameFormat.missedLabel
        ? startOfDay(now, (await ports.settings.accountTimezone()).label)
        : null,
    alsoUser: steps.has('defaultResponsible') ? settings.defaultResponsibleUserId : null,
    names: features.callerName && RESPONSIBLE_FIELD.test(callerNameFormat.template),
  };
}

/**
 * `ports` whose reads answer from `facts` (read for `query`); any read the query did not cover still goes to its
 * own port. Why: the decision below stays one piece of code whether its reads arrive one by one or at once.
 */
function answeredFrom(
  ports: CallRoutingPorts,
  query: CallerFactsQuery,
  facts: CallerFacts,
): CallRoutingPorts {
  const { contacts, blacklist, history, directory } = ports;
  const contactId = facts.contact?.id ?? null;
  const users = new Set(
    [
      facts.contact?.responsibleUserId,
      query.deal ? facts.deal?.responsibleUserId : null,
      query.lead ? facts.lead?.responsibleUserId : null,
      facts.lastAgent,
      query.alsoUser,
    ].filter((id): id is string => typeof id === 'string'),
  );
  return {
    ...ports,
    contacts: {
      ...contacts,
      findCaller: (rawNumber, country) =>
        contacts.e164Of(rawNumber, country) === query.e164
          ? Promise.resolve({ number: rawNumber, e164: query.e164, contact: facts.contact })
          : contacts.findCaller(rawNumber, country),
    },
    blacklist: {
      matchCaller: (e164, at) =>
        e164 === query.e164 && at === query.blacklistAt
          ? Promise.resolve(facts.blacklistedBy)
          : blacklist.matchCaller(e164, at),
    },
    history: {
      ...history,
      openDealOf: (id) =>
        query.deal && id === contactId ? Promise.resolve(facts.deal) : history.openDealOf(id),
      openLeadOf: (id) =>
        query.lead && id === contactId ? Promise.resolve(facts.lead) : history.openLeadOf(id),
      lastAgentOf: (id, since) =>
        id === contactId && since === query.lastAgentSince
          ? Promise.resolve(facts.lastAgent)
          : history.lastAgentOf(id, since),
      missedFrom: (e164, since) =>
        contactId === null && e164 === query.e164 && since === query.missedSince
          ? Promise.resolve(facts.missed)
          : history.missedFrom(e164, since),
    },
    directory: {
      ...directory,
      extensionOf: (userId) =>
        users.has(userId)
          ? Promise.resolve(facts.extensions.get(userId) ?? null)
          : directory.extensionOf(userId),
      nameOf: (userId) =>
        query.names && users.has(userId)
          ? Promise.resolve(facts.names.get(userId) ?? null)
          : directory.nameOf(userId),
    },
  };
}

async function lookUpAndDecide(
  reading: CallRoutingPorts,
  input: CallRoutingInput,
  found: (caller: CallerLookup) => void,
): Promise<RoutingDecision> {
  const { event, settings } = input;
  const now = reading.clock.now();
  const country = await reading.settings.defaultCountry();
  const { features } = settings;
  // With a facts reader (PostgreSQL), everything below is read in one round trip first.
  const number = reading.contacts.e164Of(event.caller_id, country);
  let ports = reading;
  if (reading.facts && number) {
    const query = await factsQueryOf(reading, settings, number, now);
    ports = answeredFrom(reading, query, await reading.facts.read(query));
  }
  // The blacklist needs only the number, not the contact: both reads go out together (on PostgreSQL each is a
  // round trip, and the phone is ringing).
  const e164 = ports.contacts.e164Of(event.caller_id, country);
  const blacklisting =
    e164 && features.blacklist
      ? ports.blacklist.matchCaller(e164, new Date(now).toISOString())
      : Promise.resolve(null);
  // Awaited below; until then a failure must not surface as an unhandled rejection.
  blacklisting.catch(() => {});
  const caller = await ports.contacts.findCaller(event.caller_id, country);
  found(caller);
  const contact = caller.contact;
  // The open deal serves both the chain's first step and the name's `{dealStage}` / `{vip}`: read it once,
  // and when either will need it, start reading it now, alongside the blacklist.
  let dealRead: Promise<CallerDeal | null> | null = null;
  const deal = () => {
    dealRead ??= contact ? ports.history.openDealOf(contact.id) : Promise.resolve(null);
    return dealRead;
  };
  const dealNeeded =
    contact !== null &&
    ((features.routeToResponsible && settings.routing.steps.some((s) => s.step === 'deal' && s.enabled)) ||
      (features.callerName && DEAL_FIELDS.test(settings.callerNameFormat.template)));
  if (dealNeeded) {
    deal().catch(() => {});
  }
  const blacklistedBy = await blacklisting;
  const base = {
    callerNumber: event.caller_id,
    contactId: contact?.id ?? null,
    blacklistedBy,
    switches: {
      routeToResponsible: features.routeToResponsible,
      callerName: features.callerName,
      blacklist: features.blacklist,
    },
    blacklistAction: settings.blacklistAction,
    returnTimeout: settings.returnTimeout,
  };
  if (blacklistedBy !== null) {
    return decideRouting({ ...base, candidates: [], callerName: null });
  }
  const [candidates, callerName] = await Promise.all([
    // The chain is for known callers: an unknown number keeps the PBX's own scenario (its ring group or menu),
    // where every agent sees it and the new-callers rules take it from there.
    features.routeToResponsible && contact ? candidatesOf(ports, settings, contact, deal, now) : [],
    features.callerName ? callerNameOf(ports, settings, caller, deal, now) : null,
  ]);
  return decideRouting({ ...base, candidates, callerName });
}

function pbxScenario(decision: RoutingDecision, caller: CallerLookup | null): StartReply {
  return { json: '{}', decision: { ...decision, reply: {} }, caller };
}

/**
 * The ports with every database read refused once `budget` is aborted: a decision that lost the race against its
 * budget stops there instead of going on reading for an answer nobody waits for. The facts reader also gets the
 * signal, so its read, when already waiting for a connection, is dropped before it is sent.
 * Why: on PostgreSQL those reads queued on the reply pool ahead of the next calls' own, and once one call was
 * late every later one was too.
 */
function untilSpent(ports: CallRoutingPorts, budget: AbortSignal): CallRoutingPorts {
  const guard =
    <A extends unknown[], R>(read: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      budget.aborted ? Promise.reject(budget.reason) : read(...args);
  const { contacts, blacklist, history, directory, facts } = ports;
  return {
    ...ports,
    ...(facts ? { facts: { read: guard((query: CallerFactsQuery) => facts.read(query, budget)) } } : {}),
    contacts: { ...contacts, findCaller: guard(contacts.findCaller.bind(contacts)) },
    blacklist: { ...blacklist, matchCaller: guard(blacklist.matchCaller.bind(blacklist)) },
    history: {
      ...history,
      openDealOf: guard(history.openDealOf.bind(history)),
      openLeadOf: guard(history.openLeadOf.bind(history)),
      lastAgentOf: guard(history.lastAgentOf.bind(history)),
      missedFrom: guard(history.missedFrom.bind(history)),
    },
    directory: {
      ...directory,
      extensionOf: guard(directory.extensionOf.bind(directory)),
      nameOf: guard(directory.nameOf.bind(directory)),
    },
  };
}

/**
 * Decides the reply to NOTIFY_START, `{}` once `input.budgetMs` has run out or on any failure.
 * Why: the PBX waits for this answer while the caller hears ringing.
 */
export async function decideStartReply(
  ports: CallRoutingPorts,
  input: CallRoutingInput,
): Promise<StartReply> {
  const budgetMs = input.budgetMs;
  let caller: CallerLookup | null = null;
  if (budgetMs <= 0) {
    return pbxScenario(decisionOf({}, [{ code: 'budgetSpent', params: {} }]), caller);
  }
  let timer: NodeJS.Timeout | undefined;
  // Aborted when the budget runs out, with the error every read refused from then on rejects with. Why a signal
  // and not a deadline handed to the reads: this timer alone says when the decision stops waiting; a deadline
  // compared against another clock in an adapter could send a read the decision had already given up on.
  const spent = new AbortController();
  const timedOut = (): RoutingDecision => decisionOf({}, [{ code: 'timeout', params: { budgetMs } }]);
  const budget = new Promise<RoutingDecision>((resolve) => {
    timer = setTimeout(() => {
      resolve(timedOut());
      spent.abort(new DecisionBudgetSpentError(budgetMs));
    }, budgetMs);
  });
  let decision: RoutingDecision;
  try {
    decision = await Promise.race([
      lookUpAndDecide(untilSpent(ports, spent.signal), input, (found) => {
        caller = found;
      }).catch(
        (error: unknown): RoutingDecision =>
          error instanceof DecisionBudgetSpentError
            ? timedOut()
            : decisionOf({}, [
                {
                  code: 'lookupFailed',
                  params: { error: error instanceof Error ? error.message : String(error) },
                },
              ]),
      ),
      budget,
    ]);
  } finally {
    clearTimeout(timer);
  }
  try {
    return { json: callControlReplyJson({ ...decision.reply }), decision, caller };
  } catch (error) {
    return pbxScenario(
      decisionOf({}, [
        ...decision.trace,
        { code: 'lookupFailed', params: { error: `reply refused: ${(error as Error).message}` } },
      ]),
      caller,
    );
  }
}

/**
 * The reply once storing the event outlasted the budget the decision had (`budgetMs`): `{}`, since the PBX has
 * moved on to its own scenario, with the trace saying so; the caller looked up is kept for processing.
 * Why: the decision runs while the event is stored and the reply waits for both; a decision answered after
 * the PBX stopped listening must not stand on the call's trace as what happened.
 */
export function pastBudget(start: StartReply, budgetMs: number): StartReply {
  if (start.json === '{}') {
    return start;
  }
  return pbxScenario(
    decisionOf({}, [...start.decision.trace, { code: 'timeout', params: { budgetMs } }]),
    start.caller,
  );
}

/**
 * The reply once the refusal it carried could not be stored on its inbox entry (`error`): `{}`, the PBX's
 * scenario, with the trace saying why. Why: a refusal held only in memory is lost by a crash before processing
 * (the caller then folded as an ordinary missed call); nothing is answered that is not stored.
 */
export function refusalNotStored(start: StartReply, error: unknown): StartReply {
  const message = error instanceof Error ? error.message : String(error);
  return pbxScenario(
    decisionOf({}, [
      ...start.decision.trace,
      { code: 'lookupFailed', params: { error: `refusal not stored: ${message}` } },
    ]),
    start.caller,
  );
}

/**
 * Puts the NOTIFY_START decision on the call's trace: what was answered and why, step by step.
 * Why: the decision is recorded by the use case that made it, once processing has created the call.
 */
export async function recordRoutingDecision(
  ports: {
    readonly timeline: CallTimeline;
    readonly directory: Pick<ExtensionDirectory, 'nameOf'>;
    readonly blacklist?: Pick<BlacklistRepository, 'countBlocked'> | undefined;
  },
  call: StoredCall,
  routing: CallRouting,
  at: string,
): Promise<void> {
  const names = new Map<string, string | null>();
  const trace: RoutingTraceStep[] = [];
  for (const step of routing.decision.trace) {
    const userId = step.params.userId;
    if (typeof userId === 'string') {
      // The name as it was when the call rang, so the trace reads the same after a rename or a deletion.
      if (!names.has(userId)) {
        names.set(userId, await ports.directory.nameOf(userId));
      }
      trace.push({ ...step, params: { ...step.params, user: names.get(userId) ?? '' } });
    } else {
      trace.push(step);
    }
  }
  const blocked = trace.find((step) => step.code === 'blacklisted');
  if (blocked && ports.blacklist) {
    await ports.blacklist.countBlocked(String(blocked.params.entry), at);
  }
  await ports.timeline.recordRoutingDecision({
    callId: call.id,
    at,
    reason: routing.decision.reason,
    reply: routing.decision.reply,
    trace,
  });
}
