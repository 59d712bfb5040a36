import { createHash } from 'node:crypto';
import { webhookSignature } from '@switchboard/zadarma';
import { formatZadarmaDate } from '@switchboard/zadarma-sim';
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../test-support/test-database.js';
import { createBlacklistRepository } from '../adapters/kysely-blacklist-repository.js';
import {
  openSse,
  postSignedWebhook,
  SIM_SECRET,
  simCallStart,
  useTelephonyTest,
} from '../test-support/test-telephony.js';

const CLIENT = '+33612345678';
const NUMBER = '442037691999';

function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

describe.each(TEST_DIALECTS)('webhook ingest, live events and calls on %s', (dialect) => {
  const t = useTelephonyTest(dialect);
  let contactId: string;

  beforeAll(async () => {
    await t.runtime.update({ features: { routeToResponsible: true, callerName: true, blacklist: true } });
    const res = await t.as(t.admin, {
      method: 'POST',
      url: '/api/contacts',
      payload: {
        firstName: 'Jean',
        lastName: 'Dupont',
        phones: [{ raw: '06 12 34 56 78', label: 'mobile' }],
        responsibleUserId: t.agent2.id,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    contactId = res.json().id;
  }, 60_000);

  it('answers zd_echo on GET and POST as plain text before anything else', async () => {
    const get = await fetch(`${t.url}/zadarma?zd_echo=abc123`);
    expect(get.status).toBe(200);
    expect(get.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await get.text()).toBe('abc123');
    const post = await fetch(`${t.url}/zadarma`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'zd_echo=xyz',
    });
    expect(await post.text()).toBe('xyz');
  });

  it('echoes a zd_echo that is not UTF-8 byte for byte, from the query and from a POST body', async () => {
    const get = await fetch(`${t.url}/zadarma?zd_echo=%FF%FE%00ok`);
    expect(get.status).toBe(200);
    expect([...new Uint8Array(await get.arrayBuffer())]).toEqual([0xff, 0xfe, 0x00, 0x6f, 0x6b]);
    const inject = await t.app.inject({ method: 'GET', url: '/zadarma?zd_echo=%C3%28' });
    expect([...inject.rawPayload]).toEqual([0xc3, 0x28]);
    const post = await fetch(`${t.url}/zadarma`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'zd_echo=%80',
    });
    expect([...new Uint8Array(await post.arrayBuffer())]).toEqual([0x80]);
  });

  it('keeps a refused request as metadata: a prefix, the size and a SHA-256 of the body, never the body', async () => {
    const fields = {
      event: 'NOTIFY_START',
      call_start: '2024-05-14 10:15:30',
      pbx_call_id: 'in_refusedmeta00000000000000000000000000001',
      caller_id: '33612345678',
      called_did: NUMBER,
    };
    const body = `${form(fields)}&pad=${'x'.repeat(200_000)}`;
    for (const signature of [undefined, webhookSignature(fields, 'not-the-secret')]) {
      const res = await fetch(`${t.url}/zadarma`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...(signature ? { signature } : {}),
        },
        body,
      });
      expect(res.status).toBe(403);
    }
    const rows = await t.database.db
      .selectFrom('webhook_inbox')
      .select(['body', 'body_size', 'body_sha256', 'error', 'event', 'pbx_call_id', 'status'])
      .where('body_size', '=', body.length)
      .orderBy('received_at')
      .execute();
    const sha256 = createHash('sha256').update(body).digest('hex');
    expect(rows).toEqual([
      // Unsigned: refused before its body was decoded, so its event is not known.
      expect.objectContaining({
        error: expect.stringMatching(/^missing_signature/),
        event: '',
        pbx_call_id: null,
      }),
      expect.objectContaining({ error: expect.stringMatching(/^bad_signature/), event: 'NOTIFY_START' }),
    ]);
    for (const row of rows) {
      expect(row).toMatchObject({ status: 'rejected', body: body.slice(0, 256), body_sha256: sha256 });
    }
  });

  it('refuses unsigned, forged and malformed notifications and shows them as rejected in the inbox', async () => {
    const fields = {
      event: 'NOTIFY_START',
      call_start: '2024-05-14 10:15:30',
      pbx_call_id: 'in_forged000000000000000000000000000000001',
      caller_id: '33612345678',
      called_did: NUMBER,
    };
    const unsigned = await fetch(`${t.url}/zadarma`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form(fields),
    });
    expect(unsigned.status).toBe(403);
    const forged = await fetch(`${t.url}/zadarma`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        signature: webhookSignature(fields, 'not-the-secret'),
      },
      body: form(fields),
    });
    expect(forged.status).toBe(403);
    const malformed = await fetch(`${t.url}/zadarma`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', signature: 'any' },
      body: '{"event":',
    });
    expect(malformed.status).toBe(400);
    const noContentType = await fetch(`${t.url}/zadarma`, { method: 'POST', body: 'event=' });
    expect(noContentType.status).toBeLessThan(500);
    const inbox = await t.as(t.admin, { method: 'GET', url: '/api/telephony/inbox?status=rejected' });
    expect(inbox.statusCode).toBe(200);
    const items = inbox.json().items as { error: string; pbxCallId: string | null; event: string }[];
    expect(items.length).toBeGreaterThanOrEqual(3);
    expect(items.some((i) => i.error.startsWith('missing_signature'))).toBe(true);
    expect(items.some((i) => i.error.startsWith('bad_signature') && i.event === 'NOTIFY_START')).toBe(true);
    const one = items.find((i) => i.error.startsWith('bad_signature')) as { id?: string };
    const detail = await t.as(t.admin, { method: 'GET', url: `/api/telephony/inbox/${one.id}` });
    expect(detail.json().rawBody).toBe(form(fields));
    const replay = await t.as(t.admin, { method: 'POST', url: `/api/telephony/inbox/${one.id}/replay` });
    expect(replay.statusCode).toBe(409);
    const agent = await t.as(t.agent1, { method: 'GET', url: '/api/telephony/inbox' });
    expect(agent.statusCode).toBe(403);
    // A page of 0 is refused with a clear 400, as the inbox port refuses a list of 0.
    const empty = await t.as(t.admin, { method: 'GET', url: '/api/telephony/inbox?pageSize=0' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error).toMatchObject({
      code: 'SB_ERR_VALIDATION',
      message: expect.stringMatching(/pageSize/),
    });
  });

  it('routes a known caller to the responsible user’s extension with the caller name, and pops up there', async () => {
    const agent2 = await openSse(t.url, t.cookieOf(t.agent2));
    const agent1 = await openSse(t.url, t.cookieOf(t.agent1));
    try {
      const { pbxCallId } = t.sim.placeInbound({ from: CLIENT, to: NUMBER, talkSeconds: 5 });
      const ringing = await agent2.waitFor((m) => m.event === 'call.ringing');
      expect(ringing.data).toMatchObject({
        pbxCallId,
        extension: '102',
        direction: 'in',
        contact: { id: contactId, displayName: 'Jean Dupont', responsibleUser: { id: t.agent2.id } },
      });
      await t.settle(t.sim, pbxCallId);
      const trace = t.sim.getCall(pbxCallId);
      expect(trace?.displayName).toBe('Jean Dupont');
      expect(trace?.routing.map((r) => r.action)).toContain('ringing 102');
      expect(trace?.outcome?.answeredBy).toBe('102');
      await agent2.waitFor((m) => m.event === 'call.ended');
      expect(
        agent1.messages.filter((m) => m.data && (m.data as { pbxCallId?: string }).pbxCallId === pbxCallId),
      ).toEqual([]);
      const call = await t.as(t.agent2, { method: 'GET', url: `/api/calls?contactId=${contactId}` });
      expect(call.json().items[0]).toMatchObject({
        pbxCallId,
        status: 'answered',
        contact: { id: contactId },
        agent: { id: t.agent2.id, name: 'Tom Two' },
        clientE164: CLIENT,
        duration: 5,
      });
      const timeline = await t.as(t.agent2, { method: 'GET', url: `/api/contacts/${contactId}/timeline` });
      const item = timeline.json().items.find((i: { kind: string }) => i.kind === 'call');
      expect(item).toMatchObject({ title: 'Incoming call — answered by Tom Two, 0:05' });
      expect(item.ref.type).toBe('call');
      expect(item.event).toEqual({
        type: 'call.ended',
        params: { direction: 'in', status: 'answered', agent: 'Tom Two', duration: 5 },
      });
    } finally {
      agent1.close();
      agent2.close();
    }
  });

  it('rejects a blacklisted caller with busy', async () => {
    await createBlacklistRepository(t.database.db).add({ e164: '+33611000001', reason: 'spam' });
    const { pbxCallId } = t.sim.placeInbound({ from: '33611000001', to: NUMBER });
    await t.settle(t.sim, pbxCallId);
    expect(t.sim.getCall(pbxCallId)?.outcome?.disposition).toBe('busy');
    const stored = await t.live.adapters.calls.get(pbxCallId);
    expect(stored?.status).toBe('busy');
  });

  it('sends ringing to each rung agent, then answered and ended to all of them, and replays with Last-Event-ID', async () => {
    const clients = await Promise.all(
      [t.agent1, t.agent2, t.admin].map((u) => openSse(t.url, t.cookieOf(u))),
    );
    const [a1, a2, admin] = clients as [
      Awaited<ReturnType<typeof openSse>>,
      Awaited<ReturnType<typeof openSse>>,
      Awaited<ReturnType<typeof openSse>>,
    ];
    const before = Math.max(0, ...a1.messages.map((m) => m.id ?? 0));
    try {
      // An unknown caller is not steered: the number rings 100, 101 and 102.
      const { pbxCallId } = t.sim.placeInbound({
        from: '+442071234567',
        to: NUMBER,
        answer: '101',
        talkSeconds: 3,
      });
      for (const [client, ext] of [
        [a1, '101'],
        [a2, '102'],
        [admin, '100'],
      ] as const) {
        const ringing = await client.waitFor(
          (m) => m.event === 'call.ringing' && (m.data as { pbxCallId: string }).pbxCallId === pbxCallId,
        );
        expect(ringing.data).toMatchObject({ extension: ext, contact: null, clientE164: '+442071234567' });
        const answered = await client.waitFor(
          (m) => m.event === 'call.answered' && (m.data as { pbxCallId: string }).pbxCallId === pbxCallId,
        );
        expect(answered.data).toMatchObject({
          answeredBy: { userId: t.agent1.id, name: 'Olga One', extension: '101' },
        });
        const ended = await client.waitFor(
          (m) => m.event === 'call.ended' && (m.data as { pbxCallId: string }).pbxCallId === pbxCallId,
        );
        expect(ended.data).toMatchObject({ status: 'answered', disposition: 'answered', duration: 3 });
      }
      await t.settle(t.sim, pbxCallId);
      const mine = a1.messages.filter((m) => (m.data as { pbxCallId?: string }).pbxCallId === pbxCallId);
      const replay = await openSse(t.url, t.cookieOf(t.agent1), { lastEventId: before });
      try {
        const last = mine.at(-1);
        await replay.waitFor((m) => m.id === last?.id);
        const replayed = replay.messages.filter(
          (m) => (m.data as { pbxCallId?: string }).pbxCallId === pbxCallId,
        );
        expect(replayed.map((m) => [m.id, m.event])).toEqual(mine.map((m) => [m.id, m.event]));
        // Only agent1's own events: never agent2's ringing.
        const ids = new Set(replay.messages.map((m) => m.id));
        for (const m of a2.messages.filter((x) => x.event === 'call.ringing')) {
          expect(ids.has(m.id)).toBe(false);
        }
      } finally {
        replay.close();
      }
    } finally {
      for (const c of clients) {
        c.close();
      }
    }
  });

  it('gives the same call record whether events arrive in order, twice, or shuffled', async () => {
    await t.runtime.update({ features: { routeToResponsible: false, callerName: false } });
    const messy = await t.extraSimulator({ duplicateEvents: true, shuffleEvents: true, seed: 7 });
    const plan = { from: '+442071112233', to: NUMBER, answer: '102', talkSeconds: 4 } as const;
    const clean = t.sim.placeInbound(plan);
    await t.settle(t.sim, clean.pbxCallId);
    // One after the other: two calls of one caller in the same second carry one signature, and the second one's
    // NOTIFY_INTERNALs would be judged a replay of the first's (docs/zadarma-protocol.md §5.9).
    const shuffled = messy.placeInbound(plan);
    await t.settle(messy, shuffled.pbxCallId);
    const a = await t.live.adapters.calls.get(clean.pbxCallId);
    const b = await t.live.adapters.calls.get(shuffled.pbxCallId);
    const pick = (c: typeof a) => ({
      status: c?.status,
      disposition: c?.disposition,
      duration: c?.duration,
      answeredBy: c?.answeredBy,
      ringingExtensions: c?.ringingExtensions,
      clientE164: c?.clientE164,
      agentUserId: c?.agentUserId,
      isRecorded: c?.isRecorded,
      events: c?.events.length,
    });
    expect(pick(b)).toEqual(pick(a));
    expect(pick(a)).toMatchObject({ status: 'answered', answeredBy: '102', agentUserId: t.agent2.id });
    const inbox = await t.as(t.admin, { method: 'GET', url: '/api/telephony/inbox?status=failed' });
    expect(inbox.json().total).toBe(0);
    await t.runtime.update({ features: { routeToResponsible: true, callerName: true } });
  });

  it('click-to-call rings the agent’s extension, then the client, and reports each leg to the clicking user', async () => {
    const sse = await openSse(t.url, t.cookieOf(t.agent1));
    try {
      const res = await t.as(t.agent1, {
        method: 'POST',
        url: '/api/calls/click-to-call',
        payload: { phone: '06 12 34 56 78' },
      });
      expect(res.statusCode, res.body).toBe(202);
      const body = res.json();
      expect(body).toMatchObject({ from: '101', to: CLIENT });
      const ended = await sse.waitFor(
        (m) =>
          m.event === 'callback.status' &&
          (m.data as { leg: string; state: string }).leg === 'client' &&
          (m.data as { state: string }).state === 'ended',
        15_000,
      );
      const pbxCallId = (ended.data as { pbxCallId: string }).pbxCallId;
      await t.settle(t.sim, pbxCallId);
      const trace = t.sim.getCall(pbxCallId);
      const actions = trace?.routing.map((r) => r.action) ?? [];
      const first = actions.findIndex((a) => a.includes('calling 101 first'));
      const second = actions.findIndex((a) => a.includes(`calling ${CLIENT}`));
      expect(first).toBeGreaterThanOrEqual(0);
      expect(second).toBeGreaterThan(first);
      const states = sse.messages
        .filter((m) => m.event === 'callback.status')
        .map((m) => m.data as { requestId: string; leg: string; state: string });
      expect(states.every((s) => s.requestId === body.requestId)).toBe(true);
      expect(states.map((s) => `${s.leg}:${s.state}`)).toEqual(
        expect.arrayContaining(['agent:ringing', 'client:ringing', 'client:answered', 'client:ended']),
      );
      const call = await t.live.adapters.calls.get(pbxCallId);
      expect(call).toMatchObject({ contactId, agentUserId: t.agent1.id, status: 'answered' });
      const timeline = await t.as(t.admin, { method: 'GET', url: `/api/contacts/${contactId}/timeline` });
      expect(
        timeline
          .json()
          .items.some(
            (i: { kind: string; title: string }) =>
              i.kind === 'call' && i.title.startsWith('Outgoing call — answered by Olga One'),
          ),
      ).toBe(true);
    } finally {
      sse.close();
    }
  });

  it('refuses click-to-call without an extension, for do-not-call without confirmation, and reports a wrong secret', async () => {
    const none = await t.as(t.agent3, {
      method: 'POST',
      url: '/api/calls/click-to-call',
      payload: { phone: CLIENT },
    });
    expect(none.statusCode).toBe(409);
    expect(none.json().error.code).toBe('SB_ERR_NO_EXTENSION');
    const dnc = await t.as(t.admin, {
      method: 'POST',
      url: '/api/contacts',
      payload: { firstName: 'Quiet', lastName: 'Person', phones: [{ raw: '+33699999999' }], doNotCall: true },
    });
    expect(dnc.statusCode, dnc.body).toBe(201);
    const refused = await t.as(t.agent1, {
      method: 'POST',
      url: '/api/calls/click-to-call',
      payload: { phone: '+33699999999' },
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('SB_ERR_DO_NOT_CALL');
    await t.runtime.update({ apiSecret: 'wrong-secret' });
    try {
      const wrong = await t.as(t.agent1, {
        method: 'POST',
        url: '/api/calls/click-to-call',
        payload: { phone: '+33699999999', confirmDoNotCall: true },
      });
      expect(wrong.statusCode).toBe(502);
      expect(wrong.json().error.code).toBe('SB_ERR_ZADARMA_UNAUTHORIZED');
    } finally {
      await t.runtime.update({ apiSecret: SIM_SECRET });
    }
    const bad = await t.as(t.agent1, {
      method: 'POST',
      url: '/api/calls/click-to-call',
      payload: { phone: '12' },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('keeps a note on the call and hides other agents’ calls', async () => {
    const list = await t.as(t.agent2, { method: 'GET', url: '/api/calls?direction=in&status=answered' });
    const id = list.json().items[0].id as string;
    const patched = await t.as(t.agent2, {
      method: 'PATCH',
      url: `/api/calls/${id}`,
      payload: { note: 'wants a quote' },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json().note).toBe('wants a quote');
    const again = await t.as(t.agent2, {
      method: 'PATCH',
      url: `/api/calls/${id}`,
      payload: { note: 'sent' },
    });
    expect(again.json().note).toBe('sent');
    const hidden = await t.as(t.agent3, { method: 'GET', url: `/api/calls/${id}` });
    expect(hidden.statusCode).toBe(404);
    const adminView = await t.as(t.admin, { method: 'GET', url: `/api/calls/${id}` });
    expect(adminView.json().note).toBe('sent');
  });

  it('replays a processed inbox entry to the same call record', async () => {
    const inbox = await t.as(t.admin, {
      method: 'GET',
      url: '/api/telephony/inbox?status=processed&event=NOTIFY_END',
    });
    const entry = inbox.json().items[0];
    const before = await t.live.adapters.calls.get(entry.pbxCallId);
    const res = await t.as(t.admin, { method: 'POST', url: `/api/telephony/inbox/${entry.id}/replay` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().status).toBe('processed');
    const after = await t.live.adapters.calls.get(entry.pbxCallId);
    expect(after?.version).toBe(before?.version);
  });

  it('refuses a genuine signature replayed after its call_start has aged out, and keeps it as refused', async () => {
    // Signed with the real secret, as a captured notification would be, but the call started a day ago.
    const fields = {
      event: 'NOTIFY_START',
      call_start: formatZadarmaDate(t.sim.now() - 24 * 3_600_000, 180),
      pbx_call_id: 'in_replayed000000000000000000000000000000001',
      caller_id: '33612345678',
      called_did: NUMBER,
    };
    const res = await postSignedWebhook(t.url, fields);
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe('stale_event');
    const row = await t.database.db
      .selectFrom('webhook_inbox')
      .select(['status', 'error', 'signature_valid'])
      .where('pbx_call_id', '=', fields.pbx_call_id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'rejected', signature_valid: 1 });
    expect(row.error).toMatch(/^stale_event: stale: call_start/);
    expect(
      await t.database.db
        .selectFrom('calls')
        .select('id')
        .where('pbx_call_id', '=', fields.pbx_call_id)
        .execute(),
    ).toEqual([]);
  });

  it('answers NOTIFY_START with {} when the decision exceeds its budget', async () => {
    // A lookup that never answers until the test says so: without the budget the reply would never come.
    const slow = t.live.adapters.blacklist;
    const original = slow.matchCaller;
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    (slow as { matchCaller: typeof original }).matchCaller = async (e164, at) => {
      await held;
      return original(e164, at);
    };
    // On PostgreSQL the decision reads everything, the blacklist with it, in one statement: hold that one too.
    const facts = t.live.adapters.facts;
    const read = facts?.read;
    if (facts && read) {
      facts.read = async (query) => {
        await held;
        return read(query);
      };
    }
    try {
      const fields = {
        event: 'NOTIFY_START',
        call_start: simCallStart(t.sim),
        pbx_call_id: 'in_budget0000000000000000000000000000000001',
        caller_id: '33612345678',
        called_did: NUMBER,
      };
      const res = await postSignedWebhook(t.url, fields);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await res.text()).toBe('{}');
    } finally {
      release();
      (slow as { matchCaller: typeof original }).matchCaller = original;
      if (facts && read) {
        facts.read = read;
      }
      await t.live.ingest.idle();
    }
  });
});
