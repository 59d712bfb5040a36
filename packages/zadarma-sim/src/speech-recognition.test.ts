/**
 * Automatic speech recognition (docs/zadarma-protocol.md §4.3, §5.6.12): an extension switched to
 * `speech_recognition=all` through `PUT /v1/pbx/internal/recording/` has each recording transcribed, and the
 * transcript is posted as SPEECH_RECOGNITION — signed on `result` — to the events URL, after NOTIFY_RECORD; an
 * extension left at `off` gets none. Checked by an independent receiver and REST client.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, type Receiver, startReceiver } from '../test/independent-zadarma.js';
import { createSimulator, type Simulator } from './simulator.js';

const creds = { key: 'speech-key', secret: 'speech-secret' };
let sim: Simulator;
let calls: Receiver;
let events: Receiver;

beforeAll(async () => {
  calls = await startReceiver(creds.secret);
  events = await startReceiver(creds.secret);
  sim = await createSimulator({
    ...creds,
    speed: 2000,
    rateLimits: false,
    webhookUrl: calls.url,
    eventsUrl: events.url,
  });
});
afterAll(async () => {
  await sim.close();
  await calls.close();
  await events.close();
});

describe('automatic speech recognition', () => {
  it('is switched per extension through the API and shown in its info', async () => {
    const set = await callApi(sim.url, creds, 'PUT', '/v1/pbx/internal/recording/', {
      id: '101',
      status: 'on',
      speech_recognition: 'all',
    });
    expect(set.body).toMatchObject({ status: 'success', internal_number: 101, speech_recognition: 'all' });
    const info = await callApi(sim.url, creds, 'GET', '/v1/pbx/internal/101/info/');
    expect(info.body.record_store).toBe('For automatic speech recognition');
    const other = await callApi(sim.url, creds, 'GET', '/v1/pbx/internal/102/info/');
    expect(other.body.record_store).toBe('For manual recognition');
  });

  it('posts SPEECH_RECOGNITION, signed, after NOTIFY_RECORD of a recording of that extension', async () => {
    const { pbxCallId } = sim.placeInbound({
      from: '+33612345678',
      to: '442037691999',
      answer: '101',
      talkSeconds: 6,
    });
    const trace = await sim.waitForCall(pbxCallId);
    const recordingId = trace.outcome?.callIdWithRec;
    expect(recordingId).toBeTruthy();
    const [speech] = await events.waitFor(1, pbxCallId);
    expect(speech?.event).toBe('SPEECH_RECOGNITION');
    expect(speech?.signatureValid).toBe(true);
    expect(speech?.fields.call_id).toBe(recordingId);
    const words = (
      JSON.parse(speech?.fields.result ?? '{}') as { words: { channel: number; result: { w: string }[] }[] }
    ).words;
    expect(words.map((w) => w.channel)).toEqual([1, 2, 1, 2, 1, 2]);
    expect(words[0]?.result.map((w) => w.w).join(' ')).toBe('hello thank you for calling how can I help you');
    // The transcript is the one GET /v1/speech_recognition/ answers for the same recording.
    const asked = await callApi(sim.url, creds, 'GET', '/v1/speech_recognition/', {
      call_id: recordingId as string,
      return: 'words',
    });
    expect(asked.body.words).toEqual(words);
    // Sent once the recording was announced on the call's channel: later on the PBX's (virtual) clock.
    const record = trace.webhooks.find((w) => w.event === 'NOTIFY_RECORD');
    const sent = sim.listEventWebhooks().find((w) => w.fields.pbx_call_id === pbxCallId);
    expect(record?.sentAt).toBeTruthy();
    expect((sent?.sentAt ?? '') > (record?.sentAt ?? '~')).toBe(true);
    expect(trace.routing.map((r) => r.action)).toContain('SPEECH_RECOGNITION');
  });

  it('sends none for an extension without automatic recognition', async () => {
    const { pbxCallId } = sim.placeInbound({
      from: '+33612345670',
      to: '442037691999',
      answer: '102',
      talkSeconds: 3,
    });
    const trace = await sim.waitForCall(pbxCallId);
    expect(trace.outcome?.callIdWithRec).toBeTruthy();
    expect(events.received.filter((r) => r.fields.pbx_call_id === pbxCallId)).toEqual([]);
    expect(trace.routing.map((r) => r.action)).not.toContain('SPEECH_RECOGNITION');
  });
});
