/**
 * The reply to NOTIFY_START within a hard budget (docs/zadarma-protocol.md §6.3, ARCHITECTURE data flow 1): caller →
 * contact (E.164 index) → responsible user → extension, the blacklist and the caller's name, then the pure
 * `decideRouting`. On any error or when the budget runs out the reply is `{}`: the PBX scenario runs and the
 * CRM can never drop a call.
 */
import { callControlReplyJson, type TNotifyStart } from '@switchboard/zadarma';
import { findContactByPhone } from '../../crm/contacts/find-contact-by-phone.js';
import { normalizePhone } from '../../crm/phones/normalize-phone.js';
import { decideRouting, type RoutingDecision } from '../domain/routing-policy.js';
import type { TelephonyServices } from '../telephony-services.js';

export const DEFAULT_START_BUDGET_MS = 300;

export interface StartReply {
  /** The JSON body sent to Zadarma. */
  readonly json: string;
  readonly decision: RoutingDecision;
}

async function lookUpAndDecide(services: TelephonyServices, event: TNotifyStart): Promise<RoutingDecision> {
  const settings = await services.runtime.settings();
  const country = await services.defaultCountry();
  const caller = event.caller_id;
  const e164 = normalizePhone(caller, country);
  const [contact, blacklisted] = await Promise.all([
    findContactByPhone(services.database, caller, country),
    e164 ? services.blacklist.isBlacklisted(e164) : Promise.resolve(false),
  ]);
  const [responsibleExtension, company] = await Promise.all([
    contact?.responsibleUserId
      ? services.assignments.findExtension(contact.responsibleUserId)
      : Promise.resolve(null),
    contact?.companyId && settings.features.callerName
      ? services.db
          .selectFrom('companies')
          .select('name')
          .where('id', '=', contact.companyId)
          .executeTakeFirst()
      : Promise.resolve(undefined),
  ]);
  return decideRouting({
    callerNumber: caller,
    contact: contact
      ? {
          name: contact.displayName,
          company: company?.name ?? null,
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

/**
 * Decides the reply to NOTIFY_START, `{}` after `budgetMs` or on any failure.
 * Why: the PBX waits for this answer while the caller hears ringing.
 */
export async function decideStartReply(
  services: TelephonyServices,
  event: TNotifyStart,
  budgetMs: number = DEFAULT_START_BUDGET_MS,
): Promise<StartReply> {
  let timer: NodeJS.Timeout | undefined;
  const budget = new Promise<RoutingDecision>((resolve) => {
    timer = setTimeout(
      () => resolve({ reply: {}, reason: `decision budget of ${budgetMs} ms exceeded: PBX scenario` }),
      budgetMs,
    );
  });
  let decision: RoutingDecision;
  try {
    decision = await Promise.race([
      lookUpAndDecide(services, event).catch(
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
    return { json: callControlReplyJson({ ...decision.reply }), decision };
  } catch (error) {
    const reason = `reply refused by the builder (${(error as Error).message}): PBX scenario`;
    return { json: '{}', decision: { reply: {}, reason } };
  }
}
