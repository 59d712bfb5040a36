/**
 * An implementation of PROTOCOL.md §2 (request signing) and §5 (webhook bodies and signatures) written
 * from the document alone, deliberately NOT importing @switchboard/zadarma, plus a real receiver. Tests
 * use it to prove the simulator is compatible with any correct client or receiver, not just our SDK.
 */
import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** §2.3: PHP urlencode (RFC 1738): keep A-Z a-z 0-9 - _ . ; space → +; every other byte → %XX upper-case. */
function phpEncode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const ch = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.]/.test(ch)) {
      out += ch;
    } else if (byte === 0x20) {
      out += '+';
    } else {
      out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
  }
  return out;
}

export type Params = Record<string, string | string[]>;

/** §2.2 steps 3–4: top-level keys sorted bytewise, lists as key[0]=…, encoded. Insertion order when `sorted` is false. */
export function buildQuery(params: Params, sorted = true): string {
  const keys = Object.keys(params);
  if (sorted) {
    keys.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  }
  const parts: string[] = [];
  for (const key of keys) {
    const value = params[key] as string | string[];
    if (Array.isArray(value)) {
      value.forEach((v, i) => {
        parts.push(`${phpEncode(`${key}[${i}]`)}=${phpEncode(v)}`);
      });
    } else {
      parts.push(`${phpEncode(key)}=${phpEncode(value)}`);
    }
  }
  return parts.join('&');
}

/** §2.2 steps 5–8. */
export function sign(path: string, params: Params, secret: string): string {
  const q = buildQuery(params);
  const md5 = createHash('md5').update(q).digest('hex');
  const hex = createHmac('sha1', secret)
    .update(path + q + md5)
    .digest('hex');
  return Buffer.from(hex).toString('base64');
}

export interface ApiAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers: Headers;
}

/** Calls the REST API as the official PHP client does: `format=json` added, GET query unsorted, bodies form-encoded. */
export async function callApi(
  baseUrl: string,
  creds: { key: string; secret: string },
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  params: Params = {},
  tweak: { signParams?: Params; signPath?: string; authorization?: string } = {},
): Promise<ApiAnswer> {
  const all: Params = 'format' in params ? { ...params } : { ...params, format: 'json' };
  const signature = sign(tweak.signPath ?? path, tweak.signParams ?? all, creds.secret);
  const auth = tweak.authorization ?? `${creds.key}:${signature}`;
  const query = buildQuery(all, false);
  const res =
    method === 'GET'
      ? await fetch(`${baseUrl}${path}?${query}`, { headers: { Authorization: auth } })
      : await fetch(`${baseUrl}${path}`, {
          method,
          headers: { Authorization: auth, 'Content-Type': 'application/x-www-form-urlencoded' },
          body: query,
        });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

// ------------------------------------------------------------------------------------------ webhooks (§5)

/** §5.4 table: the fields each event signs, in order. */
const SIGNED: Record<string, string[]> = {
  NOTIFY_START: ['caller_id', 'called_did', 'call_start'],
  NOTIFY_INTERNAL: ['caller_id', 'called_did', 'call_start'],
  NOTIFY_ANSWER: ['caller_id', 'destination', 'call_start'],
  NOTIFY_END: ['caller_id', 'called_did', 'call_start'],
  NOTIFY_OUT_START: ['internal', 'destination', 'call_start'],
  NOTIFY_OUT_END: ['internal', 'destination', 'call_start'],
  NOTIFY_RECORD: ['pbx_call_id', 'call_id_with_rec'],
  NOTIFY_IVR: ['caller_id', 'called_did', 'call_start'],
  SMS: ['result'],
  SPEECH_RECOGNITION: ['result'],
};

/** §5.4: base64(hex(HMAC-SHA1(concat(fields), secret))), a missing field counting as "". */
function expectedSignature(fields: Record<string, string>, secret: string): string | null {
  const names = SIGNED[fields.event ?? ''];
  if (!names) {
    return null;
  }
  const hex = createHmac('sha1', secret)
    .update(names.map((n) => fields[n] ?? '').join(''))
    .digest('hex');
  return Buffer.from(hex).toString('base64');
}

function decodePart(text: string): string {
  return decodeURIComponent(text.replace(/\+/g, ' '));
}

/** §5.3: a form body, urlencoded or multipart (standard, or with the boundary quirk's extra `--`). */
function parseForm(body: Buffer, contentType: string): [string, string][] {
  if (contentType.startsWith('application/x-www-form-urlencoded')) {
    return body
      .toString('utf8')
      .split('&')
      .filter((p) => p !== '')
      .map((p) => {
        const i = p.indexOf('=');
        return [decodePart(p.slice(0, i)), decodePart(p.slice(i + 1))];
      });
  }
  const boundary = /boundary=([^;]+)/.exec(contentType)?.[1];
  if (!contentType.startsWith('multipart/form-data') || !boundary) {
    throw new Error(`unexpected content type ${contentType}`);
  }
  const text = body.toString('utf8');
  const delimiter = text.startsWith(`----${boundary}`) ? `----${boundary}` : `--${boundary}`;
  const pairs: [string, string][] = [];
  for (const part of text.split(delimiter).slice(1)) {
    if (part.startsWith('--')) {
      break;
    }
    const [head, ...rest] = part.split('\r\n\r\n');
    const name = /name="([^"]*)"/.exec(head ?? '')?.[1] ?? '';
    pairs.push([name, rest.join('\r\n\r\n').replace(/\r\n$/, '')]);
  }
  return pairs;
}

export interface Received {
  readonly event: string;
  /** Ordered pairs as they arrived. */
  readonly pairs: [string, string][];
  readonly fields: Record<string, string>;
  readonly signature: string | undefined;
  readonly signatureValid: boolean;
  readonly contentType: string;
  readonly at: number;
}

export type Responder = (event: Received) => { status?: number; body?: string; delayMs?: number } | undefined;

export interface Receiver {
  readonly url: string;
  readonly received: Received[];
  respond: Responder;
  /** Waits until `count` events (optionally of one call) have arrived. */
  waitFor(count: number, pbxCallId?: string, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) {
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

/** A webhook receiver on 127.0.0.1:0 that verifies every event with {@link expectedSignature}. */
export async function startReceiver(secret: string, respond: Responder = () => undefined): Promise<Receiver> {
  const received: Received[] = [];
  const receiver: Receiver & { url: string; close: () => Promise<void> } = {
    url: '',
    received,
    respond,
    async waitFor(count: number, pbxCallId?: string, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const list = pbxCallId ? received.filter((r) => r.fields.pbx_call_id === pbxCallId) : received;
        if (list.length >= count) {
          return list;
        }
        if (Date.now() > deadline) {
          throw new Error(
            `expected ${count} events, got ${list.length}: ${list.map((r) => r.event).join(', ')}`,
          );
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    close: async (): Promise<void> => undefined,
  };
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const echo = url.searchParams.get('zd_echo');
    if (req.method === 'GET' && echo !== null) {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end(echo);
      return;
    }
    const body = await readAll(req);
    const contentType = req.headers['content-type'] ?? '';
    const pairs = parseForm(body, contentType);
    const fields = Object.fromEntries(pairs);
    const signature = req.headers.signature as string | undefined;
    const expected = expectedSignature(fields, secret);
    const event: Received = {
      event: fields.event ?? '',
      pairs,
      fields,
      signature,
      signatureValid: expected !== null && signature === expected,
      contentType,
      at: Date.now(),
    };
    received.push(event);
    const reply = receiver.respond(event) ?? {};
    if (reply.delayMs) {
      await new Promise((r) => setTimeout(r, reply.delayMs));
    }
    res.writeHead(reply.status ?? 200, { 'Content-Type': 'application/json' });
    res.end(reply.body ?? '{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/zadarma`;
  receiver.close = () =>
    new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    });
  return receiver;
}
