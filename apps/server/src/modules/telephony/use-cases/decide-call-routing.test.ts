import type { TNotifyStart } from '@switchboard/zadarma';
import { describe, expect, it } from 'vitest';
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
    const hanging = { ...t.ports, blacklist: { isBlacklisted: () => new Promise<boolean>(() => {}) } };
    const late = await decideStartReply(hanging, { event: start('33612345678'), settings, budgetMs: 5 });
    expect(late.json).toBe('{}');
    expect(late.decision.reason).toMatch(/budget exceeded/);
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
    const decision = { reply: { redirect: '101' }, reason: 'known caller' };
    await recordRoutingDecision(t.processing, call, { decision, caller: null }, '2026-01-15T09:00:00.100Z');
    expect(t.timeline.routing()).toEqual([
      { callId: call.id, at: '2026-01-15T09:00:00.100Z', reason: 'known caller', reply: { redirect: '101' } },
    ]);
  });
});
