import { afterEach, describe, expect, it } from 'vitest';
import { callApi, type Received, type Responder, startReceiver } from '../../test/independent-zadarma.js';
import { createSimulator, type Simulator, type SimulatorOptions } from '../simulator.js';

const creds = { key: 'a0b1c2d3e4f5a6b7c8d9', secret: 'f0e1d2c3b4a5968778f9' };
const LONDON = '442037691999';
const PARIS = '33187654321';
const CALLER = '+33612345678';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) {
    await c();
  }
});

async function setup(options: Partial<SimulatorOptions> = {}, responder?: Responder) {
  const receiver = await startReceiver(creds.secret, responder);
  const sim: Simulator = await createSimulator({
    ...creds,
    speed: 1000,
    rateLimits: false,
    webhookUrl: receiver.url,
    ...options,
  });
  cleanups.push(
    () => sim.close(),
    () => receiver.close(),
  );
  return { sim, receiver };
}

/** Plays a call to the end and returns what the receiver got for it, checking every signature. */
async function play(sim: Simulator, receiver: { received: Received[] }, pbxCallId: string) {
  const trace = await sim.waitForCall(pbxCallId, { timeoutMs: 10_000 });
  const events = receiver.received.filter((r) => r.fields.pbx_call_id === pbxCallId);
  for (const e of events) {
    expect(e.signatureValid, `signature of ${e.event}`).toBe(true);
  }
  return { trace, events };
}

const names = (events: Received[]) => events.map((e) => e.event);
const keys = (e: Received | undefined) => e?.pairs.map(([k]) => k);
const internals = (events: Received[]) =>
  events.filter((e) => e.event === 'NOTIFY_INTERNAL').map((e) => e.fields.internal);

describe('inbound calls through a ring group', () => {
  it('answered by one extension: START, INTERNAL per extension, ANSWER, END, RECORD with real field sets', async () => {
    const { sim, receiver } = await setup();
    const { pbxCallId } = sim.placeInbound({ from: CALLER, to: LONDON, answer: '101', talkSeconds: 42 });
    expect(pbxCallId).toMatch(/^in_[0-9a-f]{40}$/);
    const { trace, events } = await play(sim, receiver, pbxCallId);
    expect(names(events)).toEqual([
      'NOTIFY_START',
      'NOTIFY_INTERNAL',
      'NOTIFY_INTERNAL',
      'NOTIFY_INTERNAL',
      'NOTIFY_ANSWER',
      'NOTIFY_END',
      'NOTIFY_RECORD',
    ]);
    expect(internals(events)).toEqual(['100', '101', '102']);
    const [start, internal, , , answer, end, record] = events;
    expect(keys(start)).toEqual(['event', 'call_start', 'pbx_call_id', 'caller_id', 'called_did']);
    expect(start?.fields).toMatchObject({ caller_id: CALLER, called_did: LONDON });
    expect(start?.fields.call_start).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(keys(internal)).toEqual([
      'event',
      'call_start',
      'pbx_call_id',
      'caller_id',
      'called_did',
      'internal',
      'calltype',
    ]);
    expect(internal?.fields.calltype).toBe('normal');
    expect(keys(answer)).toEqual([
      'event',
      'caller_id',
      'destination',
      'call_start',
      'pbx_call_id',
      'internal',
    ]);
    expect(answer?.fields).toMatchObject({ destination: '101', internal: '101' });
    expect(keys(end)).toEqual([
      'event',
      'call_start',
      'pbx_call_id',
      'caller_id',
      'called_did',
      'internal',
      'duration',
      'status_code',
      'is_recorded',
      'call_id_with_rec',
      'last_internal',
      'calltype',
      'disposition',
    ]);
    expect(end?.fields).toMatchObject({
      internal: '101',
      duration: '42',
      status_code: '16',
      is_recorded: '1',
      last_internal: '101',
      calltype: 'normal',
      disposition: 'answered',
    });
    expect(end?.fields.call_id_with_rec).toMatch(/^\d{10}\.\d{7}$/);
    expect(keys(record)).toEqual(['event', 'call_id_with_rec', 'pbx_call_id']);
    expect(record?.fields.call_id_with_rec).toBe(end?.fields.call_id_with_rec);
    // One call_start for all events of the call (§5.5).
    expect(new Set(events.filter((e) => e.fields.call_start).map((e) => e.fields.call_start)).size).toBe(1);
    expect(trace.outcome).toMatchObject({
      disposition: 'answered',
      answeredBy: '101',
      duration: 42,
      isRecorded: true,
    });
    expect(trace.webhooks.map((w) => [w.event, w.httpStatus])).toEqual(events.map((e) => [e.event, 200]));
    expect(trace.webhooks.map((w) => w.signature)).toEqual(events.map((e) => e.signature));
    expect(trace.routing.some((s) => s.action === 'ringing 100, 101, 102')).toBe(true);
  });

  it.each([
    ['no answer', null, '19'],
    ['busy', null, '17'],
    ['cancel', null, '16'],
  ] as const)(
    'missed as %s: END without internal, call_id_with_rec or last_internal',
    async (outcome, answer, code) => {
      const { sim, receiver } = await setup();
      const { pbxCallId } = sim.placeInbound({ from: CALLER, to: LONDON, answer, outcome });
      const { trace, events } = await play(sim, receiver, pbxCallId);
      expect(names(events)).toEqual([
        'NOTIFY_START',
        'NOTIFY_INTERNAL',
        'NOTIFY_INTERNAL',
        'NOTIFY_INTERNAL',
        'NOTIFY_END',
      ]);
      const end = events.at(-1);
      expect(keys(end)).toEqual([
        'event',
        'call_start',
        'pbx_call_id',
        'caller_id',
        'called_did',
        'duration',
        'status_code',
        'is_recorded',
        'calltype',
        'disposition',
      ]);
      expect(end?.fields).toMatchObject({
        duration: '0',
        status_code: code,
        is_recorded: '0',
        disposition: outcome,
      });
      expect(trace.outcome?.disposition).toBe(outcome);
    },
  );

  it('skips offline extensions and says so in the trace', async () => {
    const { sim, receiver } = await setup();
    sim.setExtensionOnline('100', false);
    const { pbxCallId } = sim.placeInbound({ from: CALLER, to: LONDON, answer: '102' });
    const { trace, events } = await play(sim, receiver, pbxCallId);
    expect(internals(events)).toEqual(['101', '102']);
    expect(trace.routing.find((s) => s.action === 'skipped 100')?.why).toBe('extension 100 is offline');
  });

  it('transfer: the second extension is last_internal, internal stays the first', async () => {
    const { sim, receiver } = await setup();
    const { pbxCallId } = sim.placeInbound({
      from: CALLER,
      to: LONDON,
      answer: '101',
      transferTo: '103',
      talkSeconds: 60,
    });
    const { events } = await play(sim, receiver, pbxCallId);
    expect(names(events)).toEqual([
      'NOTIFY_START',
      'NOTIFY_INTERNAL',
      'NOTIFY_INTERNAL',
      'NOTIFY_INTERNAL',
      'NOTIFY_ANSWER',
      'NOTIFY_INTERNAL',
      'NOTIFY_ANSWER',
      'NOTIFY_END',
      'NOTIFY_RECORD',
    ]);
    expect(events[5]?.fields.internal).toBe('103');
    expect(events[7]?.fields).toMatchObject({ internal: '101', last_internal: '103', duration: '60' });
    const rows = sim.data.pbxStats.filter((r) => r.pbx_call_id === pbxCallId);
    expect(rows.map((r) => [r.sip, r.seconds])).toEqual([
      ['101', 30],
      ['103', 30],
    ]);
  });

  it('hidden caller id arrives as caller_id 0 and still verifies', async () => {
    const { sim, receiver } = await setup();
    const { pbxCallId } = sim.placeInbound({ from: null, to: LONDON, answer: '100', talkSeconds: 5 });
    const { events } = await play(sim, receiver, pbxCallId);
    expect(events.every((e) => e.event === 'NOTIFY_RECORD' || e.fields.caller_id === '0')).toBe(true);
  });
});

describe('NOTIFY_START replies', () => {
  it('redirect + caller_name: rings only that extension and records the name on the phone', async () => {
    const { sim, receiver } = await setup({}, (e) =>
      e.event === 'NOTIFY_START'
        ? { body: JSON.stringify({ redirect: '104', caller_name: 'ACME — J. Smith' }) }
        : undefined,
    );
    const { pbxCallId } = sim.placeInbound({ from: CALLER, to: LONDON, answer: '104', talkSeconds: 10 });
    const { trace, events } = await play(sim, receiver, pbxCallId);
    expect(names(events)).toEqual([
      'NOTIFY_START',
      'NOTIFY_INTERNAL',
      'NOTIFY_ANSWER',
      'NOTIFY_END',
      'NOTIFY_RECORD',
    ]);
    expect(internals(events)).toEqual(['104']);
    expect(trace.displayName).toBe('ACME — J. Smith');
    expect(trace.webhooks[0]?.note).toContain('reply honoured');
    expect(trace.routing.find((s) => s.action === 'ringing 104')?.why).toContain('"ACME — J. Smith"');
  });

  it('redirect with return_timeout: after the timeout the PBX scenario resumes', async () => {
    const { sim, receiver } = await setup({}, (e) =>
      e.event === 'NOTIFY_START' ? { body: '{"redirect":"104","return_timeout":5}' } : undefined,
    );
    const { pbxCallId } = sim.placeInbound({ from: CALLER, to: LONDON, answer: '102', talkSeconds: 10 });
    const { trace, events } = await play(sim, receiver, pbxCallId);
    expect(internals(events)).toEqual(['104', '100', '101', '102']);
    expect(events.find((e) => e.event === 'NOTIFY_ANSWER')?.fields.internal).toBe('102');
    expect(trace.routing.some((s) => s.action === 'returned to scenario')).toBe(true);
  });

  it('redirect without return_timeout stays on the extension and ends unanswered', async () => {
    const { sim, receiver } = await setup({}, (e) =>
      e.event === 'NOTIFY_START' ? { body: '{"redirect":"104"}' } : undefined,
    );
    const { pbxCallId } = sim.placeInbound({ from: CALLER, to: LONDON, answer: '102' });
    const { events } = await play(sim, receiver, pbxCallId);
    expect(internals(events)).toEqual(['104']);
    expect(events.at(-1)?.fields.disposition).toBe('no answer');
  });

  it('redirect to a scenario "0-2" rings that scenario', async () => {
    const { sim, receiver } = await setup({}, (e) =>
      e.event === 'NOTIFY_START' ? { body: '{"redirect":"0-2"}' } : undefined,
    );
    const { pbxCallId } = sim.placeInbound({ from: CALLER, to: LONDON, answer: '104' });
    const { events } = await play(sim, receiver, pbxCallId);
    expect(internals(events)).toEqual(['103', '104']);
  });

  it('blacklist ends the call busy without ringing anyone', async () => {
    const { sim, receiver } = await setup({}, (e) =>
      e.event === 'NOTIFY_START' ? { body: '{"redirect":"blacklist"}' } : undefined,
    );
    const { pbxCallId } = sim.placeInbound({ from: CALLER, to: LONDON, answer: '101' });
    const { events } = await play(sim, receiver, pbxCallId);
    expect(names(events)).toEqual(['NOTIFY_START', 'NOTIFY_END']);
    expect(events[1]?.fields).toMatchObject({ disposition: 'busy', status_code: '17' });
  });

  it('hangup ends the call at once', async () => {
    const { sim, receiver } = await setup({}, (e) =>
      e.event === 'NOTIFY_START' ? { body: '{"hangup":1}' } : undefined,
    );
    const { pbxCallId } = sim.placeInbound({ from: CALLER, to: LONDON, answer: '101' });
    const { events } = await play(sim, receiver, pbxCallId);
    expect(names(events)).toEqual(['NOTIFY_START', 'NOTIFY_END']);
    expect(events[1]?.fields.disposition).toBe('cancel');
  });

  it('a reply slower than the deadline is ignored and the trace says so', async () => {
    const { sim, receiver } = await setup({ replyDeadlineMs: 80 }, (e) =>
      e.event === 'NOTIFY_START' ? { body: '{"redirect":"104"}', delayMs: 250 } : undefined,
    );
    const { pbxCallId } = sim.placeInbound({ from: CALLER, to: LONDON, answer: '101', talkSeconds: 5 });
    const { trace, events } = await play(sim, receiver, pbxCallId);
    expect(internals(events)).toEqual(['100', '101', '102']);
    const start = trace.webhooks[0];
    expect(start?.note).toMatch(/after the 80 ms deadline/);
    expect(start?.latencyMs).toBeGreaterThanOrEqual(200);
    expect(trace.routing[0]?.action).toBe('NOTIFY_START reply ignored');
  });

  it.each([
    ['not JSON', 'redirect me please', /not JSON/],
    ['a wrong type', '{"redirect":{"to":"104"}}', /redirect must be a string/],
    ['an HTTP error', '', /HTTP 500/],
  ])('a reply that is %s is ignored', async (_what, body, note) => {
    const { sim, receiver } = await setup({}, (e) =>
      e.event === 'NOTIFY_START' ? { body, status: body === '' ? 500 : 200 } : undefined,
    );
    const { pbxCallId } = sim.placeInbound({ from: CALLER, to: LONDON, answer: '101', talkSeconds: 5 });
    const { trace, events } = await play(sim, receiver, pbxCallId);
    expect(internals(events)).toEqual(['100', '101', '102']);
    expect(trace.webhooks[0]?.note).toMatch(note);
  });
});

describe('IVR', () => {
  it('ivr_play + wait_dtmf: NOTIFY_IVR carries the digits, its reply routes the call', async () => {
    const { sim, receiver } = await setup({}, (e) => {
      if (e.event === 'NOTIFY_START') {
        return {
          body: JSON.stringify({
            ivr_play: '687a8e13a7987a5ca70a4eb7',
            wait_dtmf: { timeout: 5, attempts: 2, maxdigits: 1, name: 'main_menu', default: 'hangup' },
          }),
        };
      }
      if (e.event === 'NOTIFY_IVR') {
        return { body: JSON.stringify({ redirect: e.fields['wait_dtmf[digits]'] === '2' ? '103' : '100' }) };
      }
      return undefined;
    });
    const { pbxCallId } = sim.placeInbound({
      from: CALLER,
      to: LONDON,
      answer: '103',
      dtmf: ['2'],
      talkSeconds: 5,
    });
    const { events } = await play(sim, receiver, pbxCallId);
    expect(names(events)).toEqual([
      'NOTIFY_START',
      'NOTIFY_IVR',
      'NOTIFY_INTERNAL',
      'NOTIFY_ANSWER',
      'NOTIFY_END',
      'NOTIFY_RECORD',
    ]);
    const ivr = events[1];
    expect(ivr?.pairs).toEqual([
      ['event', 'NOTIFY_IVR'],
      ['call_start', events[0]?.fields.call_start],
      ['pbx_call_id', pbxCallId],
      ['caller_id', CALLER],
      ['called_did', LONDON],
      ['wait_dtmf[name]', 'main_menu'],
      ['wait_dtmf[digits]', '2'],
    ]);
    expect(internals(events)).toEqual(['103']);
  });

  it('no input: NOTIFY_IVR reports the default behaviour and the wait_dtmf default applies', async () => {
    const { sim, receiver } = await setup({}, (e) =>
      e.event === 'NOTIFY_START'
        ? {
            body: JSON.stringify({
              ivr_play: 'x1',
              wait_dtmf: { timeout: 3, attempts: 1, maxdigits: 1, name: 'm', default: 'hangup' },
            }),
          }
        : undefined,
    );
    const { pbxCallId } = sim.placeInbound({ from: CALLER, to: LONDON, answer: '101' });
    const { events } = await play(sim, receiver, pbxCallId);
    expect(names(events)).toEqual(['NOTIFY_START', 'NOTIFY_IVR', 'NOTIFY_END']);
    expect(events[1]?.fields['wait_dtmf[default_behaviour]']).toBe('1');
    expect(events[2]?.fields.disposition).toBe('cancel');
  });

  it("the PBX's own voice menu routes by the digit pressed, without NOTIFY_IVR", async () => {
    const { sim, receiver } = await setup();
    const { pbxCallId } = sim.placeInbound({
      from: CALLER,
      to: PARIS,
      answer: '104',
      dtmf: ['2'],
      talkSeconds: 5,
    });
    const { trace, events } = await play(sim, receiver, pbxCallId);
    expect(names(events)).toEqual([
      'NOTIFY_START',
      'NOTIFY_INTERNAL',
      'NOTIFY_INTERNAL',
      'NOTIFY_ANSWER',
      'NOTIFY_END',
      'NOTIFY_RECORD',
    ]);
    expect(internals(events)).toEqual(['103', '104']);
    expect(trace.routing.some((s) => s.why.includes('caller pressed 2'))).toBe(true);
  });
});

describe('outbound and callback calls', () => {
  it('outbound from an extension: OUT_START, ANSWER, OUT_END, RECORD', async () => {
    const { sim, receiver } = await setup();
    const { pbxCallId } = sim.placeOutbound({ extension: '102', to: '442037691881', talkSeconds: 35 });
    expect(pbxCallId).toMatch(/^out_[0-9a-f]{40}$/);
    const { events } = await play(sim, receiver, pbxCallId);
    expect(names(events)).toEqual(['NOTIFY_OUT_START', 'NOTIFY_ANSWER', 'NOTIFY_OUT_END', 'NOTIFY_RECORD']);
    expect(events[0]?.pairs.map(([k]) => k)).toEqual([
      'event',
      'call_start',
      'pbx_call_id',
      'internal',
      'destination',
      'caller_id',
    ]);
    expect(events[0]?.fields).toMatchObject({
      internal: '102',
      destination: '442037691881',
      caller_id: LONDON,
    });
    expect(keys(events[2])).toEqual([
      'event',
      'call_start',
      'pbx_call_id',
      'caller_id',
      'destination',
      'internal',
      'duration',
      'status_code',
      'is_recorded',
      'call_id_with_rec',
      'calltype',
      'disposition',
    ]);
    expect(events[2]?.fields).toMatchObject({ duration: '35', disposition: 'answered', calltype: 'normal' });
  });

  it('outbound not answered: OUT_END with no answer and nothing recorded', async () => {
    const { sim, receiver } = await setup();
    const { pbxCallId } = sim.placeOutbound({ extension: '102', to: '442037691881', outcome: 'no answer' });
    const { events } = await play(sim, receiver, pbxCallId);
    expect(names(events)).toEqual(['NOTIFY_OUT_START', 'NOTIFY_OUT_END']);
    expect(events[1]?.fields).toMatchObject({
      disposition: 'no answer',
      status_code: '19',
      is_recorded: '0',
    });
    expect(events[1]?.fields.call_id_with_rec).toBeUndefined();
  });

  it('API callback: leg 1 rings the extension, leg 2 the customer, with callback_leg1/leg2', async () => {
    const { sim, receiver } = await setup();
    const res = await callApi(sim.url, creds, 'GET', '/v1/request/callback/', {
      from: '101',
      to: '+442037691881',
      sip: '101',
    });
    expect(res.body).toMatchObject({ status: 'success', from: '101', to: '442037691881' });
    expect(typeof res.body.time).toBe('number');
    const pbxCallId = sim.listCalls().at(-1)?.pbxCallId as string;
    const { events } = await play(sim, receiver, pbxCallId);
    expect(events.map((e) => `${e.event}${e.fields.calltype ? `:${e.fields.calltype}` : ''}`)).toEqual([
      'NOTIFY_OUT_START:callback_leg1',
      'NOTIFY_OUT_START:callback_leg2',
      'NOTIFY_ANSWER',
      'NOTIFY_OUT_END:callback_leg2',
      'NOTIFY_OUT_END:callback_leg1',
      'NOTIFY_RECORD',
    ]);
    expect(events[3]?.fields).toMatchObject({
      internal: '101',
      destination: '+442037691881',
      is_recorded: '1',
    });
    expect(events[4]?.fields.is_recorded).toBe('0');
  });

  it('callback with leg-1 events off and predicted: only the customer leg is reported, customer first', async () => {
    const { sim, receiver } = await setup({ callbackLeg1Events: false });
    const { pbxCallId } = sim.placeCallback({
      from: '101',
      to: '442037691881',
      predicted: true,
      talkSeconds: 5,
    });
    const { trace, events } = await play(sim, receiver, pbxCallId);
    expect(names(events)).toEqual(['NOTIFY_OUT_START', 'NOTIFY_ANSWER', 'NOTIFY_OUT_END', 'NOTIFY_RECORD']);
    expect(
      events.every(
        (e) =>
          e.event === 'NOTIFY_ANSWER' || e.event === 'NOTIFY_RECORD' || e.fields.calltype === 'callback_leg2',
      ),
    ).toBe(true);
    expect(trace.routing[1]?.action).toBe('callback: calling 442037691881 first');
  });

  it('callback whose extension does not answer never dials the customer', async () => {
    const { sim, receiver } = await setup();
    const { pbxCallId } = sim.placeCallback({
      from: '101',
      to: '442037691881',
      extensionOutcome: 'no answer',
    });
    const { events } = await play(sim, receiver, pbxCallId);
    expect(names(events)).toEqual(['NOTIFY_OUT_START', 'NOTIFY_OUT_END']);
    expect(events[1]?.fields).toMatchObject({ calltype: 'callback_leg1', disposition: 'no answer' });
  });
});

describe('delivery options', () => {
  it('multipart bodies (standard by default) verify with an independent receiver', async () => {
    const { sim, receiver } = await setup({ format: 'multipart' });
    const { pbxCallId } = sim.placeInbound({ from: CALLER, to: LONDON, answer: '101', talkSeconds: 3 });
    const { events } = await play(sim, receiver, pbxCallId);
    expect(events).toHaveLength(7);
    expect(events.every((e) => e.contentType.startsWith('multipart/form-data; boundary='))).toBe(true);
    expect(events[0]?.pairs.map(([k]) => k)).toEqual([
      'event',
      'call_start',
      'pbx_call_id',
      'caller_id',
      'called_did',
    ]);
  });

  it('duplicateEvents sends every notification twice', async () => {
    const { sim, receiver } = await setup({ duplicateEvents: true });
    const { pbxCallId } = sim.placeOutbound({ extension: '100', to: '442037691881', talkSeconds: 3 });
    const { trace, events } = await play(sim, receiver, pbxCallId);
    expect(names(events)).toEqual([
      'NOTIFY_OUT_START',
      'NOTIFY_OUT_START',
      'NOTIFY_ANSWER',
      'NOTIFY_ANSWER',
      'NOTIFY_OUT_END',
      'NOTIFY_OUT_END',
      'NOTIFY_RECORD',
      'NOTIFY_RECORD',
    ]);
    expect(trace.webhooks.filter((w) => w.duplicate)).toHaveLength(4);
  });

  it('shuffleEvents delivers the same events in another order, NOTIFY_START first', async () => {
    const { sim, receiver } = await setup({ shuffleEvents: true, seed: 7 });
    const { pbxCallId } = sim.placeInbound({ from: CALLER, to: LONDON, answer: '101', talkSeconds: 3 });
    const { events } = await play(sim, receiver, pbxCallId);
    const inOrder = [
      'NOTIFY_START',
      'NOTIFY_INTERNAL',
      'NOTIFY_INTERNAL',
      'NOTIFY_INTERNAL',
      'NOTIFY_ANSWER',
      'NOTIFY_END',
      'NOTIFY_RECORD',
    ];
    expect(names(events)[0]).toBe('NOTIFY_START');
    expect([...names(events)].sort()).toEqual([...inOrder].sort());
    expect(names(events)).not.toEqual(inOrder);
  });

  it('without a webhook URL the call still plays and the trace says nothing was sent', async () => {
    const sim = await createSimulator({ ...creds, speed: 1000, rateLimits: false });
    cleanups.push(() => sim.close());
    const { pbxCallId } = sim.placeInbound({ from: CALLER, to: LONDON, answer: '101', talkSeconds: 3 });
    const trace = await sim.waitForCall(pbxCallId);
    expect(trace.outcome?.disposition).toBe('answered');
    expect(
      trace.webhooks.every((w) => w.url === null && w.note?.includes('no PBX call notifications URL')),
    ).toBe(true);
  });

  it('reproduces the docs/zadarma-protocol.md §5.6.1 NOTIFY_START body and signature byte for byte', async () => {
    const { sim, receiver } = await setup(
      { speed: 1, startTime: Date.UTC(2024, 4, 14, 7, 15, 30), timings: { busySeconds: 0 } },
      undefined,
    );
    const { pbxCallId } = sim.placeInbound({
      from: '442037691880',
      to: LONDON,
      answer: null,
      outcome: 'busy',
    });
    const { events } = await play(sim, receiver, pbxCallId);
    expect(events[0]?.pairs).toEqual([
      ['event', 'NOTIFY_START'],
      ['call_start', '2024-05-14 10:15:30'],
      ['pbx_call_id', pbxCallId],
      ['caller_id', '442037691880'],
      ['called_did', '442037691999'],
    ]);
    expect(events[0]?.signature).toBe('MGRhZjkyYWEyMDgyNzI2NjFmZTE1MzEzNTVmYWIwYjg5NmQ2NGFlYw==');
  });
});
