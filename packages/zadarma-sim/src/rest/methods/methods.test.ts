import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, type Receiver, startReceiver } from '../../../test/independent-zadarma.js';
import { readWavInfo } from '../../audio/wav.js';
import { createSimulator, type Simulator } from '../../simulator.js';

const creds = { key: 'k-methods', secret: 's-methods' };
// 2024-05-14 07:00:00 UTC = 10:00:00 in the default account timezone UTC+3.
const START = Date.UTC(2024, 4, 14, 7, 0, 0);
let sim: Simulator;
let receiver: Receiver;
const api = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, params: Record<string, string> = {}) =>
  callApi(sim.url, creds, method, path, params);

beforeAll(async () => {
  receiver = await startReceiver(creds.secret);
  sim = await createSimulator({
    ...creds,
    speed: 1000,
    startTime: START,
    rateLimits: false,
    eventsUrl: receiver.url,
  });
  // Three calls to build statistics from: answered inbound, missed inbound, answered outbound.
  const calls = [
    sim.placeInbound({ from: '+33612345678', to: '442037691999', answer: '101', talkSeconds: 42 }),
    sim.placeInbound({ from: '+33612345679', to: '442037691999', answer: null }),
    sim.placeOutbound({ extension: '102', to: '442037691881', talkSeconds: 65 }),
  ];
  for (const c of calls) {
    await sim.waitForCall(c.pbxCallId);
  }
});
afterAll(async () => {
  await sim.close();
  await receiver.close();
});

describe('account and PBX methods', () => {
  it('info/timezone shows virtual time in the account timezone', async () => {
    const res = await api('GET', '/v1/info/timezone/');
    expect(res.body.timezone).toBe('UTC+3');
    expect(res.body.datetime).toMatch(/^2024-05-14 1\d:\d\d:\d\d$/);
    expect(typeof res.body.unixtime).toBe('number');
  });

  it('info/balance went down by the cost of the outbound call (2 started minutes at 0.009)', async () => {
    expect((await api('GET', '/v1/info/balance/')).body).toEqual({
      status: 'success',
      balance: 99.982,
      currency: 'USD',
    });
  });

  it('info/price picks the longest matching prefix', async () => {
    const res = await api('GET', '/v1/info/price/', { number: '442037691880' });
    expect(res.body).toEqual({
      status: 'success',
      info: { prefix: '4420', description: 'United Kingdom, London', price: '0.009', currency: 'USD' },
    });
  });

  it('pbx/internal lists extensions and their status follows the control API', async () => {
    expect((await api('GET', '/v1/pbx/internal/')).body).toEqual({
      status: 'success',
      pbx_id: 12345,
      numbers: [100, 101, 102, 103, 104, 105],
    });
    const off = await fetch(`${sim.url}/_sim/extensions/105/status`, {
      method: 'PUT',
      body: JSON.stringify({ online: false }),
    });
    expect(await off.json()).toEqual({ extension: '105', online: false });
    expect((await api('GET', '/v1/pbx/internal/105/status/')).body).toEqual({
      status: 'success',
      pbx_id: 12345,
      number: 105,
      is_online: 'false',
    });
    expect((await api('GET', '/v1/pbx/internal/104/status/')).body.is_online).toBe('true');
    expect((await api('GET', '/v1/pbx/internal/999/status/')).status).toBe(400);
  });

  it('pbx/internal/<ext>/info has the OAS fields', async () => {
    const res = await api('GET', '/v1/pbx/internal/101/info/');
    expect(Object.keys(res.body)).toEqual([
      'status',
      'pbx_id',
      'number',
      'name',
      'caller_id',
      'caller_id_app_change',
      'caller_id_by_direction',
      'lines',
      'ip_restriction',
      'record_store',
      'record_email',
      'supervisor_status',
    ]);
  });

  it('direct_numbers, sip and sip/callerid reflect the state', async () => {
    const numbers = await api('GET', '/v1/direct_numbers/');
    expect((numbers.body.info as { number: string }[]).map((n) => n.number)).toEqual([
      '442037691999',
      '33187654321',
    ]);
    expect((await api('GET', '/v1/sip/')).body).toEqual({
      status: 'success',
      sips: [{ id: '00001', display_name: 'Office', lines: 3 }],
      left: 4,
    });
    expect((await api('PUT', '/v1/sip/callerid/', { id: '00001', number: '33187654321' })).body).toEqual({
      status: 'success',
      sip: '00001',
      new_caller_id: '33187654321',
    });
    const refused = await api('PUT', '/v1/sip/callerid/', { id: '00001', number: '449999999999' });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toContain("'number'");
  });

  it('pbx/redirection can be switched on and read back', async () => {
    const on = await api('POST', '/v1/pbx/redirection/', {
      pbx_number: '100',
      status: 'on',
      type: 'phone',
      destination: '442037691880',
      condition: 'noanswer',
      set_caller_id: 'off',
    });
    expect(on.body).toEqual({
      status: 'success',
      current_status: 'on',
      pbx_id: '12345',
      pbx_name: '100',
      type: 'phone',
      destination: '442037691880',
      condition: 'noanswer',
    });
    expect((await api('GET', '/v1/pbx/redirection/', { pbx_number: '100' })).body.current_status).toBe('on');
    expect((await api('POST', '/v1/pbx/redirection/', { pbx_number: '100', status: 'maybe' })).status).toBe(
      400,
    );
  });

  it('webrtc/get_key returns a key for an extension and refuses an unknown one', async () => {
    expect((await api('GET', '/v1/webrtc/get_key/', { sip: '101' })).body.key).toMatch(/^[0-9a-f]{32}$/);
    expect((await api('GET', '/v1/webrtc/get_key/', { sip: '999' })).status).toBe(400);
  });
});

describe('statistics built from the calls played', () => {
  it('statistics/pbx version 2 lists one row per leg with real call ids', async () => {
    const res = await api('GET', '/v1/statistics/pbx/', {
      start: '2024-05-14 00:00:00',
      end: '2024-05-14 23:59:59',
      version: '2',
    });
    expect(res.body).toMatchObject({
      status: 'success',
      start: '2024-05-14 00:00:00',
      end: '2024-05-14 23:59:59',
      version: 2,
    });
    const stats = res.body.stats as Record<string, unknown>[];
    expect(stats.map((s) => [s.disposition, s.seconds, s.sip])).toEqual([
      ['answered', 42, '101'],
      ['no answer', 0, '100'],
      ['answered', 65, '102'],
    ]);
    expect(Object.keys(stats[0] as object)).toEqual([
      'call_id',
      'sip',
      'callstart',
      'clid',
      'destination',
      'disposition',
      'seconds',
      'is_recorded',
      'pbx_call_id',
    ]);
    expect(stats[0]?.call_id).toMatch(/^\d{10}\.\d{7}$/);
    expect(stats[2]?.clid).toBe('Sales 2 102 (102)');
  });

  it('filters by call_type and dates, and pages with skip/limit', async () => {
    const base = { start: '2024-05-14 00:00:00', end: '2024-05-14 23:59:59', version: '2' };
    const out = await api('GET', '/v1/statistics/pbx/', { ...base, call_type: 'out' });
    expect((out.body.stats as unknown[]).length).toBe(1);
    const page = await api('GET', '/v1/statistics/pbx/', { ...base, skip: '1', limit: '1' });
    expect((page.body.stats as { disposition: string }[]).map((s) => s.disposition)).toEqual(['no answer']);
    const before = await api('GET', '/v1/statistics/pbx/', { ...base, end: '2024-05-14 09:59:59' });
    expect(before.body.stats).toEqual([]);
    expect((await api('GET', '/v1/statistics/pbx/', { ...base, limit: '5000' })).status).toBe(400);
    expect(
      (await api('GET', '/v1/statistics/pbx/', { ...base, start: '2024-05-14' })).body.message,
    ).toContain("'start'");
  });

  it('statistics (account) lists the external legs with costs', async () => {
    const res = await api('GET', '/v1/statistics/', {
      start: '2024-05-14 00:00:00',
      end: '2024-05-14 23:59:59',
    });
    const stats = res.body.stats as Record<string, unknown>[];
    expect(stats).toHaveLength(3);
    expect(stats[2]).toMatchObject({
      to: '442037691881',
      billseconds: 65,
      cost: 0.009,
      billcost: 0.018,
      currency: 'USD',
    });
  });
});

describe('recordings and speech recognition', () => {
  it('pbx/record/request returns a time-limited link to a WAV as long as the talk', async () => {
    const answered = sim.listCalls()[0];
    const callId = answered?.outcome?.callIdWithRec as string;
    const res = await api('GET', '/v1/pbx/record/request/', { call_id: callId, lifetime: '3600' });
    expect(res.body.lifetime_till).toMatch(/^2024-05-1[45] /);
    const link = res.body.link as string;
    expect(link.startsWith(`${sim.url}/v1/pbx/record/download/`)).toBe(true);
    const audio = await fetch(link);
    expect(audio.headers.get('content-type')).toBe('audio/wav');
    const info = readWavInfo(Buffer.from(await audio.arrayBuffer()));
    expect(info).toEqual({ sampleRate: 8000, channels: 1, bitsPerSample: 16, durationSeconds: 42 });
    // At speed 1000 a 180 s link lasts 180 ms of real time.
    const short = await api('GET', '/v1/pbx/record/request/', { call_id: callId, lifetime: '180' });
    await new Promise((r) => setTimeout(r, 300));
    expect((await fetch(short.body.link as string)).status).toBe(403);
    expect((await api('GET', '/v1/pbx/record/request/', { call_id: callId, lifetime: '179' })).status).toBe(
      400,
    );
  });

  it('offers a recording only once NOTIFY_RECORD has been sent', async () => {
    const slow = await createSimulator({
      ...creds,
      speed: 1000,
      rateLimits: false,
      timings: { recordDelaySeconds: 3600 },
    });
    try {
      const { pbxCallId } = slow.placeInbound({
        from: '+33612345678',
        to: '442037691999',
        answer: '101',
        talkSeconds: 5,
      });
      await new Promise((r) => setTimeout(r, 100));
      const trace = slow.getCall(pbxCallId);
      expect(trace?.outcome?.isRecorded).toBe(true);
      expect(trace?.webhooks.map((w) => w.event)).not.toContain('NOTIFY_RECORD');
      const early = await callApi(slow.url, creds, 'GET', '/v1/pbx/record/request/', {
        pbx_call_id: pbxCallId,
      });
      expect(early.status).toBe(400);
    } finally {
      await slow.close();
    }
  });

  it('by pbx_call_id returns a links array; DELETE removes the file', async () => {
    const call = sim.listCalls()[2];
    const res = await api('GET', '/v1/pbx/record/request/', {
      pbx_call_id: call?.pbxCallId as string,
      lifetime: '5184000',
    });
    expect((res.body.links as string[]).length).toBe(1);
    const del = await api('DELETE', '/v1/pbx/record/request/', { pbx_call_id: call?.pbxCallId as string });
    expect(del.body).toEqual({
      status: 'success',
      deleted_files: [`${call?.outcome?.callIdWithRec}.wav`],
      failed_files: [],
    });
    expect((await fetch((res.body.links as string[])[0] as string)).status).toBe(404);
    expect(
      (await api('GET', '/v1/pbx/record/request/', { pbx_call_id: call?.pbxCallId as string })).status,
    ).toBe(400);
  });

  it('speech_recognition returns a transcript for a recording and PUT emits SPEECH_RECOGNITION', async () => {
    const callId = sim.listCalls()[0]?.outcome?.callIdWithRec as string;
    const words = await api('GET', '/v1/speech_recognition/', { call_id: callId, return: 'words' });
    expect(words.body).toMatchObject({ status: 'success', recognitionStatus: 'recognized' });
    const all = (words.body.words as { result: { e: number }[] }[]).flatMap((w) => w.result);
    expect(Math.max(...all.map((w) => w.e))).toBeLessThanOrEqual(42);
    const phrases = await api('GET', '/v1/speech_recognition/', { call_id: callId });
    expect((phrases.body.phrases as unknown[]).length).toBeGreaterThan(0);
    expect((await api('PUT', '/v1/speech_recognition/', { call_id: callId })).body).toEqual({
      status: 'success',
    });
    const [event] = await receiver.waitFor(1);
    expect(event?.event).toBe('SPEECH_RECOGNITION');
    expect(event?.signatureValid).toBe(true);
    expect((await api('GET', '/v1/speech_recognition/', { call_id: 'in_nope' })).status).toBe(400);
  });
});

describe('webhook settings', () => {
  it('registering a URL performs the zd_echo check and refuses a URL that does not echo', async () => {
    const ok = await api('POST', '/v1/pbx/callinfo/url/', { url: receiver.url });
    expect(ok.body).toEqual({ status: 'success', url: receiver.url });
    expect((await api('GET', '/v1/pbx/callinfo/')).body.url).toBe(receiver.url);
    const silent = await startReceiver(creds.secret);
    const badUrl = `${sim.url}/not-a-receiver`;
    const refused = await api('POST', '/v1/pbx/callinfo/url/', { url: badUrl });
    await silent.close();
    expect(refused.status).toBe(400);
    expect(refused.body.message).toContain('zd_echo');
    expect((await api('GET', '/v1/pbx/callinfo/')).body.url).toBe(receiver.url);
  });

  it('notification toggles switch events off', async () => {
    const res = await api('POST', '/v1/pbx/callinfo/notifications/', { notify_internal: 'false' });
    expect(res.body.notifications).toMatchObject({ notify_internal: 'false', notify_start: 'true' });
    const { pbxCallId } = sim.placeInbound({
      from: '+33612345678',
      to: '442037691999',
      answer: '100',
      talkSeconds: 1,
    });
    const trace = await sim.waitForCall(pbxCallId);
    const internal = trace.webhooks.filter((w) => w.event === 'NOTIFY_INTERNAL');
    expect(
      internal.every((w) => w.url === null && w.note === 'not sent: notify_internal is switched off'),
    ).toBe(true);
    expect((await api('POST', '/v1/pbx/callinfo/notifications/', { notify_internal: 'yes' })).status).toBe(
      400,
    );
    await api('POST', '/v1/pbx/callinfo/notifications/', { notify_internal: 'true' });
  });

  it('pbx/webhooks url and hooks', async () => {
    const hooks = await api('POST', '/v1/pbx/webhooks/hooks/', { sms: 'false' });
    expect(hooks.body.hooks).toEqual({
      number_lookup: 'true',
      call_tracking: 'true',
      sms: 'false',
      speech_recognition: 'true',
    });
    await api('POST', '/v1/pbx/webhooks/hooks/', { sms: 'true' });
    expect((await api('GET', '/v1/pbx/webhooks/')).body.url).toBe(receiver.url);
  });
});

describe('SMS', () => {
  it('sms/send records the message, visible through the control API, with caller_id accepted as sender', async () => {
    const res = await api('POST', '/v1/sms/send/', {
      number: '442037691880,442037691881',
      message: 'Your appointment is tomorrow',
      caller_id: 'Switchboard',
    });
    expect(res.body).toMatchObject({ status: 'success', messages: 2, cost: 0.12, currency: 'USD' });
    const sent = (await (await fetch(`${sim.url}/_sim/sms`)).json()) as {
      numbers: string[];
      sender: string;
    }[];
    expect(sent.at(-1)).toMatchObject({ numbers: ['442037691880', '442037691881'], sender: 'Switchboard' });
  });

  it('an inbound SMS from the control API reaches the events URL signed over result', async () => {
    const before = receiver.received.length;
    const res = await fetch(`${sim.url}/_sim/sms/inbound`, {
      method: 'POST',
      body: JSON.stringify({ from: '442037691880', to: '442037691999', text: 'Hello from a customer' }),
    });
    expect(res.status).toBe(200);
    const events = await receiver.waitFor(before + 1);
    const sms = events.at(-1);
    expect(sms?.pairs).toEqual([
      ['event', 'SMS'],
      ['result', '{"caller_did":"442037691999","caller_id":"442037691880","text":"Hello from a customer"}'],
    ]);
    expect(sms?.signatureValid).toBe(true);
  });
});
