/**
 * Saving the after-call options: a deal rule must name an existing stage, only a deal rule names one, and rules
 * that create a record for every call of a new number are saved only when the admin confirms — nothing is
 * stored by a refused save.
 */
import { describe, expect, it } from 'vitest';
import { createInMemoryPipelineStages } from '../adapters/in-memory-after-call.js';
import type { NewCallerRule } from '../domain/after-call-policy.js';
import type { AfterCallOptions, AfterCallOptionsStore } from '../ports.js';
import { saveAfterCallOptions } from './save-after-call-options.js';

const rule = (change: Partial<NewCallerRule>): NewCallerRule => ({
  direction: 'any',
  outcome: 'any',
  minTalkSeconds: 0,
  action: 'inbox',
  pipelineId: null,
  stageId: null,
  assignTo: 'agent',
  ...change,
});

function world() {
  let saved: AfterCallOptions = { missedCallDueMinutes: 60, newCallerRules: [rule({})] };
  const options: AfterCallOptionsStore = {
    read: async () => saved,
    async update(patch) {
      saved = { ...saved, ...patch };
      return saved;
    },
  };
  const pipelines = createInMemoryPipelineStages({
    'p-sales': [
      { id: 's-new', kind: 'open' },
      { id: 's-won', kind: 'won' },
    ],
  });
  return { ports: { options, pipelines }, read: () => options.read() };
}

describe('saveAfterCallOptions', () => {
  it('saves the due time alone, leaving the rules as they were', async () => {
    const { ports, read } = world();
    await expect(saveAfterCallOptions(ports, { missedCallDueMinutes: 15 })).resolves.toMatchObject({
      missedCallDueMinutes: 15,
      newCallerRules: [rule({})],
    });
    expect((await read()).missedCallDueMinutes).toBe(15);
  });

  it('saves a deal rule that names an existing stage', async () => {
    const { ports, read } = world();
    const rules = [
      rule({
        outcome: 'answered',
        minTalkSeconds: 30,
        action: 'deal',
        pipelineId: 'p-sales',
        stageId: 's-new',
      }),
    ];
    await saveAfterCallOptions(ports, { newCallerRules: rules });
    expect((await read()).newCallerRules).toEqual(rules);
  });

  it('refuses a deal rule whose stage does not exist, pointing at the rule', async () => {
    const { ports, read } = world();
    const rules = [rule({}), rule({ action: 'deal', pipelineId: 'p-sales', stageId: 's-gone' })];
    await expect(saveAfterCallOptions(ports, { newCallerRules: rules })).rejects.toMatchObject({
      code: 'SB_ERR_VALIDATION',
      details: [{ path: 'newCallerRules.1.stageId' }],
    });
    expect((await read()).newCallerRules).toEqual([rule({})]);
  });

  it('refuses a deal rule naming a won stage: a new deal opens in an open one', async () => {
    const { ports } = world();
    const rules = [rule({ action: 'deal', pipelineId: 'p-sales', stageId: 's-won' })];
    await expect(saveAfterCallOptions(ports, { newCallerRules: rules })).rejects.toMatchObject({
      code: 'SB_ERR_VALIDATION',
      details: [{ path: 'newCallerRules.0.stageId' }],
    });
  });

  it('refuses a stage on a rule that is not a deal rule', async () => {
    const { ports } = world();
    await expect(
      saveAfterCallOptions(ports, { newCallerRules: [rule({ action: 'lead', stageId: 's-new' })] }),
    ).rejects.toMatchObject({ code: 'SB_ERR_VALIDATION', details: [{ path: 'newCallerRules.0.stageId' }] });
  });

  it('asks for a confirmation before saving rules that create a record for every call', async () => {
    const { ports, read } = world();
    const everyCall = [rule({ action: 'contact' })];
    await expect(saveAfterCallOptions(ports, { newCallerRules: everyCall })).rejects.toMatchObject({
      code: 'SB_ERR_CONFIRMATION_REQUIRED',
      details: [{ path: 'confirmCreateForEveryCall' }],
    });
    expect((await read()).newCallerRules).toEqual([rule({})]);
    await saveAfterCallOptions(ports, { newCallerRules: everyCall, confirmCreateForEveryCall: true });
    expect((await read()).newCallerRules).toEqual(everyCall);
    // A rule that leaves short calls alone needs no confirmation; the flag itself is never stored.
    const answeredOnly = [rule({ action: 'lead', outcome: 'answered', minTalkSeconds: 10 })];
    const saved = await saveAfterCallOptions(ports, { newCallerRules: answeredOnly });
    expect(saved).toEqual({ missedCallDueMinutes: 60, newCallerRules: answeredOnly });
  });
});
