import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Receiver, startReceiver } from '../../test/independent-zadarma.js';
import type { CallTrace } from '../pbx/call-engine.js';
import { createSimulator, type Simulator } from '../simulator.js';

const creds = { key: 'a0b1c2d3e4f5a6b7c8d9', secret: 'f0e1d2c3b4a5968778f9' };
let sim: Simulator;
let receiver: Receiver;

async function control(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${sim.url}${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
  });
  return { status: res.status, json: await res.json() };
}

beforeAll(async () => {
  receiver = await startReceiver(creds.secret, (e) =>
    e.event === 'NOTIFY_START' ? { body: '{"caller_name":"Jane Doe (ACME)"}' } : undefined,
  );
  sim = await createSimulator({ ...creds, speed: 1000, webhookUrl: receiver.url, eventsUrl: receiver.url });
});
afterAll(async () => {
  await sim.close();
  await receiver.close();
});

describe('control API', () => {
  it('places an inbound call and returns its trace once finished', async () => {
    const placed = await control('POST', '/_sim/calls/inbound', {
      from: '+33612345678',
      to: '442037691999',
      answer: '101',
      outcome: 'answered',
      talkSeconds: 30,
    });
    expect(placed.status).toBe(200);
    const { pbxCallId } = placed.json as { pbxCallId: string };
    expect(pbxCallId).toMatch(/^in_[0-9a-f]{40}$/);
    const { json } = await control('GET', `/_sim/calls/${pbxCallId}?wait=5000`);
    const trace = json as CallTrace;
    expect(trace.state).toBe('finished');
    expect(trace.displayName).toBe('Jane Doe (ACME)');
    expect(trace.outcome).toMatchObject({ disposition: 'answered', answeredBy: '101', duration: 30 });
    expect(trace.webhooks.map((w) => w.event)).toEqual([
      'NOTIFY_START',
      'NOTIFY_INTERNAL',
      'NOTIFY_INTERNAL',
      'NOTIFY_INTERNAL',
      'NOTIFY_ANSWER',
      'NOTIFY_END',
      'NOTIFY_RECORD',
    ]);
    const start = trace.webhooks[0];
    expect(start).toMatchObject({ httpStatus: 200, replyBody: '{"caller_name":"Jane Doe (ACME)"}' });
    expect(start?.signature).toHaveLength(56);
    expect(typeof start?.latencyMs).toBe('number');
    expect(trace.routing.map((s) => s.action)).toContain('caller name set');
  });

  it('places an outbound call and lists calls', async () => {
    const placed = await control('POST', '/_sim/calls/outbound', {
      extension: '101',
      to: '442037691881',
      outcome: 'busy',
      talkSeconds: 0,
    });
    const { pbxCallId } = placed.json as { pbxCallId: string };
    await sim.waitForCall(pbxCallId);
    const list = (await control('GET', '/_sim/calls')).json as { pbxCallId: string; disposition: string }[];
    expect(list.find((c) => c.pbxCallId === pbxCallId)?.disposition).toBe('busy');
  });

  it('refuses bad requests with a message naming the field', async () => {
    expect(await control('POST', '/_sim/calls/inbound', { from: '+336', to: '999', answer: '101' })).toEqual({
      status: 400,
      json: { error: 'to "999" is not one of the simulator\'s numbers (442037691999, 33187654321)' },
    });
    expect(
      (await control('POST', '/_sim/calls/inbound', { to: '442037691999', answer: '109' })).json,
    ).toEqual({
      error: 'answer "109" is not an extension of the simulator',
    });
    expect(
      (await control('POST', '/_sim/calls/inbound', { to: '442037691999', outcome: 'maybe' })).status,
    ).toBe(400);
    expect((await control('POST', '/_sim/calls/outbound', { extension: '101', to: 'abc' })).status).toBe(400);
    expect((await control('GET', '/_sim/calls/in_unknown')).status).toBe(404);
    expect((await control('PUT', '/_sim/extensions/101/status', { online: 'yes' })).status).toBe(400);
  });

  it('switches an extension offline so that calls skip it', async () => {
    expect((await control('PUT', '/_sim/extensions/100/status', { online: false })).json).toEqual({
      extension: '100',
      online: false,
    });
    const { pbxCallId } = sim.placeInbound({
      from: '+33612345678',
      to: '442037691999',
      answer: '101',
      talkSeconds: 1,
    });
    const trace = await sim.waitForCall(pbxCallId);
    expect(trace.webhooks.filter((w) => w.event === 'NOTIFY_INTERNAL').map((w) => w.fields.internal)).toEqual(
      ['101', '102'],
    );
    await control('PUT', '/_sim/extensions/100/status', { online: true });
  });

  it('sends an inbound SMS event that matches the docs/zadarma-protocol.md §5.6.9 vector', async () => {
    const { json } = await control('POST', '/_sim/sms/inbound', {
      from: '442037691880',
      to: '442037691999',
      text: 'Hello from a customer',
    });
    const delivery = (json as { delivery: { signature: string; httpStatus: number } }).delivery;
    expect(delivery).toMatchObject({
      httpStatus: 200,
      signature: 'MWNmMzE5NDgwN2Q2NDhjZDk2N2RkN2RmODBmN2I4NjlhNTYyMGQ0NQ==',
    });
    expect(receiver.received.at(-1)?.signatureValid).toBe(true);
  });

  it('changes the webhook URL and the callback plan', async () => {
    expect((await control('PUT', '/_sim/webhook-url', { url: 'http://127.0.0.1:9/x' })).json).toEqual({
      url: 'http://127.0.0.1:9/x',
    });
    expect(sim.state.webhooks.callinfoUrl).toBe('http://127.0.0.1:9/x');
    await control('PUT', '/_sim/webhook-url', { url: receiver.url });
    expect((await control('PUT', '/_sim/callback-plan', { outcome: 'no answer' })).json).toEqual({
      outcome: 'no answer',
    });
  });
});
