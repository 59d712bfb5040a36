import { ZadarmaApiError, ZadarmaClient } from '@switchboard/zadarma';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from './simulator.js';

const creds = { key: 'faultkey0123456789ab', secret: 'faultsecret012345678' };
let sim: Simulator;
let client: ZadarmaClient;
let recordingId: string;
let pbxCallId: string;

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
  sim = await createSimulator({ ...creds, speed: 1000, rateLimits: false });
  client = new ZadarmaClient({ ...creds, baseUrl: sim.url, retry: false, rateLimits: false });
  const placed = sim.placeInbound({
    from: '+33612345678',
    to: '442037691999',
    answer: '101',
    talkSeconds: 4,
  });
  const trace = await sim.waitForCall(placed.pbxCallId);
  pbxCallId = placed.pbxCallId;
  recordingId = trace.outcome?.callIdWithRec as string;
});
afterAll(async () => {
  await sim.close();
});

describe('faults on demand', () => {
  it('answers the planned 5xx and 429 to the named method, then works again', async () => {
    const planned = await control('PUT', '/_sim/faults', {
      rest: [
        { path: 'pbx/record/request', status: 503, count: 1 },
        { path: 'pbx/record/request', status: 429, count: 1 },
      ],
    });
    expect(planned.status).toBe(200);
    const first = await client.getRecording({ call_id: recordingId }).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(ZadarmaApiError);
    expect((first as ZadarmaApiError).httpStatus).toBe(503);
    const second = await client.getRecording({ call_id: recordingId }).catch((e: unknown) => e);
    expect((second as ZadarmaApiError).httpStatus).toBe(429);
    expect((second as ZadarmaApiError).retryAfterMs).toBe(1000);
    // Other methods were never affected, and the third request succeeds.
    await expect(client.getBalance()).resolves.toMatchObject({ status: 'success' });
    await expect(client.getRecording({ call_id: recordingId })).resolves.toMatchObject({ status: 'success' });
  });

  it('cuts the next download halfway: fewer bytes than its Content-Length, then a whole one', async () => {
    sim.setFaults({ cutDownloads: 1 });
    const link = (await client.getRecording({ call_id: recordingId })) as { link: string };
    const cut = await fetch(link.link);
    const promised = Number(cut.headers.get('content-length'));
    expect(promised).toBeGreaterThan(44);
    await expect(cut.arrayBuffer()).rejects.toThrow();
    const whole = await fetch(link.link);
    expect((await whole.arrayBuffer()).byteLength).toBe(promised);
  });

  it('expires links on the virtual clock: an expired link is refused with 403', async () => {
    const answer = (await client.getRecording({ pbx_call_id: pbxCallId, lifetime: 180 })) as {
      links: string[];
    };
    const link = answer.links[0] as string;
    expect((await fetch(link)).status).toBe(200);
    // speed 1000: 180 virtual seconds pass in 180 ms.
    await new Promise((r) => setTimeout(r, 400));
    const expired = await fetch(link);
    expect(expired.status).toBe(403);
    expect(await expired.json()).toEqual({ status: 'error', message: 'Link expired' });
  });

  it('refuses a bad plan naming the field', async () => {
    const bad = await control('PUT', '/_sim/faults', {
      rest: [{ path: 'pbx/record/request', status: 404, count: 1 }],
    });
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({ error: 'rest[0].status must be 429 or 500–599' });
  });
});
