/**
 * The reply to NOTIFY_START within a hard budget (docs/zadarma-protocol.md §6.3, ARCHITECTURE data flow 2):
 * caller → contact (E.164 index) → responsible user → extension, the blacklist and the caller's name, then the
 * pure `decideRouting`. On any error or when the budget runs out the reply is `{}`: the PBX scenario runs and
 * the CRM can never drop a call. The caller looked up here travels on with the event, so processing neither
 * normalises nor looks it up again; once the call exists, `recordRoutingDecision` puts the decision on its trace.
 */
import { callControlReplyJson, type TNotifyStart } from '@switchboard/zadarma';
import { decideRouting, type RoutingDecision } from '../domain/routing-policy.js';
import type {
  Blacklist,
  CallerLookup,
  CallTimeline,
  ContactLookup,
  ExtensionDirectory,
  StoredCall,
  TelephonySettingsReader,
  WebhookSettings,
} from '../ports.js';

/** The whole NOTIFY_START reply's budget, from the request's arrival to the answer. */
export const DEFAULT_START_BUDGET_MS = 300;

/** What the decision reads. */
export interface CallRoutingPorts {
  readonly contacts: ContactLookup;
  readonly directory: ExtensionDirectory;
  readonly blacklist: Blacklist;
  readonly settings: Pick<TelephonySettingsReader, 'defaultCountry'>;
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

async function lookUpAndDecide(
  ports: CallRoutingPorts,
  input: CallRoutingInput,
  found: (caller: CallerLookup) => void,
): Promise<RoutingDecision> {
  const { event, settings } = input;
  const country = await ports.settings.defaultCountry();
  const caller = await ports.contacts.findCaller(event.caller_id, country);
  found(caller);
  const contact = caller.contact;
  const [responsibleExtension, blacklisted] = await Promise.all([
    contact?.responsibleUserId ? ports.directory.extensionOf(contact.responsibleUserId) : null,
    caller.e164 && settings.features.blacklist ? ports.blacklist.isBlacklisted(caller.e164) : false,
  ]);
  return decideRouting({
    callerNumber: event.caller_id,
    contact: contact
      ? {
          name: contact.displayName,
          company: contact.companyName,
          responsibleExtension,
          doNotCall: contact.doNotCall,
        }
      : null,
    blacklisted,
    switches: {
      routeToResponsible: settings.features.routeToResponsible,
      callerName: settings.features.callerName,
      blacklist: settings.features.blacklist,
    },
    returnTimeout: settings.returnTimeout,
    // Asking Zadarma for the registration state would leave the budget to the network (§6.3).
    extensionOnline: null,
  });
}

function pbxScenario(reason: string, caller: CallerLookup | null): StartReply {
  return { json: '{}', decision: { reply: {}, reason }, caller };
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
    return pbxScenario('decision budget spent before the lookup: PBX scenario', caller);
  }
  let timer: NodeJS.Timeout | undefined;
  const budget = new Promise<RoutingDecision>((resolve) => {
    timer = setTimeout(
      () => resolve({ reply: {}, reason: `decision budget exceeded (${budgetMs} ms left): PBX scenario` }),
      budgetMs,
    );
  });
  let decision: RoutingDecision;
  try {
    decision = await Promise.race([
      lookUpAndDecide(ports, input, (found) => {
        caller = found;
      }).catch(
        (error: unknown): RoutingDecision => ({
          reply: {},
          reason: `lookup failed (${error instanceof Error ? error.message : String(error)}): PBX scenario`,
        }),
      ),
      budget,
    ]);
  } finally {
    clearTimeout(timer);
  }
  try {
    return { json: callControlReplyJson({ ...decision.reply }), decision, caller };
  } catch (error) {
    return pbxScenario(`reply refused by the builder (${(error as Error).message}): PBX scenario`, caller);
  }
}

/**
 * Puts the NOTIFY_START decision on the call's trace: what was answered and why (`call.routing`).
 * Why: the decision is recorded by the use case that made it, once processing has created the call.
 */
export async function recordRoutingDecision(
  ports: { readonly timeline: CallTimeline },
  call: StoredCall,
  routing: CallRouting,
  at: string,
): Promise<void> {
  await ports.timeline.recordRoutingDecision({
    callId: call.id,
    at,
    reason: routing.decision.reason,
    reply: routing.decision.reply,
  });
}
