/**
 * Issue 12 §7, §8, §10 end to end: the simulator rings this server, which answers NOTIFY_START; the simulator's
 * trace shows where each call went and what the phones displayed, and the call's own trace here says why — each
 * feature with its switch on and off, on both dialects.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../test-support/test-database.js';
import { eventFromPayload } from '../../crm/timeline/record-activity.js';
import { openSse, useTelephonyTest } from '../test-support/test-telephony.js';

const NUMBER = '442037691999';
const JEAN = '+33612345678';

describe.each(TEST_DIALECTS)('what NOTIFY_START decides, against the simulator, on %s', (dialect) => {
  const t = useTelephonyTest(dialect);
  let contactId: string;

  beforeAll(async () => {
    // A new install: every switch off.
    expect((await t.runtime.settings()).features).toMatchObject({
      routeToResponsible: false,
      callerName: false,
      blacklist: false,
    });
    const contact = await t.as(t.admin, {
      method: 'POST',
      url: '/api/contacts',
      payload: {
        firstName: 'Jean',
        lastName: 'Dupont',
        phones: [{ raw: JEAN }],
        responsibleUserId: t.agent2.id,
      },
    });
    expect(contact.statusCode, contact.body).toBe(201);
    contactId = contact.json().id;
    const deal = await t.as(t.admin, {
      method: 'POST',
      url: '/api/deals',
      payload: { title: 'Fleet renewal', amount: 12_000, contactId, responsibleUserId: t.agent1.id },
    });
    expect(deal.statusCode, deal.body).toBe(201);
  }, 60_000);

  /** Places a call, waits for it to be played and processed, and returns the simulator's trace. */
  async function ring(from: string, answer: string | null = null) {
    const { pbxCallId } = t.sim.placeInbound({ from, to: NUMBER, answer, talkSeconds: 2 });
    await t.settle(t.sim, pbxCallId);
    const trace = t.sim.getCall(pbxCallId);
    if (!trace) {
      throw new Error(`no trace for ${pbxCallId}`);
    }
    return trace;
  }

  /** The decision's steps on our call's trace: `code extension` each. */
  async function ourTrace(pbxCallId: string): Promise<string[]> {
    const call = await t.live.adapters.calls.get(pbxCallId);
    const rows = await t.database.db
      .selectFrom('activities')
      .select(['payload'])
      .where('subject_type', '=', 'call')
      .where('subject_id', '=', call?.id ?? '')
      .orderBy('at')
      .execute();
    return rows.map((r) => {
      const event = eventFromPayload(r.payload);
      const ext =
        event?.params.extension ?? (event?.type === 'call.routing.stepNone' ? event.params.step : null);
      return `${event?.type.replace('call.routing.', '')}${ext ? ` ${ext}` : ''}`;
    });
  }

  const actions = (trace: { routing: { action: string; why: string }[] }) =>
    trace.routing.map((r) => `${r.action}: ${r.why}`).join('\n');

  it('7 — routes to the open deal’s owner, skips them while their phone is offline, and leaves the PBX alone when off', async () => {
    const off = await ring(JEAN);
    expect(actions(off)).toMatch(/ringing 100, 101, 102.*PBX scenario/);
    expect(await ourTrace(off.pbxCallId)).toEqual(['knownCaller', 'routingOff']);

    await t.runtime.update({ features: { routeToResponsible: true } });
    const deal = await ring(JEAN, '101');
    expect(actions(deal)).toContain('the CRM redirected to 101 with return_timeout 20 s');
    expect(deal.outcome?.answeredBy).toBe('101');
    expect(await ourTrace(deal.pbxCallId)).toEqual(['knownCaller', 'routed 101']);

    // 101's phone unregisters: the background refresh sees it, and the chain moves on to the contact's owner.
    t.sim.setExtensionOnline('101', false);
    await t.live.presence.refresh();
    try {
      const skipped = await ring(JEAN, '102');
      expect(actions(skipped)).toContain('the CRM redirected to 102');
      expect(await ourTrace(skipped.pbxCallId)).toEqual([
        'knownCaller',
        'offline 101',
        'stepNone lead',
        'routed 102',
      ]);
    } finally {
      t.sim.setExtensionOnline('101', true);
      await t.live.presence.refresh();
    }

    // Out of working hours: agent1 works only from two to three hours from now (UTC), every day.
    const hour = (offset: number) =>
      `${String((new Date().getUTCHours() + offset) % 24).padStart(2, '0')}:00`;
    await t.runtime.update({
      routing: {
        workingHours: {
          [t.agent1.id]: { days: [1, 2, 3, 4, 5, 6, 7], from: hour(2), to: hour(3), timeZone: 'UTC' },
        },
      },
    });
    const outside = await ring(JEAN, '102');
    expect(actions(outside)).toContain('the CRM redirected to 102');
    expect(await ourTrace(outside.pbxCallId)).toEqual([
      'knownCaller',
      'outsideHours 101',
      'stepNone lead',
      'routed 102',
    ]);
    await t.runtime.update({ routing: { workingHours: {} }, features: { routeToResponsible: false } });
  });

  it('8 — shows the client’s name from the template on the ringing phones, a label for unknown numbers, nothing when off', async () => {
    const off = await ring(JEAN);
    expect(off.displayName).toBe(JEAN);
    await t.runtime.update({
      features: { callerName: true },
      callerNameFormat: {
        template: '{vip} {contact} ({dealStage})',
        vipAmount: 10_000,
        unknownLabel: 'New client',
        missedLabel: 'Missed you {missed}x today',
      },
    });
    const named = await ring(JEAN);
    expect(named.displayName).toMatch(/^VIP Jean Dupont \(.+\)$/);
    expect(actions(named)).toContain(`the CRM replied caller_name "${named.displayName}"`);
    expect(await ourTrace(named.pbxCallId)).toContain('callerName');

    const stranger = '+33611112222';
    expect((await ring(stranger)).displayName).toBe('New client');
    // Nobody answered that one: the second call says so.
    expect((await ring(stranger)).displayName).toBe('Missed you 1x today');

    await t.runtime.update({ callerNameFormat: { template: '{contact}', transliterate: true } });
    await t.as(t.admin, {
      method: 'PATCH',
      url: `/api/contacts/${contactId}`,
      payload: { firstName: 'Жан' },
    });
    expect((await ring(JEAN)).displayName).toBe('Zhan Dupont');
    await t.as(t.admin, {
      method: 'PATCH',
      url: `/api/contacts/${contactId}`,
      payload: { firstName: 'Jean' },
    });
    await t.runtime.update({ features: { callerName: false } });
  });

  it('10 — refuses a blacklisted caller with busy or a hang-up, raises no popup, counts it, and lets them ring when off', async () => {
    const spammer = '+33699887766';
    const added = await t.as(t.agent1, {
      method: 'POST',
      url: '/api/telephony/blacklist',
      payload: { number: spammer },
    });
    expect(added.statusCode, added.body).toBe(201);
    const off = await ring(spammer);
    expect(actions(off)).toMatch(/ringing 100, 101, 102/);
    expect(await ourTrace(off.pbxCallId)).toEqual(['unknownCaller', 'routingOff']);

    await t.runtime.update({ features: { blacklist: true } });
    const sse = await openSse(t.url, t.cookieOf(t.admin));
    try {
      const busy = await ring(spammer);
      expect(actions(busy)).toContain('blacklisted: the CRM replied redirect=blacklist: busy tone');
      expect(busy.outcome?.disposition).toBe('busy');
      expect(actions(busy)).not.toMatch(/ringing/);
      expect(
        sse.messages.filter(
          (m) =>
            (m.data as { pbxCallId?: string }).pbxCallId === busy.pbxCallId && m.event === 'call.ringing',
        ),
      ).toEqual([]);
      expect(await ourTrace(busy.pbxCallId)).toEqual(['blacklisted']);

      await t.runtime.update({ blacklistAction: 'hangup' });
      const hung = await ring(spammer);
      expect(actions(hung)).toContain('hung up: the CRM replied hangup');
    } finally {
      sse.close();
    }
    const list = await t.as(t.admin, { method: 'GET', url: '/api/telephony/blacklist' });
    expect(list.json().blockedCalls).toBe(2);
    expect(list.json().items).toEqual([expect.objectContaining({ e164: spammer, blockedCalls: 2 })]);

    // A client's number blocked too: blocked, and the contact's page can say so.
    await t.as(t.admin, {
      method: 'POST',
      url: '/api/telephony/blacklist',
      payload: { number: '+33 6 12', isPrefix: true },
    });
    const blocking = await t.as(t.agent2, {
      method: 'GET',
      url: `/api/telephony/blacklist/blocking?numbers=${encodeURIComponent(JEAN)}`,
    });
    expect(blocking.json().items).toEqual([expect.objectContaining({ e164: '+33612', isPrefix: true })]);
    expect(actions(await ring(JEAN))).toContain('hung up');
    await t.runtime.update({ features: { blacklist: false }, blacklistAction: 'busy' });
  });

  it('answers with a decision, not {}, while the database takes a stream of writes', async () => {
    await t.runtime.update({ features: { routeToResponsible: true, callerName: true } });
    let writing = true;
    const writer = (async () => {
      let n = 0;
      while (writing) {
        await t.as(t.admin, {
          method: 'POST',
          url: '/api/contacts',
          payload: {
            firstName: `Load${n}`,
            lastName: 'Writer',
            phones: [{ raw: `+336${String(10_000_000 + n)}` }],
          },
        });
        n += 1;
      }
      return n;
    })();
    try {
      // One call after another under the writes: what is tested is that the writes never hold a decision up (a lock
      // or a queue behind them), not how many decisions this machine's two cores can make at once.
      const calls = [];
      for (let i = 0; i < 8; i += 1) {
        calls.push(await ring(JEAN, '101'));
      }
      for (const call of calls) {
        const start = call.webhooks.find((w) => w.event === 'NOTIFY_START');
        // Answered, never failed nor late: the simulator notes a failed delivery or a reply after the PBX's deadline
        // ("… ignored, the PBX scenario runs"); the budget itself is the code's (`{}` once spent), not this machine's.
        expect(start?.error).toBeNull();
        expect(start?.note ?? '').not.toMatch(/deadline|failed/);
        expect(start?.httpStatus).toBe(200);
        expect(JSON.parse(start?.replyBody ?? '{}')).toMatchObject({ redirect: '101' });
      }
    } finally {
      writing = false;
    }
    expect(await writer).toBeGreaterThan(0);
    await t.runtime.update({ features: { routeToResponsible: false, callerName: false } });
  });
});
