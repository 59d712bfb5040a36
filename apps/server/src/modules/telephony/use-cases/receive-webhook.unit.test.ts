import { formatZadarmaDate } from '@switchboard/zadarma-sim';
import { describe, expect, it } from 'vitest';
import { InboxNotStoredError } from '../ports.js';
import { createInMemoryWebhookPorts } from '../test-support/in-memory-webhook-ports.js';
import { signedWebhookRequest } from '../test-support/webhook-fixtures.js';
import { createIngest, type WebhookRequest } from './receive-webhook.js';

const SECRET = 'in-memory-secret';
const JEAN = {
  id: 'contact-jean',
  displayName: 'Jean Dupont',
  responsibleUserId: 'user-olga',
  companyName: null,
  doNotCall: false,
  phones: ['+33612345678'],
};

function setUp() {
  const t = createInMemoryWebhookPorts({ contacts: [JEAN], timezone: 'UTC+3' });
  t.directory.assign('101', 'user-olga', 'Olga');
  return t;
}

function post(fields: Record<string, string>, secret: string | null = SECRET): WebhookRequest {
  return signedWebhookRequest(fields, secret);
}

function notifyStart(t: ReturnType<typeof setUp>, pbxCallId = 'in_receive_unit_1') {
  return {
    event: 'NOTIFY_START',
    call_start: formatZadarmaDate(t.pbxClock.now(), 180),
    pbx_call_id: pbxCallId,
    caller_id: '33612345678',
    called_did: '442037691999',
  };
}

describe('receive-webhook (verify and store)', () => {
  it('answers zd_echo with the token’s bytes and stores nothing', async () => {
    const t = setUp();
    const outcome = await createIngest(t.ports).handle({
      ...post({}, null),
      method: 'GET',
      query: 'zd_echo=abc',
    });
    expect(outcome).toEqual({ kind: 'echo', token: Buffer.from('abc') });
    expect(await t.inbox.list()).toEqual([]);
  });

  it('refuses an unsigned request and keeps it as metadata only', async () => {
    const t = setUp();
    const outcome = await createIngest(t.ports).handle(post(notifyStart(t), null));
    expect(outcome).toMatchObject({ kind: 'refused', refusal: 'forbidden', reason: 'missing_signature' });
    const [entry] = await t.inbox.list();
    expect(entry).toMatchObject({
      status: 'rejected',
      signatureValid: false,
      bodySha256: expect.any(String),
    });
  });

  it('refuses a signed notification whose call_start is stale', async () => {
    const t = setUp();
    const fields = notifyStart(t);
    t.pbxClock.advance(24 * 3_600_000);
    const outcome = await createIngest(t.ports).handle(post(fields));
    expect(outcome).toMatchObject({ kind: 'refused', reason: 'stale_event' });
  });

  it('judges a UTC+0 account Zadarma confirmed by the narrow window: a start the unconfirmed default lets in is stale', async () => {
    // Same label, UTC+0: only the stamp of Zadarma's answer tells a confirmed account from a never-asked one.
    const confirmed = createInMemoryWebhookPorts({
      timezone: 'UTC+0',
      timezoneLearnedAt: '2026-01-01T00:00:00.000Z',
    });
    const unconfirmed = createInMemoryWebhookPorts({ timezone: 'UTC+0' });
    for (const t of [confirmed, unconfirmed]) {
      t.pbxClock.set(Date.parse('2026-01-15T09:00:00.000Z'));
    }
    // Started 5 hours ago: past the 4-hour age a confirmed timezone allows, within the widened one (+12 h).
    const fields = {
      event: 'NOTIFY_START',
      call_start: formatZadarmaDate(Date.parse('2026-01-15T04:00:00.000Z'), 0),
      pbx_call_id: 'in_receive_unit_utc0',
      caller_id: '33612345678',
      called_did: '442037691999',
    };
    expect(await createIngest(confirmed.ports).handle(post(fields))).toMatchObject({
      kind: 'refused',
      reason: 'stale_event',
    });
    expect((await createIngest(unconfirmed.ports).handle(post(fields))).kind).toBe('accepted');
  });

  it('stores a verified NOTIFY_START, routes it, and processes it with the caller looked up once', async () => {
    const t = setUp();
    const ingest = createIngest(t.ports);
    const outcome = await ingest.handle(post(notifyStart(t)));
    expect(outcome.kind).toBe('accepted');
    if (outcome.kind !== 'accepted') {
      return;
    }
    expect(JSON.parse(outcome.reply)).toMatchObject({ redirect: '101' });
    // Stored before the answer.
    expect((await t.inbox.list()).map((e) => e.status)).toEqual(['received']);
    await outcome.after();
    const call = await t.calls.get('in_receive_unit_1');
    expect(call).toMatchObject({ contactId: 'contact-jean', clientE164: '+33612345678' });
    expect((await t.inbox.list()).map((e) => e.status)).toEqual(['processed']);
    // One lookup for the whole call: the decision's, carried into processing.
    expect(t.contacts.lookups).toEqual(['33612345678']);
    expect(t.timeline.routing()).toEqual([
      expect.objectContaining({ callId: call?.id, reply: expect.objectContaining({ redirect: '101' }) }),
    ]);
  });

  it('measures the NOTIFY_START budget from the arrival: a slow append leaves nothing, and the reply is {}', async () => {
    const t = setUp();
    const append = t.inbox.append.bind(t.inbox);
    const ports = {
      ...t.ports,
      inbox: {
        ...t.ports.inbox,
        append: async (entry: Parameters<typeof append>[0]) => {
          t.clock.advance(400); // the append took longer than the whole budget
          return append(entry);
        },
      },
    };
    const outcome = await createIngest(ports, { startBudgetMs: 300 }).handle(post(notifyStart(t)));
    expect(outcome).toMatchObject({ kind: 'accepted', reply: '{}' });
    expect(t.contacts.lookups).toEqual([]);
    // The event is stored and still processed; processing looks the caller up itself.
    if (outcome.kind === 'accepted') {
      await outcome.after();
    }
    expect((await t.calls.get('in_receive_unit_1'))?.contactId).toBe('contact-jean');
    expect(t.timeline.routing()[0]?.reason).toMatch(/budget spent/);
  });

  it('decides while the event is being stored, and answers only once it is stored', async () => {
    const t = setUp();
    const append = t.inbox.append.bind(t.inbox);
    let store: () => void = () => {};
    const ports = {
      ...t.ports,
      inbox: {
        ...t.ports.inbox,
        append: async (entry: Parameters<typeof append>[0]) => {
          await new Promise<void>((resolve) => {
            store = resolve;
          });
          return append(entry);
        },
      },
    };
    let answered = false;
    const handling = createIngest(ports)
      .handle(post(notifyStart(t)))
      .then((outcome) => {
        answered = true;
        return outcome;
      });
    await new Promise((r) => setImmediate(r));
    // The caller is looked up while the append is still waiting; nothing is answered before it is stored.
    expect(t.contacts.lookups).toEqual(['33612345678']);
    expect(answered).toBe(false);
    store();
    const outcome = await handling;
    expect(outcome).toMatchObject({ kind: 'accepted' });
    expect(JSON.parse((outcome as { reply: string }).reply)).toMatchObject({ redirect: '101' });
    expect((await t.inbox.list()).map((e) => e.status)).toEqual(['received']);
  });

  it('answers {} when storing outlasted the budget, whatever was decided meanwhile, and says so on the trace', async () => {
    const t = setUp();
    const append = t.inbox.append.bind(t.inbox);
    const ports = {
      ...t.ports,
      inbox: {
        ...t.ports.inbox,
        append: async (entry: Parameters<typeof append>[0]) => {
          // The decision has run by now (its reads are immediate here); then the store takes 400 ms.
          await new Promise((r) => setImmediate(r));
          t.clock.advance(400);
          return append(entry);
        },
      },
    };
    const outcome = await createIngest(ports, { startBudgetMs: 300 }).handle(post(notifyStart(t)));
    expect(outcome).toMatchObject({ kind: 'accepted', reply: '{}' });
    if (outcome.kind === 'accepted') {
      await outcome.after();
    }
    // The caller looked up meanwhile is carried on: processing did not look it up again.
    expect(t.contacts.lookups).toEqual(['33612345678']);
    expect((await t.calls.get('in_receive_unit_1'))?.contactId).toBe('contact-jean');
    const [trace] = t.timeline.routing();
    expect(trace?.reply).toEqual({});
    expect(trace?.reason).toMatch(/budget exceeded/);
  });

  it('does not acknowledge an event it could not store, though its decision was ready', async () => {
    const t = setUp();
    const ports = {
      ...t.ports,
      inbox: {
        ...t.ports.inbox,
        append: async () => {
          await new Promise((r) => setImmediate(r));
          throw new InboxNotStoredError('stored nowhere');
        },
      },
    };
    await expect(createIngest(ports).handle(post(notifyStart(t)))).rejects.toBeInstanceOf(
      InboxNotStoredError,
    );
    expect(t.contacts.lookups).toEqual(['33612345678']);
  });

  it('counts the arrival the adapter saw: time spent before the use case comes off the budget', async () => {
    const t = setUp();
    const request = { ...post(notifyStart(t)), arrivedAt: t.clock.now() - 300 };
    const outcome = await createIngest(t.ports, { startBudgetMs: 300 }).handle(request);
    expect(outcome).toMatchObject({ kind: 'accepted', reply: '{}' });
  });

  it('notes a webhook verified with the previous secret during a rotation', async () => {
    const t = setUp();
    t.settings.update({ apiSecret: 'the-new-secret', previousSecret: SECRET });
    const outcome = await createIngest(t.ports).handle(post(notifyStart(t)));
    expect(outcome.kind).toBe('accepted');
    expect(t.settings.previousSecretUses).toBe(1);
  });

  it('recovers, oldest first, the stored entries nobody processed, and fails those that no longer parse', async () => {
    const t = setUp();
    const ingest = createIngest(t.ports);
    const fields = notifyStart(t, 'in_receive_recovered');
    const body = new URLSearchParams(fields).toString();
    const base = {
      remoteIp: null,
      event: 'NOTIFY_START',
      pbxCallId: 'in_receive_recovered',
      contentType: 'application/x-www-form-urlencoded',
      signatureValid: true,
      status: 'received' as const,
    };
    const good = await t.inbox.append({ ...base, receivedAt: '2026-01-15T08:00:00.000Z', body });
    const broken = await t.inbox.append({
      ...base,
      receivedAt: '2026-01-15T08:00:01.000Z',
      body: 'event=NOPE',
    });
    expect(await ingest.recover('2026-01-15T08:30:00.000Z')).toBe(2);
    expect((await t.inbox.get(good.id))?.status).toBe('processed');
    expect(await t.inbox.get(broken.id)).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/no longer parses/),
    });
    expect(await ingest.recover('2026-01-15T08:30:00.000Z')).toBe(0);
  });

  it('learns from NOTIFY_ANSWER that the answering extension is registered, so the chain routes to it again', async () => {
    const t = setUp();
    t.presence.set('101', false);
    const ingest = createIngest(t.ports);
    const skipped = await ingest.handle(post(notifyStart(t, 'in_presence_unit_1')));
    expect(skipped).toMatchObject({ kind: 'accepted' });
    expect(skipped.kind === 'accepted' && JSON.parse(skipped.reply)).not.toHaveProperty('redirect');
    const answer = {
      event: 'NOTIFY_ANSWER',
      caller_id: '33612345678',
      destination: '101',
      call_start: formatZadarmaDate(t.pbxClock.now(), 180),
      pbx_call_id: 'in_presence_unit_1',
      internal: '101',
    };
    expect(await ingest.handle(post(answer))).toMatchObject({ kind: 'accepted' });
    expect(t.presence.online('101')).toBe(true);
    const routed = await ingest.handle(post(notifyStart(t, 'in_presence_unit_2')));
    expect(routed.kind === 'accepted' && JSON.parse(routed.reply)).toMatchObject({ redirect: '101' });
  });
});
