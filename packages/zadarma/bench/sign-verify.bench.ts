/**
 * Cost of byte-exact signing and verification next to a bare HMAC-SHA1 measured in the same run, so the
 * ratios say what the PHP-compatible encoding and the parsing add on this machine.
 * Run: `npm run bench -w @switchboard/zadarma` (about 4 s).
 */
import { createHmac } from 'node:crypto';
import { decodeUrlEncoded, phpArrayToObject } from '../src/form-decode.js';
import { signRequest } from '../src/signing.js';
import { verifyWebhookSignature } from '../src/webhook-signature.js';
import { parseWebhookBody } from '../src/webhooks/parse-webhook.js';
import { readWebhook } from '../src/webhooks/read-webhook.js';

const SECRET = 'f0e1d2c3b4a5968778f9';
const A3 = { from: '100', to: '+442037691881', sip: '100', predicted: 'predicted', format: 'json' };
const A3_PATH = '/v1/request/callback/';
// The string A3 finally feeds to HMAC (path + canonical query + md5), for a like-for-like baseline.
const A3_MESSAGE =
  '/v1/request/callback/format=json&from=100&predicted=predicted&sip=100&to=%2B4420376918812c087cd3784f55fa80b9bf190789a54f';
const START_BODY = Buffer.from(
  'event=NOTIFY_START&call_start=2024-05-14+10%3A15%3A30&pbx_call_id=in_3f0a3c6e8d2b4a19b7e5c1d2a4f6b8c0d1e2f3a4&caller_id=442037691880&called_did=442037691999',
);
const START_SIG = 'MGRhZjkyYWEyMDgyNzI2NjFmZTE1MzEzNTVmYWIwYjg5NmQ2NGFlYw==';
const FORM = 'application/x-www-form-urlencoded';

const RUN_MS = 700;
const WARMUP_MS = 150;

let sink = 0;

function measure(fn: () => unknown): number {
  const until = (ms: number) => {
    const end = performance.now() + ms;
    let n = 0;
    while (performance.now() < end) {
      // Batches keep the clock out of the measurement.
      for (let i = 0; i < 100; i++) {
        const r = fn();
        sink += typeof r === 'string' ? r.length : r ? 1 : 0;
      }
      n += 100;
    }
    return n;
  };
  until(WARMUP_MS);
  const start = performance.now();
  const n = until(RUN_MS);
  return n / ((performance.now() - start) / 1000);
}

function check(ok: boolean, what: string): void {
  if (!ok) {
    throw new Error(`bench self-check failed: ${what}`);
  }
}

// Every case must produce the golden result, or the numbers are meaningless.
check(
  signRequest({ path: A3_PATH, params: A3, secret: SECRET }) ===
    'NTQyMTQyNDIwMTk3NTgyMTIxMmRhOTliYTg2NDZjMjYzZjRmZTgxYg==',
  'A3 signature',
);
check(
  Buffer.from(createHmac('sha1', SECRET).update(A3_MESSAGE).digest('hex')).toString('base64') ===
    'NTQyMTQyNDIwMTk3NTgyMTIxMmRhOTliYTg2NDZjMjYzZjRmZTgxYg==',
  'A3 baseline message',
);
check(
  readWebhook({
    method: 'POST',
    headers: { signature: START_SIG },
    body: START_BODY,
    contentType: FORM,
    secret: SECRET,
  }).kind === 'event',
  'readWebhook NOTIFY_START',
);

const cases: { name: string; fn: () => unknown }[] = [
  {
    name: 'bare HMAC-SHA1 hex (baseline)',
    fn: () => createHmac('sha1', SECRET).update(A3_MESSAGE).digest('hex'),
  },
  {
    name: 'API request signing (A3 params)',
    fn: () => signRequest({ path: A3_PATH, params: A3, secret: SECRET }),
  },
  {
    name: 'webhook: decode urlencoded + verify',
    fn: () =>
      verifyWebhookSignature(
        phpArrayToObject(decodeUrlEncoded(START_BODY.toString('utf8'))),
        START_SIG,
        SECRET,
      ),
  },
  {
    name: 'webhook: parseWebhookBody + verify',
    fn: () => {
      const parsed = parseWebhookBody(START_BODY, FORM);
      return parsed.ok && verifyWebhookSignature(parsed.fields, START_SIG, SECRET);
    },
  },
  {
    name: 'webhook: readWebhook (+ zod typing)',
    fn: () =>
      readWebhook({
        method: 'POST',
        headers: { signature: START_SIG },
        body: START_BODY,
        contentType: FORM,
        secret: SECRET,
      }),
  },
];

const results = cases.map((c) => ({ name: c.name, ops: measure(c.fn) }));
const baseline = (results[0] as { ops: number }).ops;

const rows = results.map((r) => [
  r.name,
  Math.round(r.ops).toLocaleString('en-US'),
  (1e6 / r.ops).toFixed(2),
  `${(baseline / r.ops).toFixed(2)}×`,
]);
const header = ['case', 'ops/s', 'µs/op', 'cost vs HMAC'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
const line = (cells: string[]) =>
  cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');

console.log(`@switchboard/zadarma sign/verify bench — Node ${process.version}, ${RUN_MS} ms per case`);
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const row of rows) {
  console.log(line(row));
}
if (sink === 0) {
  console.log('(sink)');
}
