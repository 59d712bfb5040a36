/**
 * record-call-outcome on the in-memory adapters: the agent who worked on the call records (or clears) its
 * outcome, on the call's trace; anyone else — another agent, an API client — gets "not found", and nothing is
 * stored.
 */
import { describe, expect, it } from 'vitest';
import { systemActor } from '../../../platform/auth/actor.js';
import { AppError } from '../../../platform/errors/errors.js';
import { admin, boris, callWorkspaceWorld, olga, tom } from '../test-support/call-workspace-world.js';
import { recordCallOutcome } from './record-call-outcome.js';

const AT = '2024-05-14T07:20:00.000Z';

describe('record-call-outcome', () => {
  it('stores the outcome of the agent who answered, puts it on the trace and returns the wrap-up', async () => {
    const w = await callWorkspaceWorld();
    const wrapUp = await recordCallOutcome(w.ports, olga, {
      callId: w.answered.id,
      outcome: 'connected',
      at: AT,
    });
    expect(wrapUp).toEqual({ outcome: 'connected', outcomeBy: olga.id, outcomeAt: AT });
    expect(await w.ports.store.wrapUpOf(w.answered.id)).toEqual(wrapUp);
    expect(w.ports.timeline.decisions()).toEqual([
      {
        callId: w.answered.id,
        at: AT,
        actorId: olga.id,
        code: 'call.outcome',
        params: { outcome: 'connected' },
      },
    ]);
  });

  it('clears the outcome without a word on the trace', async () => {
    const w = await callWorkspaceWorld();
    await recordCallOutcome(w.ports, olga, { callId: w.answered.id, outcome: 'wrong_number', at: AT });
    const cleared = await recordCallOutcome(w.ports, olga, { callId: w.answered.id, outcome: null, at: AT });
    expect(cleared).toEqual({ outcome: null, outcomeBy: olga.id, outcomeAt: null });
    expect(w.ports.timeline.decisions().map((d) => d.params)).toEqual([{ outcome: 'wrong_number' }]);
  });

  it('lets whoever the call reached work on it: the placing extension, the contact’s responsible, an admin', async () => {
    const w = await callWorkspaceWorld();
    await recordCallOutcome(w.ports, boris, { callId: w.outbound.id, outcome: 'left_message', at: AT });
    expect((await w.ports.store.wrapUpOf(w.outbound.id)).outcome).toBe('left_message');
    await w.ports.calls.link(w.answered, { contactId: 'c-tom' });
    await recordCallOutcome(w.ports, tom, { callId: w.answered.id, outcome: 'busy', at: AT });
    expect(await w.ports.store.wrapUpOf(w.answered.id)).toMatchObject({ outcome: 'busy', outcomeBy: tom.id });
    await recordCallOutcome(w.ports, admin, { callId: w.missed.id, outcome: 'no_answer', at: AT });
    expect((await w.ports.store.wrapUpOf(w.missed.id)).outcome).toBe('no_answer');
  });

  it('records the system’s outcome without a user', async () => {
    const w = await callWorkspaceWorld();
    await recordCallOutcome(w.ports, systemActor('test'), {
      callId: w.answered.id,
      outcome: 'connected',
      at: AT,
    });
    expect(await w.ports.store.wrapUpOf(w.answered.id)).toMatchObject({ outcomeBy: null });
    expect(w.ports.timeline.decisions()[0]?.actorId).toBeNull();
  });

  it('answers "not found" to another agent, an API client, or an unknown call, and stores nothing', async () => {
    const w = await callWorkspaceWorld();
    const refused = [
      { actor: olga, callId: w.outbound.id }, // placed from Boris's 102
      { actor: tom, callId: w.answered.id }, // not linked to Tom's contact yet
      { actor: { kind: 'api-client', id: 'key-1', scopes: [] } as const, callId: w.answered.id },
      { actor: olga, callId: 'no-such-call' },
    ];
    for (const { actor, callId } of refused) {
      const attempt = recordCallOutcome(w.ports, actor, { callId, outcome: 'connected', at: AT });
      await expect(attempt).rejects.toBeInstanceOf(AppError);
      await expect(attempt).rejects.toMatchObject({ code: 'SB_ERR_NOT_FOUND' });
    }
    expect(w.ports.store.wrapUps.size).toBe(0);
    expect(w.ports.timeline.decisions()).toEqual([]);
  });
});
