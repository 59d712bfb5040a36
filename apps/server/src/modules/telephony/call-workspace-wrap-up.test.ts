// The agent's wrap-up card and a caller several contacts share (issue 13), over real HTTP, the simulator's
// signed webhooks and both databases: a wrap-up left open comes back to a tab that connects after the call, with
// the outcome recorded so far, until the agent closes it; the card's picker moves a shared caller's call to the
// contact the agent picks.
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../test-support/test-database.js';
import { openSse, type SseClient, useTelephonyTest } from './test-support/test-telephony.js';

const NUMBER = '442037691999';

type Data = { pbxCallId?: string; callId?: string; wrapUp?: { outcome: string | null } };
const ofCall = (callId: string) => (m: { data: unknown }) => (m.data as Data).callId === callId;

describe.each(TEST_DIALECTS)('wrap-up cards and shared callers on %s', (dialect) => {
  const t = useTelephonyTest(dialect);
  const opened: SseClient[] = [];

  afterAll(async () => {
    for (const client of opened) {
      client.close();
    }
  });

  async function answeredCall(from: string): Promise<string> {
    const { pbxCallId } = t.sim.placeInbound({
      from,
      to: NUMBER,
      answer: '101',
      ringSeconds: 1,
      talkSeconds: 60,
    });
    await t.settle(t.sim, pbxCallId);
    const call = await t.live.adapters.calls.get(pbxCallId);
    expect(call?.status).toBe('answered');
    return call?.id as string;
  }

  async function reconnect(user: typeof t.agent1): Promise<SseClient> {
    const client = await openSse(t.url, t.cookieOf(user));
    opened.push(client);
    return client;
  }

  const wrapUp = (user: typeof t.agent1, callId: string, open: boolean) =>
    t.as(user, { method: 'PUT', url: `/api/calls/${callId}/wrap-up`, payload: { open } });

  it('gives back the wrap-up card the agent left open, with its outcome, until they close it', async () => {
    const first = await answeredCall('+33698770001');
    const neverOpened = await answeredCall('+33698770002');
    const last = await answeredCall('+33698770003');
    expect((await wrapUp(t.agent1, first, true)).statusCode).toBe(204);
    expect((await wrapUp(t.agent1, last, true)).statusCode).toBe(204);
    // A second tab opens it again: still one card.
    expect((await wrapUp(t.agent1, first, true)).statusCode).toBe(204);

    const tab = await reconnect(t.agent1);
    const ended = await tab.waitFor((m) => m.event === 'call.ended' && ofCall(last)(m));
    expect(ended.id).toBeNull();
    expect(ended.data).toMatchObject({ status: 'answered', wrapUp: { outcome: null } });
    const firstFrames = tab.messages.filter(ofCall(first)).map((m) => m.event);
    expect(firstFrames).toEqual(['call.ringing', 'call.ended']);
    expect(tab.messages.filter(ofCall(neverOpened))).toEqual([]);

    // The outcome picked comes back with the card.
    const outcome = await t.as(t.agent1, {
      method: 'PUT',
      url: `/api/calls/${first}/outcome`,
      payload: { outcome: 'connected' },
    });
    expect(outcome.statusCode, outcome.body).toBe(200);
    const again = await reconnect(t.agent1);
    const withOutcome = await again.waitFor((m) => m.event === 'call.ended' && ofCall(first)(m));
    expect((withOutcome.data as Data).wrapUp).toEqual({ outcome: 'connected' });

    // Closed: no tab gets it back, and opening it again later does not reopen it.
    expect((await wrapUp(t.agent1, first, false)).statusCode).toBe(204);
    expect((await wrapUp(t.agent1, first, true)).statusCode).toBe(204);
    const closed = await reconnect(t.agent1);
    await closed.waitFor((m) => m.event === 'call.ended' && ofCall(last)(m));
    expect(closed.messages.filter(ofCall(first))).toEqual([]);
  }, 90_000);

  it('keeps wrap-up cards to the user who opened them, and to users the call reached', async () => {
    const callId = await answeredCall('+33698770004');
    expect((await wrapUp(t.agent1, callId, true)).statusCode).toBe(204);
    // Agent 3 has no extension and no contact on the call: for them the call does not exist.
    expect((await wrapUp(t.agent3, callId, true)).statusCode).toBe(404);
    const bad = await t.as(t.agent1, { method: 'PUT', url: `/api/calls/${callId}/wrap-up`, payload: {} });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('SB_ERR_VALIDATION');
    const mine = await reconnect(t.agent1);
    await mine.waitFor((m) => m.event === 'call.ended' && ofCall(callId)(m));
    // The admin's phone rang too, but the wrap-up is agent 1's: the admin's tab gets no card of it.
    const marker = await answeredCall('+33698770005');
    expect((await wrapUp(t.admin, marker, true)).statusCode).toBe(204);
    const adminAgain = await reconnect(t.admin);
    await adminAgain.waitFor((m) => m.event === 'call.ended' && ofCall(marker)(m));
    expect(adminAgain.messages.filter((m) => m.id === null && ofCall(callId)(m))).toEqual([]);
  }, 90_000);

  it('lets the agent move a caller several contacts share to the one they pick, with its timeline item', async () => {
    const shared = '+33698770006';
    const create = (firstName: string) =>
      t.as(t.admin, {
        method: 'POST',
        url: '/api/contacts',
        payload: { firstName, lastName: 'Shared', phones: [{ raw: shared, label: 'mobile' }] },
      });
    const oldest = await create('Anna');
    expect(oldest.statusCode, oldest.body).toBe(201);
    const picked = await create('Boris');
    expect(picked.statusCode, picked.body).toBe(201);
    const lookup = await t.as(t.agent1, {
      method: 'GET',
      url: `/api/contacts/lookup?phone=${encodeURIComponent('06 98 77 00 06')}`,
    });
    expect(lookup.json().contact.id).toBe(oldest.json().id);
    expect(lookup.json().matches.map((c: { id: string }) => c.id)).toEqual([
      oldest.json().id,
      picked.json().id,
    ]);

    const callId = await answeredCall(shared);
    const call = await t.as(t.agent1, { method: 'GET', url: `/api/calls/${callId}` });
    expect(call.json().contact?.id ?? call.json().contactId).toBe(oldest.json().id);
    const moved = await t.as(t.agent1, {
      method: 'PUT',
      url: `/api/calls/${callId}/contact`,
      payload: { contactId: picked.json().id },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ id: picked.json().id, displayName: 'Boris Shared' });
    const timelineOf = async (contactId: string) =>
      (await t.as(t.agent1, { method: 'GET', url: `/api/contacts/${contactId}/timeline` }))
        .json()
        .items.filter((i: { kind: string; ref?: { id: string } | null }) => i.kind === 'call');
    expect(await timelineOf(picked.json().id)).toHaveLength(1);
    expect(await timelineOf(oldest.json().id)).toHaveLength(0);
  }, 90_000);
});
