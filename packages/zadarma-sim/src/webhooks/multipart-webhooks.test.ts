import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { multipartBoundary, parseWebhookBody, readWebhook } from '@switchboard/zadarma';
import { afterEach, describe, expect, it } from 'vitest';
import { createSimulator, type SimulatorOptions } from '../simulator.js';
import { encodeMultipart } from './encode.js';

const creds = { key: 'mp-key', secret: 'mp-secret' };
const FIELDS = [
  ['event', 'NOTIFY_START'],
  ['call_start', '2024-05-14 10:15:30'],
  ['pbx_call_id', 'in_0123456789abcdef0123456789abcdef01234567'],
  ['caller_id', '+33 612 345 678'],
  ['called_did', '442037691999'],
] as const;

/**
 * A standard `multipart/form-data` parser (RFC 7578, as PHP fills `$_POST`): the platform's own, which
 * takes the delimiter to be exactly `--` + the declared boundary. `null` when it cannot read the body.
 */
async function standardFormFields(body: Buffer, contentType: string): Promise<[string, string][] | null> {
  try {
    const form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
    return [...form.entries()].map(([k, v]) => [k, String(v)]);
  } catch {
    return null;
  }
}

interface Posted {
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) {
    await c();
  }
});

/** Plays one answered inbound call and returns every notification exactly as it was posted. */
async function postedBodies(options: Partial<SimulatorOptions>): Promise<Posted[]> {
  const posted: Posted[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) {
      chunks.push(c as Buffer);
    }
    posted.push({ headers: req.headers, body: Buffer.concat(chunks) });
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(
    () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  );
  const sim = await createSimulator({
    ...creds,
    speed: 1000,
    rateLimits: false,
    webhookUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/zadarma`,
    format: 'multipart',
    ...options,
  });
  cleanups.push(() => sim.close());
  const { pbxCallId } = sim.placeInbound({ from: '+33612345678', to: '442037691999', answer: '101' });
  await sim.waitForCall(pbxCallId, { timeoutMs: 10_000 });
  return posted;
}

function firstLine(p: Posted): string {
  const text = p.body.toString('latin1');
  return text.slice(0, text.indexOf('\r\n'));
}

describe('encodeMultipart', () => {
  it('writes a standard body by default: delimiter "--" + the declared boundary', async () => {
    const encoded = encodeMultipart(FIELDS, false, 'b0und4ry');
    expect(encoded.contentType).toBe('multipart/form-data; boundary=b0und4ry');
    const text = encoded.body.toString('utf8');
    expect(text.startsWith('--b0und4ry\r\n')).toBe(true);
    expect(text.endsWith('\r\n--b0und4ry--\r\n')).toBe(true);
    expect(await standardFormFields(encoded.body, encoded.contentType)).toEqual(
      FIELDS.map(([k, v]) => [k, v]),
    );
  });

  it('with the quirk writes "----" + boundary, which a standard parser cannot read', async () => {
    const encoded = encodeMultipart(FIELDS, true, 'b0und4ry');
    expect(encoded.contentType).toBe('multipart/form-data; boundary=b0und4ry');
    expect(encoded.body.toString('utf8').startsWith('----b0und4ry\r\n')).toBe(true);
    expect(await standardFormFields(encoded.body, encoded.contentType)).toBeNull();
  });

  it('the SDK parseWebhookBody reads both forms into the same fields', () => {
    for (const quirk of [false, true]) {
      const encoded = encodeMultipart(FIELDS, quirk);
      const parsed = parseWebhookBody(encoded.body, encoded.contentType);
      expect(parsed.ok && parsed.fields, `quirk ${quirk}`).toEqual(Object.fromEntries(FIELDS));
    }
  });
});

describe('multipart webhooks from the simulator', () => {
  it('are standard by default: every body a standard parser reads, every one verified by readWebhook', async () => {
    const posted = await postedBodies({});
    expect(posted.length).toBe(7);
    for (const p of posted) {
      const contentType = p.headers['content-type'] as string;
      const boundary = multipartBoundary(contentType) as string;
      expect(firstLine(p)).toBe(`--${boundary}`);
      expect(await standardFormFields(p.body, contentType)).not.toBeNull();
      const read = readWebhook({
        method: 'POST',
        headers: p.headers,
        body: p.body,
        contentType,
        secret: creds.secret,
      });
      expect(read.kind).toBe('event');
    }
  });

  it('carry the boundary quirk only with multipartQuirk: true, and readWebhook still verifies them', async () => {
    const posted = await postedBodies({ multipartQuirk: true });
    expect(posted.length).toBe(7);
    for (const p of posted) {
      const contentType = p.headers['content-type'] as string;
      const boundary = multipartBoundary(contentType) as string;
      expect(firstLine(p)).toBe(`----${boundary}`);
      expect(await standardFormFields(p.body, contentType)).toBeNull();
      const read = readWebhook({
        method: 'POST',
        headers: p.headers,
        body: p.body,
        contentType,
        secret: creds.secret,
      });
      expect(read.kind).toBe('event');
    }
  });
});
