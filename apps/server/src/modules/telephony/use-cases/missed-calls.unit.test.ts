/**
 * missed-calls on the in-memory adapters: a user's list holds the missed inbound calls that rang their
 * extension or whose contact they are responsible for, from the last 14 days, until returned or dismissed;
 * dismissing takes the call off every list and is refused for a call that was not missed or not theirs.
 */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../platform/errors/errors.js';
import type { StoredCall } from '../ports.js';
import { asAnotherCall, foldEvents, outboundAnswered } from '../test-support/call-scenarios.js';
import { admin, boris, callWorkspaceWorld, olga, tom } from '../test-support/call-workspace-world.js';
import { dismissMissedCall, listMissedCalls } from './missed-calls.js';

const AT = '2024-05-14T08:00:00.000Z';
const NOW = Date.parse(AT);
const ids = (calls: readonly StoredCall[]) => calls.map((c) => c.id);

describe('missed-calls', () => {
  it('lists the missed call to the agent whose extension it rang, not to others or an API client', async () => {
    const w = await callWorkspaceWorld();
    expect(ids(await listMissedCalls(w.ports, olga, NOW))).toEqual([w.missed.id]);
    expect(await listMissedCalls(w.ports, boris, NOW)).toEqual([]);
    const apiClient = { kind: 'api-client', id: 'key-1', scopes: [] } as const;
    expect(await listMissedCalls(w.ports, apiClient, NOW)).toEqual([]);
  });

  it('lists it to the contact’s responsible user once the call is linked', async () => {
    const w = await callWorkspaceWorld();
    expect(await listMissedCalls(w.ports, tom, NOW)).toEqual([]);
    await w.ports.calls.link(w.missed, { contactId: 'c-tom' });
    expect(ids(await listMissedCalls(w.ports, tom, NOW))).toEqual([w.missed.id]);
  });

  it('forgets missed calls older than 14 days', async () => {
    const w = await callWorkspaceWorld();
    expect(await listMissedCalls(w.ports, olga, NOW + 15 * 24 * 3_600_000)).toEqual([]);
  });

  it('drops a call once it is returned: an answered call with the same number afterwards', async () => {
    const w = await callWorkspaceWorld();
    await w.ports.calls.link(w.missed, { clientE164: '+442037691881' });
    expect(ids(await listMissedCalls(w.ports, olga, NOW))).toEqual([w.missed.id]);
    const returned = await foldEvents(w.ports.calls, asAnotherCall(outboundAnswered, 'out_return', 120_000));
    await w.ports.calls.link(returned, { clientE164: '+442037691881' });
    expect(await listMissedCalls(w.ports, olga, NOW)).toEqual([]);
  });

  it('dismisses a missed call off every list, remembering who did it', async () => {
    const w = await callWorkspaceWorld();
    await w.ports.calls.link(w.missed, { contactId: 'c-tom' });
    await dismissMissedCall(w.ports, olga, { callId: w.missed.id, at: AT });
    expect(await listMissedCalls(w.ports, olga, NOW)).toEqual([]);
    expect(await listMissedCalls(w.ports, tom, NOW)).toEqual([]);
    expect(w.ports.store.wrapUps.get(w.missed.id)).toMatchObject({ dismissedBy: olga.id, dismissedAt: AT });
  });

  it('refuses to dismiss a call that was not missed (conflict) or is not the user’s (not found)', async () => {
    const w = await callWorkspaceWorld();
    await expect(dismissMissedCall(w.ports, olga, { callId: w.answered.id, at: AT })).rejects.toMatchObject({
      code: 'SB_ERR_CONFLICT',
    });
    for (const [actor, callId] of [
      [boris, w.missed.id],
      [admin, 'no-such-call'],
    ] as const) {
      const attempt = dismissMissedCall(w.ports, actor, { callId, at: AT });
      await expect(attempt).rejects.toBeInstanceOf(AppError);
      await expect(attempt).rejects.toMatchObject({ code: 'SB_ERR_NOT_FOUND' });
    }
    expect(w.ports.store.wrapUps.size).toBe(0);
    expect(ids(await listMissedCalls(w.ports, olga, NOW))).toEqual([w.missed.id]);
  });
});
