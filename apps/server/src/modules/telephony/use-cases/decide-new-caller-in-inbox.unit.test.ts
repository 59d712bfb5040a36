/**
 * decide-new-caller-in-inbox on the in-memory adapters: the inbox lists the numbers waiting, newest call first,
 * with the spam hint; accepting, merging or declining decides a number once — the second person gets a
 * conflict — and a declined number is not offered again when it calls back.
 */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../platform/errors/errors.js';
import { createInMemoryNewCallers } from '../adapters/in-memory-after-call.js';
import { createInMemoryNewCallerInbox } from '../adapters/in-memory-new-caller-inbox.js';
import { boris, olga } from '../test-support/call-workspace-world.js';
import {
  acceptNewCaller,
  declineNewCaller,
  listNewCallers,
  mergeNewCaller,
} from './decide-new-caller-in-inbox.js';

const AT = '2026-01-15T12:00:00.000Z';
const SPAMMER = '+33700000001';
const CLIENT = '+33612345678';

let sequence = 0;
async function world() {
  const newCallers = createInMemoryNewCallers();
  const inbox = createInMemoryNewCallerInbox(newCallers.callers);
  const call = (clientE164: string, at: string, short: boolean) => {
    sequence += 1;
    return newCallers.noteCall({
      callId: `call-${sequence}`,
      clientE164,
      at,
      direction: 'inbound',
      status: short ? 'missed' : 'answered',
      short,
      agentUserId: null,
    });
  };
  for (const at of ['2026-01-15T09:00:00.000Z', '2026-01-15T09:01:00.000Z', '2026-01-15T09:02:00.000Z']) {
    await call(SPAMMER, at, true);
  }
  await call(CLIENT, '2026-01-15T10:00:00.000Z', false);
  return { newCallers, inbox, ports: { inbox }, call };
}

describe('decide-new-caller-in-inbox', () => {
  it('lists the waiting numbers, most recent call first, with the spam hint on repeated short calls', async () => {
    const w = await world();
    const items = await listNewCallers(w.ports);
    expect(items.map((i) => [i.clientE164, i.calls, i.spamHint])).toEqual([
      [CLIENT, 1, false],
      [SPAMMER, 3, true],
    ]);
  });

  it('accepts a number: its record is created for the user, and the number leaves the inbox', async () => {
    const w = await world();
    const created = await acceptNewCaller(w.ports, {
      clientE164: CLIENT,
      kind: 'lead',
      name: 'Gordon',
      actor: olga,
      at: AT,
    });
    expect(created).toEqual({ type: 'lead', id: expect.any(String) });
    expect(w.newCallers.callers.get(CLIENT)).toMatchObject({
      status: 'accepted',
      recordType: 'lead',
      recordId: created.id,
    });
    expect(w.inbox.decisions.get(CLIENT)).toEqual({ decidedBy: olga.id, decidedAt: AT, name: 'Gordon' });
    expect((await listNewCallers(w.ports)).map((i) => i.clientE164)).toEqual([SPAMMER]);
  });

  it('merges a number into an existing contact', async () => {
    const w = await world();
    await mergeNewCaller(w.ports, { clientE164: CLIENT, contactId: 'c-1', actor: boris, at: AT });
    expect(w.newCallers.callers.get(CLIENT)).toMatchObject({
      status: 'merged',
      recordType: 'contact',
      recordId: 'c-1',
    });
  });

  it('declines a number: no record, and its next call does not bring it back', async () => {
    const w = await world();
    await declineNewCaller(w.ports, { clientE164: SPAMMER, actor: olga, at: AT });
    await w.call(SPAMMER, '2026-01-15T13:00:00.000Z', true);
    expect(w.newCallers.callers.get(SPAMMER)).toMatchObject({ status: 'declined', calls: 4, recordId: null });
    expect((await listNewCallers(w.ports)).map((i) => i.clientE164)).toEqual([CLIENT]);
  });

  it('lets whoever is first decide: the second person gets a conflict and nothing changes', async () => {
    const w = await world();
    await acceptNewCaller(w.ports, { clientE164: CLIENT, kind: 'contact', name: null, actor: olga, at: AT });
    const attempts = [
      acceptNewCaller(w.ports, { clientE164: CLIENT, kind: 'deal', name: null, actor: boris, at: AT }),
      mergeNewCaller(w.ports, { clientE164: CLIENT, contactId: 'c-2', actor: boris, at: AT }),
      declineNewCaller(w.ports, { clientE164: CLIENT, actor: boris, at: AT }),
      declineNewCaller(w.ports, { clientE164: '+33999999999', actor: boris, at: AT }),
    ];
    for (const attempt of attempts) {
      await expect(attempt).rejects.toBeInstanceOf(AppError);
      await expect(attempt).rejects.toMatchObject({ code: 'SB_ERR_CONFLICT' });
    }
    expect(w.newCallers.callers.get(CLIENT)).toMatchObject({ status: 'accepted', recordType: 'contact' });
    expect(w.inbox.decisions.get(CLIENT)?.decidedBy).toBe(olga.id);
  });
});
