/**
 * decide-new-caller on the in-memory adapters: known numbers, our own and refused (blacklisted) callers are left alone, the first matching rule
 * decides (nothing, the inbox, or a record for the agent or the default responsible), a number is decided once,
 * a retried job counts nothing twice, and repeated very short calls wait in the inbox as a spam hint.
 */
import { describe, expect, it } from 'vitest';
import { systemActor } from '../../../platform/auth/actor.js';
import type { NewCallerRule } from '../domain/after-call-policy.js';
import type { AfterCallSettings } from '../ports.js';
import {
  AFTER_CALL_SETTINGS,
  afterCallWorld,
  CLIENT,
  finishedCall,
} from '../test-support/after-call-world.js';
import { decideNewCaller } from './decide-new-caller.js';

const actor = systemActor('test');

const rule = (partial: Partial<NewCallerRule>): NewCallerRule => ({
  direction: 'any',
  outcome: 'any',
  minTalkSeconds: 0,
  action: 'contact',
  pipelineId: null,
  stageId: null,
  assignTo: 'agent',
  ...partial,
});

const settingsWith = (...rules: NewCallerRule[]): AfterCallSettings => ({
  ...AFTER_CALL_SETTINGS,
  newCallerRules: rules,
});

describe('decide-new-caller', () => {
  it('creates a contact for an answered call of an unknown number, owned by the agent who talked', async () => {
    const w = afterCallWorld();
    const call = finishedCall({ status: 'answered', duration: 60, agentUserId: 'user-olga' });
    const created = await decideNewCaller(w.ports, {
      call,
      e164: CLIENT,
      settings: settingsWith(rule({ action: 'contact' })),
      actor,
      ownNumber: false,
    });
    expect(created).toBe(true);
    const record = w.ports.newCallers.records.get(CLIENT);
    expect(record).toMatchObject({ type: 'contact', ownerId: 'user-olga' });
    expect(w.ports.newCallers.callers.get(CLIENT)).toMatchObject({
      status: 'created',
      calls: 1,
      shortCalls: 0,
    });
    expect(w.decisions(call.id)).toEqual([
      { code: 'new_caller.created', params: { recordType: 'contact', recordId: record?.id } },
    ]);
  });

  it('gives the record to the default responsible when the rule says so, or when no agent talked', async () => {
    const byDefault = afterCallWorld();
    await decideNewCaller(byDefault.ports, {
      call: finishedCall({ status: 'answered', duration: 60, agentUserId: 'user-olga' }),
      e164: CLIENT,
      settings: settingsWith(rule({ action: 'lead', assignTo: 'default' })),
      actor,
      ownNumber: false,
    });
    expect(byDefault.ports.newCallers.records.get(CLIENT)).toMatchObject({
      type: 'lead',
      ownerId: 'user-boss',
    });

    const noAgent = afterCallWorld();
    await decideNewCaller(noAgent.ports, {
      call: finishedCall({ status: 'answered', duration: 60, agentUserId: null }),
      e164: CLIENT,
      settings: settingsWith(rule({ action: 'deal', assignTo: 'agent' })),
      actor,
      ownNumber: false,
    });
    expect(noAgent.ports.newCallers.records.get(CLIENT)).toMatchObject({
      type: 'deal',
      ownerId: 'user-boss',
    });
  });

  it('leaves a number the CRM knows alone, without a word on the trace', async () => {
    const w = afterCallWorld({ owners: { [CLIENT]: { contactId: 'c1', contactName: 'Gordon' } } });
    const call = finishedCall({ status: 'answered', duration: 60 });
    expect(
      await decideNewCaller(w.ports, {
        call,
        e164: CLIENT,
        settings: settingsWith(rule({})),
        actor,
        ownNumber: false,
      }),
    ).toBe(false);
    expect(w.ports.newCallers.callers.size).toBe(0);
    expect(w.decisions()).toEqual([]);
  });

  it('uses the owners it is given instead of reading them again', async () => {
    const w = afterCallWorld();
    const call = finishedCall({ status: 'answered', duration: 60 });
    const created = await decideNewCaller(w.ports, {
      call,
      e164: CLIENT,
      settings: settingsWith(rule({})),
      actor,
      ownNumber: false,
      owners: {
        contactId: 'c-just-read',
        contactName: null,
        dealOwnerId: null,
        leadOwnerId: null,
        contactOwnerId: null,
      },
    });
    expect(created).toBe(false);
    expect(w.ports.newCallers.records.size).toBe(0);
  });

  it('never makes a record of one of our own numbers', async () => {
    // Asked by the follow-up before its transaction (ClientDirectory.isOwnNumber may ask Zadarma).
    const w = afterCallWorld();
    const call = finishedCall({ status: 'answered', duration: 60 });
    expect(
      await decideNewCaller(w.ports, {
        call,
        e164: CLIENT,
        settings: settingsWith(rule({})),
        actor,
        ownNumber: true,
      }),
    ).toBe(false);
    expect(w.ports.newCallers.records.size).toBe(0);
    expect(w.decisions(call.id)).toEqual([{ code: 'new_caller.own_number', params: {} }]);
  });

  it('never makes a record, nor an inbox entry, of a caller the blacklist refused', async () => {
    // Frappe CRM's complaint: a lead for every call, spam included. A refused call is spam by an agent's decision.
    const w = afterCallWorld();
    const refused = finishedCall({ status: 'missed', blacklisted: true });
    for (const action of ['contact', 'inbox'] as const) {
      expect(
        await decideNewCaller(w.ports, {
          call: refused,
          e164: CLIENT,
          settings: settingsWith(rule({ action })),
          actor,
          ownNumber: false,
        }),
      ).toBe(false);
    }
    expect(w.ports.newCallers.records.size).toBe(0);
    expect(w.ports.newCallers.callers.size).toBe(0);
    expect(w.decisions(refused.id)).toEqual([
      { code: 'new_caller.blacklisted', params: {} },
      { code: 'new_caller.blacklisted', params: {} },
    ]);
  });

  it('does nothing when no rule matches or the matching rule says none', async () => {
    const w = afterCallWorld();
    const missed = finishedCall({ status: 'missed' });
    // The answered-only rule does not match a missed call; the catch-all says none.
    const settings = settingsWith(rule({ outcome: 'answered' }));
    expect(
      await decideNewCaller(w.ports, { call: missed, e164: CLIENT, settings, actor, ownNumber: false }),
    ).toBe(false);
    const short = finishedCall({ status: 'answered', duration: 10 });
    const none = settingsWith(rule({ minTalkSeconds: 30 }), rule({ action: 'none' }));
    expect(
      await decideNewCaller(w.ports, { call: short, e164: CLIENT, settings: none, actor, ownNumber: false }),
    ).toBe(false);
    expect(w.ports.newCallers.callers.size).toBe(0);
    expect(w.decisions().map((d) => d.code)).toEqual(['new_caller.no_rule', 'new_caller.no_rule']);
  });

  it('puts the number in the inbox, counting its calls, when the rule says inbox', async () => {
    const w = afterCallWorld();
    const settings = settingsWith(rule({ action: 'inbox' }));
    await decideNewCaller(w.ports, {
      call: finishedCall({ status: 'missed' }),
      e164: CLIENT,
      settings,
      actor,
      ownNumber: false,
    });
    const second = finishedCall({ status: 'answered', duration: 40 });
    expect(
      await decideNewCaller(w.ports, { call: second, e164: CLIENT, settings, actor, ownNumber: false }),
    ).toBe(false);
    expect(w.ports.newCallers.callers.get(CLIENT)).toMatchObject({
      status: 'pending',
      calls: 2,
      shortCalls: 1,
      lastCallId: second.id,
    });
    expect(w.ports.newCallers.records.size).toBe(0);
    expect(w.decisions(second.id)).toEqual([{ code: 'new_caller.inbox', params: { calls: 2 } }]);
  });

  it('decides a number once: a later call is counted but creates nothing', async () => {
    const w = afterCallWorld();
    const settings = settingsWith(rule({ action: 'lead' }));
    const first = finishedCall({ status: 'answered', duration: 60 });
    expect(
      await decideNewCaller(w.ports, { call: first, e164: CLIENT, settings, actor, ownNumber: false }),
    ).toBe(true);
    const recordId = w.ports.newCallers.records.get(CLIENT)?.id;
    const later = finishedCall({ status: 'answered', duration: 60 });
    expect(
      await decideNewCaller(w.ports, { call: later, e164: CLIENT, settings, actor, ownNumber: false }),
    ).toBe(false);
    expect(w.ports.newCallers.records.get(CLIENT)?.id).toBe(recordId);
    expect(w.ports.newCallers.callers.get(CLIENT)?.calls).toBe(2);
    expect(w.decisions(later.id)).toEqual([
      { code: 'new_caller.already_decided', params: { status: 'created' } },
    ]);
  });

  it('is idempotent: the same call decided twice (a retried job) counts and creates once', async () => {
    const w = afterCallWorld();
    const settings = settingsWith(rule({ action: 'contact' }));
    const call = finishedCall({ status: 'answered', duration: 60 });
    expect(await decideNewCaller(w.ports, { call, e164: CLIENT, settings, actor, ownNumber: false })).toBe(
      true,
    );
    expect(await decideNewCaller(w.ports, { call, e164: CLIENT, settings, actor, ownNumber: false })).toBe(
      false,
    );
    expect(w.ports.newCallers.callers.get(CLIENT)?.calls).toBe(1);
    expect(w.decisions(call.id).map((d) => d.code)).toEqual(['new_caller.created']);
  });

  it('keeps a number of repeated very short calls in the inbox as spam instead of creating a record', async () => {
    const w = afterCallWorld();
    const settings = settingsWith(rule({ action: 'contact' }));
    const short = () => finishedCall({ status: 'answered', duration: 2 });
    // The first two short calls wait in the inbox (a create rule would already have made a record of them).
    const inbox = settingsWith(rule({ action: 'inbox' }));
    await decideNewCaller(w.ports, { call: short(), e164: CLIENT, settings: inbox, actor, ownNumber: false });
    await decideNewCaller(w.ports, { call: short(), e164: CLIENT, settings: inbox, actor, ownNumber: false });
    const third = short();
    expect(
      await decideNewCaller(w.ports, { call: third, e164: CLIENT, settings, actor, ownNumber: false }),
    ).toBe(false);
    expect(w.ports.newCallers.records.size).toBe(0);
    expect(w.ports.newCallers.callers.get(CLIENT)?.status).toBe('pending');
    expect(w.decisions(third.id)).toEqual([
      { code: 'new_caller.spam_hint', params: { calls: 3, shortCalls: 3 } },
    ]);
  });

  it('under a create rule, holds a hang-up in the inbox with the spam hint; a real conversation creates later', async () => {
    const w = afterCallWorld();
    const settings = settingsWith(rule({ action: 'lead' }));
    const hangUp = finishedCall({ status: 'answered', duration: 2, agentUserId: 'user-olga' });
    expect(
      await decideNewCaller(w.ports, { call: hangUp, e164: CLIENT, settings, actor, ownNumber: false }),
    ).toBe(false);
    expect(w.ports.newCallers.records.size).toBe(0);
    expect(w.ports.newCallers.callers.get(CLIENT)?.status).toBe('pending');
    expect(w.decisions(hangUp.id)).toEqual([
      { code: 'new_caller.spam_hint', params: { calls: 1, shortCalls: 1 } },
    ]);
    const talk = finishedCall({ status: 'answered', duration: 90, agentUserId: 'user-olga' });
    expect(
      await decideNewCaller(w.ports, { call: talk, e164: CLIENT, settings, actor, ownNumber: false }),
    ).toBe(true);
    expect(w.ports.newCallers.records.get(CLIENT)).toMatchObject({ type: 'lead', ownerId: 'user-olga' });
  });

  it('under a create rule, never makes a record of repeated very short calls', async () => {
    const w = afterCallWorld();
    const settings = settingsWith(rule({ action: 'contact' }));
    for (let i = 0; i < 4; i += 1) {
      const call = finishedCall({ status: 'answered', duration: 1 });
      expect(await decideNewCaller(w.ports, { call, e164: CLIENT, settings, actor, ownNumber: false })).toBe(
        false,
      );
      expect(w.decisions(call.id).map((d) => d.code)).toEqual(['new_caller.spam_hint']);
    }
    expect(w.ports.newCallers.records.size).toBe(0);
    expect(w.ports.newCallers.callers.get(CLIENT)).toMatchObject({
      status: 'pending',
      calls: 4,
      shortCalls: 4,
    });
  });

  it('still makes a record of a missed call when a create rule says so (a lead for every missed call)', async () => {
    const w = afterCallWorld();
    const call = finishedCall({ status: 'missed' });
    const settings = settingsWith(rule({ outcome: 'missed', action: 'lead', assignTo: 'default' }));
    expect(await decideNewCaller(w.ports, { call, e164: CLIENT, settings, actor, ownNumber: false })).toBe(
      true,
    );
    expect(w.ports.newCallers.records.get(CLIENT)).toMatchObject({ type: 'lead', ownerId: 'user-boss' });
  });

  it('says the number is decided when a person claimed it between counting and creating', async () => {
    const w = afterCallWorld();
    const settings = settingsWith(rule({ action: 'contact' }));
    const call = finishedCall({ status: 'answered', duration: 60 });
    // A person accepts the number in the inbox while the job runs: the claim is lost.
    const ports = {
      ...w.ports,
      newCallers: { ...w.ports.newCallers, createRecord: async () => null },
    };
    expect(await decideNewCaller(ports, { call, e164: CLIENT, settings, actor, ownNumber: false })).toBe(
      false,
    );
    expect(w.decisions(call.id)).toEqual([
      { code: 'new_caller.already_decided', params: { status: 'created' } },
    ]);
  });

  it('counts an outbound call with its direction and the date it started', async () => {
    const w = afterCallWorld();
    const call = finishedCall({ direction: 'outbound', status: 'no_answer' });
    await decideNewCaller(w.ports, {
      call,
      e164: CLIENT,
      settings: settingsWith(rule({ direction: 'out', action: 'inbox' })),
      actor,
      ownNumber: false,
    });
    expect(w.ports.newCallers.callers.get(CLIENT)).toMatchObject({
      lastDirection: 'outbound',
      lastStatus: 'no_answer',
      firstCallAt: call.startedAt,
    });
  });
});
