/**
 * Throughput of the simulator on this machine: signed REST GETs per second (autocannon, loopback, 3 s) and
 * webhooks per second while 500 inbound calls play at once. Run: `npm run bench -w @switchboard/zadarma-sim`.
 */
import { createHash, createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { createSimulator } from '../src/index.js';

const secret = 'bench-secret';
const sim = await createSimulator({ key: 'bench', secret, rateLimits: false, speed: 10_000 });
const q = 'format=json';
const md5 = createHash('md5').update(q).digest('hex');
const hex = createHmac('sha1', secret).update(`/v1/info/balance/${q}${md5}`).digest('hex');
const result = await autocannon({
  url: `${sim.url}/v1/info/balance/?${q}`,
  connections: 10,
  duration: 3,
  headers: { Authorization: `bench:${Buffer.from(hex).toString('base64')}` },
});
console.log(
  `REST: ${Math.round(result.requests.average)} signed GET/s, p99 ${result.latency.p99} ms, non-2xx ${result.non2xx}`,
);

let delivered = 0;
const receiver = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    delivered++;
    res.end('{}');
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
sim.setWebhookUrl(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`);
const started = performance.now();
const ids = Array.from(
  { length: 500 },
  () =>
    sim.placeInbound({ from: '+33612345678', to: '442037691999', answer: '101', talkSeconds: 60 }).pbxCallId,
);
await Promise.all(ids.map((id) => sim.waitForCall(id, { timeoutMs: 120_000 })));
const ms = performance.now() - started;
console.log(
  `calls: 500 concurrent inbound calls in ${Math.round(ms)} ms, ${delivered} webhooks, ${Math.round(delivered / (ms / 1000))} webhooks/s`,
);
await sim.close();
receiver.close();
