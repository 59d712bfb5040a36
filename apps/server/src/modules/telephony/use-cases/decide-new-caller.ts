/**
 * A call with a number the CRM does not know (issue 12, item 6): the first matching rule decides — nothing, the
 * new-callers inbox, or a contact, lead or deal named from the number and assigned to the agent who talked or
 * the default responsible. Never for our own numbers or extensions (an extension has no E.164 and never gets
 * here), nor for a caller our reply refused (the blacklist), never twice for one number (one claim per number), and under a create rule a call that looks like spam (a
 * hang-up within seconds of answering, or the number's repeated very short calls) waits in the inbox instead of
 * becoming a record; the number's next real conversation, or a person, still creates it.
 */
import type { SystemActor } from '../../../platform/auth/actor.js';
import { holdsAsSpam, isShortCall, matchNewCallerRule } from '../domain/after-call-policy.js';
import type { AfterCallSettings, AfterCallWork, ClientOwners, StoredCall } from '../ports.js';

/**
 * Applies the new-caller rules to `call` and puts the decision on its trace; true when it created a record.
 * `owners`: the number's owner chain when the caller read it already (else read here). `ownNumber`: whether the
 * number is one of the account's, asked by the caller before its transaction (the answer may come from Zadarma).
 */
export async function decideNewCaller(
  ports: Pick<AfterCallWork, 'clients' | 'newCallers' | 'timeline' | 'clock'>,
  input: {
    readonly call: StoredCall;
    readonly e164: string;
    readonly settings: AfterCallSettings;
    readonly actor: SystemActor;
    readonly owners?: ClientOwners;
    readonly ownNumber: boolean;
  },
): Promise<boolean> {
  const { call, e164, settings } = input;
  const at = new Date(ports.clock.now()).toISOString();
  const trace = (code: string, params: Record<string, string | number> = {}) =>
    ports.timeline.recordDecision({ callId: call.id, at, code, params });
  const owners = input.owners ?? (await ports.clients.ownersOf(e164));
  if (owners.contactId !== null) {
    return false;
  }
  if (input.ownNumber) {
    await trace('new_caller.own_number');
    return false;
  }
  if (call.blacklisted) {
    // Our reply refused the caller: someone blocked this number, so no record and no inbox entry either.
    await trace('new_caller.blacklisted');
    return false;
  }
  const rule = matchNewCallerRule(settings.newCallerRules, call);
  if (!rule || rule.action === 'none') {
    await trace('new_caller.no_rule');
    return false;
  }
  const { caller, counted } = await ports.newCallers.noteCall({
    callId: call.id,
    clientE164: e164,
    at: call.startedAt ?? call.createdAt,
    direction: call.direction === 'outbound' ? 'outbound' : 'inbound',
    status: call.status,
    short: isShortCall(call),
    agentUserId: call.agentUserId,
  });
  if (!counted) {
    return false;
  }
  if (caller.status !== 'pending') {
    await trace('new_caller.already_decided', { status: caller.status });
    return false;
  }
  if (rule.action === 'inbox') {
    await trace('new_caller.inbox', { calls: caller.calls });
    return false;
  }
  if (holdsAsSpam(caller, call)) {
    await trace('new_caller.spam_hint', { calls: caller.calls, shortCalls: caller.shortCalls });
    return false;
  }
  const ownerId =
    rule.assignTo === 'agent'
      ? (call.agentUserId ?? settings.defaultResponsibleUserId)
      : settings.defaultResponsibleUserId;
  const created = await ports.newCallers.createRecord({
    clientE164: e164,
    kind: rule.action,
    pipelineId: rule.pipelineId,
    stageId: rule.stageId,
    ownerId,
    at,
    actor: input.actor,
  });
  if (!created) {
    await trace('new_caller.already_decided', { status: 'created' });
    return false;
  }
  await trace('new_caller.created', { recordType: created.type, recordId: created.id });
  return true;
}
