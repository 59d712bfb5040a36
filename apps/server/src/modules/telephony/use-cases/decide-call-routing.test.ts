import type { TNotifyStart } from '@switchboard/zadarma';
import { describe, expect, it } from 'vitest';
import { decisionOf } from '../domain/routing-policy.js';
import { DecisionBudgetSpentError } from '../ports.js';
import { createInMemoryWebhookPorts } from '../test-support/in-memory-webhook-ports.js';
import { decideStartReply, recordRoutingDecision } from './decide-call-routing.js';

const JEAN = {
  id: 'contact-jean',
  displayName: 'Jean Dupont',
  responsibleUserId: 'user-olga',
  companyName: 'Acme',
  doNotCall: false,
  phones: ['+33612345678'],
};

function start(callerId: string): TNotifyStart {
  return {
    event: 'NOTIFY_START',
    call_start: '2026-01-15 12:00:00',
    pbx_call_id: 'in_routing_unit',
    caller_id: callerId,
    called_did: '442037691999',
  } as TNotifyStart;
}

function setUp() {
  const t = createInMemoryWebhookPorts({ contacts: [JEAN] });
  t.directory.assign('101', 'user-olga', 'Olga');
  return t;
}

describe('decide-call-routing (NOTIFY_START)', () => {
  it('routes a known caller to the responsible user’s extension and names them, carrying the lookup', async () => {
    const t = setUp();
    const settings = await t.settings.webhookSettings();
    const reply = await decideStartReply(t.ports, { event: start('33612345678'), settings, budgetMs: 300 });
    expect(JSON.parse(reply.json)).toEqual({
      redirect: '101',
      return_timeout: 20,
      caller_name: expect.stringContaining('Jean Dupont'),
    });
    expect(reply.caller).toEqual({
      number: '33612345678',
      e164: '+33612345678',
      contact: expect.objectContaining({ id: 'contact-jean', responsibleUserId: 'user-olga' }),
    });
    expect(t.contacts.lookups).toEqual(['33612345678']);
  });

  it('sends a blacklisted caller to the blacklist, and leaves an unknown one to the PBX', async () => {
    const t = setUp();
    const settings = await t.settings.webhookSettings();
    await t.blacklist.add({ e164: '+33699999999' });
    const blocked = await decideStartReply(t.ports, { event: start('33699999999'), settings, budgetMs: 300 });
    expect(JSON.parse(blocked.json)).toEqual({ redirect: 'blacklist' });
    const unknown = await decideStartReply(t.ports, { event: start('33611111111'), settings, budgetMs: 300 });
    expect(unknown.json).toBe('{}');
    expect(unknown.caller?.contact).toBeNull();
  });

  it('answers {} at once, without a lookup, when the budget was spent before the decision', async () => {
    const t = setUp();
    const settings = await t.settings.webhookSettings();
    const reply = await decideStartReply(t.ports, { event: start('33612345678'), settings, budgetMs: 0 });
    expect(reply).toMatchObject({ json: '{}', caller: null });
    expect(reply.decision.reason).toMatch(/budget spent/);
    expect(t.contacts.lookups).toEqual([]);
  });

  it('answers {} when a lookup fails or never answers within what is left of the budget', async () => {
    const t = setUp();
    const settings = await t.settings.webhookSettings();
    const failing = {
      ...t.ports,
      directory: { ...t.directory, extensionOf: async () => Promise.reject(new Error('down')) },
    };
    const failed = await decideStartReply(failing, { event: start('33612345678'), settings, budgetMs: 300 });
    expect(failed.json).toBe('{}');
    expect(failed.decision.reason).toMatch(/lookup failed \(down\)/);
    // Looked up before the failure: processing still gets the caller.
    expect(failed.caller?.contact?.id).toBe('contact-jean');
    const hanging = { ...t.ports, blacklist: { matchCaller: () => new Promise<string | null>(() => {}) } };
    const late = await decideStartReply(hanging, { event: start('33612345678'), settings, budgetMs: 5 });
    expect(late.json).toBe('{}');
    expect(late.decision.reason).toMatch(/budget exceeded/);
  });

  it('stops reading once the budget is spent: a late decision queues no more reads behind the next calls', async () => {
    const t = setUp();
    const settings = await t.settings.webhookSettings();
    const reads: string[] = [];
    const slow = {
      ...t.ports,
      contacts: {
        ...t.ports.contacts,
        findCaller: async (raw: string, country: string) => {
          await new Promise((r) => setTimeout(r, 30));
          return t.ports.contacts.findCaller(raw, country);
        },
      },
      history: {
        ...t.ports.history,
        openDealOf: async (id: string) => {
          reads.push('deal');
          return t.ports.history.openDealOf(id);
        },
      },
      directory: {
        ...t.ports.directory,
        extensionOf: async (id: string) => {
          reads.push('extension');
          return t.ports.directory.extensionOf(id);
        },
      },
    };
    const reply = await decideStartReply(slow, { event: start('33612345678'), settings, budgetMs: 5 });
    expect(reply.json).toBe('{}');
    expect(reply.decision.reason).toMatch(/budget exceeded/);
    // The slow lookup finishes after the reply; nothing is read after it.
    await new Promise((r) => setTimeout(r, 60));
    expect(reads).toEqual([]);
  });

  it('hands its facts read the budget as a signal, aborted with DecisionBudgetSpentError once the budget is spent', async () => {
    const t = setUp();
    const settings = await t.settings.webhookSettings();
    const signals: (AbortSignal | undefined)[] = [];
    const waiting = {
      ...t.ports,
      facts: {
        read: (_query: unknown, signal?: AbortSignal) => {
          signals.push(signal);
          return new Promise<never>((_resolve, reject) => {
            signal?.addEventListener('abort', () => reject(signal.reason));
          });
        },
      },
    };
    const reply = await decideStartReply(waiting, { event: start('33612345678'), settings, budgetMs: 5 });
    expect(reply.json).toBe('{}');
    expect(reply.decision.trace).toEqual([{ code: 'timeout', params: { budgetMs: 5 } }]);
    expect(signals).toHaveLength(1);
    expect(signals[0]?.aborted).toBe(true);
    expect(signals[0]?.reason).toBeInstanceOf(DecisionBudgetSpentError);
    expect(signals[0]?.reason).toMatchObject({ budgetMs: 5, code: 'SB_ERR_UNAVAILABLE' });
  });

  it('puts the decision on the call’s trace', async () => {
    const t = setUp();
    const { call } = await t.calls.applyEvent({
      kind: 'start',
      pbxCallId: 'in_routing_unit',
      callerId: '33612345678',
      calledDid: '442037691999',
      callStart: '2026-01-15 12:00:00',
      startedAt: '2026-01-15T09:00:00.000Z',
      calltype: null,
      receivedAt: '2026-01-15T09:00:00.100Z',
    });
    const decision = decisionOf({ redirect: '101' }, [
      { code: 'knownCaller', params: { contactId: 'contact-jean' } },
      {
        code: 'routed',
        params: { step: 'contact', userId: 'user-olga', extension: '101', record: 'contact-jean' },
      },
    ]);
    await recordRoutingDecision(t.processing, call, { decision, caller: null }, '2026-01-15T09:00:00.100Z');
    expect(t.timeline.routing()).toEqual([
      {
        callId: call.id,
        at: '2026-01-15T09:00:00.100Z',
        reason:
          'known caller (contact contact-jean); routed to 101 — responsible for the contact contact-jean',
        reply: { redirect: '101' },
        // The user's name as it was when the call rang, beside their id.
        trace: [
          decision.trace[0],
          { code: 'routed', params: { ...decision.trace[1]?.params, user: 'Olga' } },
        ],
      },
    ]);
  });
});

describe('the routing chain, the caller name and the blacklist (issue 12 §7, §8, §10)', () => {
  function chain() {
    const t = setUp();
    t.directory.assign('102', 'user-tom', 'Tom');
    t.directory.assign('103', 'user-nina', 'Nina');
    t.directory.assign('100', 'user-ada', 'Ada');
    // Thursday 2026-01-15 09:00 UTC.
    return t;
  }
  const decide = async (t: ReturnType<typeof chain>, callerId = '33612345678') =>
    decideStartReply(t.ports, {
      event: start(callerId),
      settings: await t.settings.webhookSettings(),
      budgetMs: 300,
    });

  it('sends the caller to their open deal’s owner first, then skips an offline owner with the reason', async () => {
    const t = chain();
    t.history.deals.set('contact-jean', {
      id: 'deal-42',
      responsibleUserId: 'user-tom',
      stageName: 'Proposal',
      amount: 9000,
    });
    expect(JSON.parse((await decide(t)).json)).toMatchObject({ redirect: '102' });
    t.presence.set('102', false);
    const skipped = await decide(t);
    expect(JSON.parse(skipped.json)).toMatchObject({ redirect: '101' });
    expect(skipped.decision.reason).toContain(
      '102 skipped — offline (responsible for the open deal deal-42)',
    );
    expect(skipped.decision.reason).toContain('routed to 101 — responsible for the contact contact-jean');
  });

  it('follows the configured order and switches: lead first, contact off, then the last agent, then the default', async () => {
    const t = chain();
    t.history.leads.set('contact-jean', { id: 'lead-7', responsibleUserId: 'user-nina' });
    t.history.answered.set('contact-jean', [
      { agentUserId: 'user-tom', startedAt: '2026-01-10T10:00:00.000Z' },
    ]);
    const base = await t.settings.webhookSettings();
    t.settings.update({
      defaultResponsibleUserId: 'user-ada',
      routing: {
        ...base.routing,
        steps: [
          { step: 'lead', enabled: true },
          { step: 'contact', enabled: false },
          { step: 'lastAgent', enabled: true },
          { step: 'defaultResponsible', enabled: true },
        ],
      },
    });
    expect(JSON.parse((await decide(t)).json).redirect).toBe('103');
    t.presence.set('103', false);
    expect(JSON.parse((await decide(t)).json).redirect).toBe('102');
    t.presence.set('102', false);
    const last = await decide(t);
    expect(JSON.parse(last.json).redirect).toBe('100');
    expect(last.decision.trace.map((s) => s.code)).toEqual([
      'knownCaller',
      'offline',
      'offline',
      'routed',
      'callerName',
    ]);
    t.presence.set('100', false);
    const none = await decide(t);
    expect(JSON.parse(none.json)).not.toHaveProperty('redirect');
    expect(none.decision.reason).toContain('nobody to route to: PBX scenario');
  });

  it('skips an owner outside their working hours, and forgets a last agent older than N days', async () => {
    const t = chain();
    const base = await t.settings.webhookSettings();
    // 09:00 UTC on a Thursday is 12:00 in Moscow: Olga works 14:00–18:00 there.
    t.settings.update({
      routing: {
        ...base.routing,
        lastAgentDays: 3,
        workingHours: {
          'user-olga': { days: [1, 2, 3, 4, 5], from: '14:00', to: '18:00', timeZone: 'Europe/Moscow' },
        },
      },
    });
    t.history.answered.set('contact-jean', [
      { agentUserId: 'user-tom', startedAt: '2026-01-10T10:00:00.000Z' },
    ]);
    const outside = await decide(t);
    expect(outside.decision.reason).toContain('101 skipped — outside working hours');
    expect(outside.decision.trace.filter((s) => s.code === 'stepNone').map((s) => s.params.step)).toEqual([
      'deal',
      'lead',
      'lastAgent',
      'defaultResponsible',
    ]);
    t.history.answered.set('contact-jean', [
      { agentUserId: 'user-tom', startedAt: '2026-01-14T10:00:00.000Z' },
    ]);
    expect(JSON.parse((await decide(t)).json).redirect).toBe('102');
  });

  it('names the caller from the template with the deal stage and a VIP mark, transliterated when asked', async () => {
    const t = chain();
    t.history.deals.set('contact-jean', {
      id: 'deal-42',
      responsibleUserId: null,
      stageName: 'Проект',
      amount: 9000,
    });
    const base = await t.settings.webhookSettings();
    t.settings.update({
      callerNameFormat: {
        ...base.callerNameFormat,
        template: '{vip} {contact} ({dealStage})',
        vipAmount: 5000,
      },
    });
    expect(JSON.parse((await decide(t)).json).caller_name).toBe('VIP Jean Dupont (Проект)');
    t.settings.update({
      callerNameFormat: {
        ...base.callerNameFormat,
        template: '{vip} {contact} {dealStage}',
        vipAmount: 10_000,
        transliterate: true,
        maxLength: 12,
      },
    });
    expect(JSON.parse((await decide(t)).json).caller_name).toBe('Jean Dupont.');
  });

  it('labels an unknown number, and counts today’s missed calls from it', async () => {
    const t = chain();
    const base = await t.settings.webhookSettings();
    t.settings.update({
      callerNameFormat: {
        ...base.callerNameFormat,
        unknownLabel: 'New client',
        missedLabel: 'Missed you {missed}× today',
      },
    });
    expect(JSON.parse((await decide(t, '33611111111')).json)).toEqual({ caller_name: 'New client' });
    // The manual clock is 2026-01-15 09:00 UTC, 12:00 in the account's UTC+3: today started at 21:00 UTC.
    t.history.missed.set('+33611111111', [
      '2026-01-14T20:59:00.000Z',
      '2026-01-14T21:30:00.000Z',
      '2026-01-15T08:00:00.000Z',
    ]);
    expect(JSON.parse((await decide(t, '33611111111')).json)).toEqual({ caller_name: 'Missed you 2× today' });
  });

  it('refuses a caller by a prefix entry with a hang-up when so set, and lets an expired entry ring', async () => {
    const t = chain();
    await t.blacklist.add({ e164: '+33612', isPrefix: true, expiresAt: '2026-01-15T10:00:00.000Z' });
    const base = await t.settings.webhookSettings();
    t.settings.update({ blacklistAction: 'hangup' });
    const blocked = await decide(t);
    expect(JSON.parse(blocked.json)).toEqual({ hangup: 1 });
    expect(blocked.decision.trace).toEqual([
      { code: 'blacklisted', params: { entry: '+33612', action: 'hangup' } },
    ]);
    t.settings.update({ blacklistAction: base.blacklistAction });
    t.clock.advance(2 * 60 * 60 * 1000);
    expect(JSON.parse((await decide(t)).json)).toMatchObject({ redirect: '101' });
  });

  it('counts a refused call against the entry once the call is recorded', async () => {
    const t = chain();
    await t.blacklist.add({ e164: '+33612345678' });
    const reply = await decide(t);
    const { call } = await t.calls.applyEvent({
      kind: 'start',
      pbxCallId: 'in_routing_unit',
      callerId: '33612345678',
      calledDid: '442037691999',
      callStart: '2026-01-15 12:00:00',
      startedAt: '2026-01-15T09:00:00.000Z',
      calltype: null,
      receivedAt: '2026-01-15T09:00:00.100Z',
    });
    await recordRoutingDecision(t.processing, call, reply, '2026-01-15T09:00:00.100Z');
    expect(await t.blacklist.blockedCallsTotal()).toBe(1);
  });
});
