// The agent's call workspace (issue 13) end to end over real HTTP, the simulator's signed webhooks and both
// databases: a tab that connects during a call gets its card back, an outgoing call gets a card, the outcome is
// stored, a contact created from the card takes the call, and missed calls stay listed until handled.
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../test-support/test-database.js';
import { openSse, type SseClient, useTelephonyTest } from './test-support/test-telephony.js';

const NUMBER = '442037691999';

type Data = { pbxCallId?: string; callId?: string };
const ofCall = (pbxCallId: string) => (m: { data: unknown }) => (m.data as Data).pbxCallId === pbxCallId;

describe.each(TEST_DIALECTS)('the call workspace on %s', (dialect) => {
  const t = useTelephonyTest(dialect);
  let responsibleContactId: string;
  const RESPONSIBLE_CLIENT = '+33612340001';

  beforeAll(async () => {
    const res = await t.as(t.admin, {
      method: 'POST',
      url: '/api/contacts',
      payload: {
        firstName: 'Nina',
        lastName: 'Client',
        phones: [{ raw: RESPONSIBLE_CLIENT, label: 'mobile' }],
        responsibleUserId: t.agent3.id,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    responsibleContactId = res.json().id;
  }, 60_000);

  it('gives a tab that connects during a call the card of the call, to the agent who has it only', async () => {
    const first = await openSse(t.url, t.cookieOf(t.agent1));
    const opened: SseClient[] = [first];
    try {
      // 100× speed: 1,500 s of talk last 15 s, time enough to reconnect in the middle.
      const { pbxCallId } = t.sim.placeInbound({
        from: '+33698760001',
        to: NUMBER,
        answer: '101',
        ringSeconds: 2,
        talkSeconds: 1_500,
      });
      await first.waitFor((m) => m.event === 'call.answered' && ofCall(pbxCallId)(m));
      // A reload: a new stream, no Last-Event-ID.
      const reloaded = await openSse(t.url, t.cookieOf(t.agent1));
      opened.push(reloaded);
      const ringing = await reloaded.waitFor((m) => m.event === 'call.ringing' && ofCall(pbxCallId)(m));
      const answered = await reloaded.waitFor((m) => m.event === 'call.answered' && ofCall(pbxCallId)(m));
      expect(ringing.id).toBeNull();
      expect(ringing.data).toMatchObject({ direction: 'in', extension: '101', clientE164: '+33698760001' });
      expect(answered.data).toMatchObject({ answeredBy: { userId: t.agent1.id, extension: '101' } });
      expect(typeof (answered.data as { answeredAt: unknown }).answeredAt).toBe('string');
      // Agent 2's phone rang, but agent 1 has the call: no card for them; agent 3's phone never rang.
      const [other, none] = await Promise.all([
        openSse(t.url, t.cookieOf(t.agent2)),
        openSse(t.url, t.cookieOf(t.agent3)),
      ]);
      opened.push(other, none);
      const callId = (ringing.data as Data).callId as string;
      // The calls page opens the card by hand: the agent who has it, and not an agent the call never reached.
      const live = await t.as(t.agent1, { method: 'GET', url: `/api/calls/${callId}/live` });
      expect(live.statusCode, live.body).toBe(200);
      expect(live.json()).toMatchObject({
        ringing: { pbxCallId },
        answered: { answeredBy: { userId: t.agent1.id } },
      });
      const refused = await t.as(t.agent3, { method: 'GET', url: `/api/calls/${callId}/live` });
      expect(refused.statusCode).toBe(404);
      await t.settle(t.sim, pbxCallId);
      // (agent 2 hears the end, as every rung agent does, but gets no card restored)
      expect(other.messages.filter((m) => m.id === null && ofCall(pbxCallId)(m))).toEqual([]);
      expect(none.messages.filter(ofCall(pbxCallId))).toEqual([]);
      // Once over, the call has no card to open.
      const over = await t.as(t.agent1, { method: 'GET', url: `/api/calls/${callId}/live` });
      expect(over.statusCode).toBe(404);
    } finally {
      for (const client of opened) {
        client.close();
      }
    }
  }, 60_000);

  it('opens the same card for a click-to-call, then stores the outcome the agent picks', async () => {
    const contact = await t.as(t.agent1, {
      method: 'POST',
      url: '/api/contacts',
      payload: { firstName: 'Omar', lastName: 'Out', phones: [{ raw: '+33698760002', label: 'mobile' }] },
    });
    expect(contact.statusCode, contact.body).toBe(201);
    const sse = await openSse(t.url, t.cookieOf(t.agent1));
    try {
      const res = await t.as(t.agent1, {
        method: 'POST',
        url: '/api/calls/click-to-call',
        payload: { phone: '+33698760002', contactId: contact.json().id },
      });
      expect(res.statusCode, res.body).toBe(202);
      const ringing = await sse.waitFor((m) => m.event === 'call.ringing', 15_000);
      expect(ringing.data).toMatchObject({
        direction: 'out',
        extension: '101',
        requestId: res.json().requestId,
        contact: { id: contact.json().id, displayName: 'Omar Out' },
      });
      const { pbxCallId, callId } = ringing.data as Required<Data>;
      await sse.waitFor((m) => m.event === 'call.answered' && ofCall(pbxCallId)(m), 15_000);
      await sse.waitFor((m) => m.event === 'call.ended' && ofCall(pbxCallId)(m), 15_000);
      await t.settle(t.sim, pbxCallId);
      // Both callback legs were notified; the card opened once.
      expect(sse.messages.filter((m) => m.event === 'call.ringing' && ofCall(pbxCallId)(m))).toHaveLength(1);
      expect(
        sse.messages.filter((m) => m.event === 'callback.status' && ofCall(pbxCallId)(m)).length,
      ).toBeGreaterThan(1);
      // Both legs ended (two NOTIFY_OUT_END) and the card closed once: no `call.ended` twice. Counted in the
      // stored events every tab replays from (stored before anyone hears them: no race with the stream).
      const stored = await t.database.db
        .selectFrom('events')
        .select(['topic', 'payload'])
        .where('topic', 'in', ['callback.status', 'call.ended'])
        .execute();
      const ofThisCall = stored.filter((e) => e.payload.includes(pbxCallId));
      expect(
        ofThisCall.filter((e) => e.topic === 'callback.status' && e.payload.includes('"ended"')),
      ).toHaveLength(2);
      expect(ofThisCall.filter((e) => e.topic === 'call.ended')).toHaveLength(1);
      const note = await t.as(t.agent1, {
        method: 'PATCH',
        url: `/api/calls/${callId}`,
        payload: { note: 'Sent the quote' },
      });
      expect(note.statusCode, note.body).toBe(200);
      const outcome = await t.as(t.agent1, {
        method: 'PUT',
        url: `/api/calls/${callId}/outcome`,
        payload: { outcome: 'left_message' },
      });
      expect(outcome.statusCode, outcome.body).toBe(200);
      expect(outcome.json()).toMatchObject({ outcome: 'left_message', outcomeBy: t.agent1.id });
      const hostile = await t.as(t.agent1, {
        method: 'PUT',
        url: `/api/calls/${callId}/outcome`,
        payload: { outcome: 'drop table' },
      });
      expect(hostile.statusCode).toBe(400);
      const stranger = await t.as(t.agent2, {
        method: 'PUT',
        url: `/api/calls/${callId}/outcome`,
        payload: { outcome: 'connected' },
      });
      expect(stranger.statusCode).toBe(404);
      // The outcome is on the call's trace as a code the web phrases in the reader's language.
      const trace = await t.database.db
        .selectFrom('activities')
        .select(['payload'])
        .where('subject_type', '=', 'call')
        .where('subject_id', '=', callId)
        .execute();
      expect(trace.map((r) => JSON.parse(r.payload ?? '{}').event)).toContainEqual({
        type: 'call.outcome',
        params: { outcome: 'left_message' },
      });
      // The note written during the call is on the contact's timeline, with the call.
      const timeline = await t.as(t.agent1, {
        method: 'GET',
        url: `/api/contacts/${contact.json().id}/timeline`,
      });
      const item = timeline.json().items.find((i: { kind: string }) => i.kind === 'call');
      expect(item).toMatchObject({ body: 'Sent the quote', ref: { type: 'call', id: callId } });
    } finally {
      sse.close();
    }
  }, 60_000);

  it('links a contact created from an unknown caller’s card to the call, and only one with the call’s number', async () => {
    const { pbxCallId } = t.sim.placeInbound({
      from: '+33698760003',
      to: NUMBER,
      answer: '102',
      talkSeconds: 2,
    });
    await t.settle(t.sim, pbxCallId);
    const call = await t.live.adapters.calls.get(pbxCallId);
    expect(call?.contactId).toBeNull();
    const other = await t.as(t.agent2, {
      method: 'POST',
      url: '/api/contacts',
      payload: { firstName: 'Wrong', lastName: 'Number', phones: [{ raw: '+33698769999', label: 'mobile' }] },
    });
    const wrong = await t.as(t.agent2, {
      method: 'PUT',
      url: `/api/calls/${call?.id}/contact`,
      payload: { contactId: other.json().id },
    });
    expect(wrong.statusCode).toBe(400);
    const created = await t.as(t.agent2, {
      method: 'POST',
      url: '/api/contacts',
      payload: { firstName: 'New', lastName: 'Caller', phones: [{ raw: '06 98 76 00 03', label: 'mobile' }] },
    });
    expect(created.statusCode, created.body).toBe(201);
    const linked = await t.as(t.agent2, {
      method: 'PUT',
      url: `/api/calls/${call?.id}/contact`,
      payload: { contactId: created.json().id },
    });
    expect(linked.statusCode, linked.body).toBe(200);
    expect(linked.json()).toMatchObject({ id: created.json().id, displayName: 'New Caller' });
    expect((await t.live.adapters.calls.get(pbxCallId))?.contactId).toBe(created.json().id);
    const timeline = await t.as(t.agent2, {
      method: 'GET',
      url: `/api/contacts/${created.json().id}/timeline`,
    });
    expect(timeline.json().items.some((i: { kind: string }) => i.kind === 'call')).toBe(true);
    // An agent the call never reached cannot take it.
    const stranger = await t.as(t.agent3, {
      method: 'PUT',
      url: `/api/calls/${call?.id}/contact`,
      payload: { contactId: created.json().id },
    });
    expect(stranger.statusCode).toBe(404);
  }, 60_000);

  it('tells the rung agents and the responsible user of a missed call and lists it until returned or dismissed', async () => {
    const [rung, responsible] = await Promise.all([
      openSse(t.url, t.cookieOf(t.agent1)),
      openSse(t.url, t.cookieOf(t.agent3)),
    ]);
    try {
      const { pbxCallId } = t.sim.placeInbound({
        from: RESPONSIBLE_CLIENT,
        to: NUMBER,
        answer: null,
        ringSeconds: 2,
      });
      const missed = await responsible.waitFor(
        (m) => m.event === 'call.missed' && ofCall(pbxCallId)(m),
        15_000,
      );
      expect(missed.data).toMatchObject({
        contact: { id: responsibleContactId, displayName: 'Nina Client' },
      });
      await t.settle(t.sim, pbxCallId);
      const callId = (missed.data as Data).callId as string;
      const listOf = async (user: typeof t.agent1) =>
        (
          (await t.as(user, { method: 'GET', url: '/api/calls/missed' })).json().items as { id: string }[]
        ).map((c) => c.id);
      // The responsible user sees it although their phone never rang; an agent whose phone rang sees it when the
      // number reached them (the routing may have sent it to the responsible user's extension only).
      expect(await listOf(t.agent3)).toContain(callId);
      const rang = (await t.live.adapters.calls.get(pbxCallId))?.ringingExtensions ?? [];
      expect(rung.messages.some((m) => m.event === 'call.missed' && ofCall(pbxCallId)(m))).toBe(
        rang.includes('101'),
      );
      expect((await listOf(t.agent1)).includes(callId)).toBe(rang.includes('101'));

      // Returned: an answered call with the same number afterwards takes it off the list.
      const back = t.sim.placeInbound({
        from: RESPONSIBLE_CLIENT,
        to: NUMBER,
        answer: '102',
        talkSeconds: 1,
      });
      await t.settle(t.sim, back.pbxCallId);
      expect(await listOf(t.agent3)).not.toContain(callId);

      // Dismissed: another missed call, dismissed by the responsible user.
      const again = t.sim.placeInbound({
        from: RESPONSIBLE_CLIENT,
        to: NUMBER,
        answer: null,
        ringSeconds: 2,
      });
      await t.settle(t.sim, again.pbxCallId);
      const second = (await t.live.adapters.calls.get(again.pbxCallId))?.id as string;
      expect(await listOf(t.agent3)).toContain(second);
      const refused = await t.as(t.agent2, { method: 'POST', url: `/api/calls/${second}/dismiss` });
      expect(refused.statusCode).toBe(
        ((await t.live.adapters.calls.get(again.pbxCallId))?.ringingExtensions ?? []).includes('102')
          ? 204
          : 404,
      );
      const dismissed = await t.as(t.agent3, { method: 'POST', url: `/api/calls/${second}/dismiss` });
      expect(dismissed.statusCode, dismissed.body).toBe(204);
      expect(await listOf(t.agent3)).not.toContain(second);
    } finally {
      rung.close();
      responsible.close();
    }
  }, 60_000);
});
