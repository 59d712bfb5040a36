/**
 * The load generator of the NOTIFY_START bench, in its own process (`fork`) so that signing requests and timing
 * replies do not share the server's event loop. It rings `rate` calls a second: each call's NOTIFY_START is timed
 * from the request to the end of the reply (the client's round trip), then (unless `startOnly`) the call's other
 * events follow — the ingest going on: every call NOTIFY_INTERNAL, every other one NOTIFY_ANSWER and an answered
 * NOTIFY_END, the rest an unanswered NOTIFY_END (a missed call: its after-call job opens a callback task, which
 * the next answered call with that number closes). Not a unit test.
 * Protocol: the parent sends one `StartLoadRequest` over IPC; the child answers one `StartLoadResult` and exits.
 */
import { Agent, request } from 'node:http';
import { webhookSignature } from '@switchboard/zadarma';
import { CALL_HEADER, SENT_HEADER, sharedNow } from './notify-start-stages.js';

export interface StartLoadRequest {
  readonly url: string;
  readonly seconds: number;
  readonly rate: number;
  readonly secret: string;
  readonly runTag: string;
  /** Caller numbers to ring (bare international digits), cycled through. */
  readonly callers: readonly string[];
  /** Only NOTIFY_START, none of the calls' other events (the baseline without the ingest going on). */
  readonly startOnly?: boolean;
}

export interface StartLoadResult {
  /** Client round trips of NOTIFY_START, ms. */
  readonly latencies: number[];
  /** The reply bodies' kinds: a decision with redirect, with hangup/blacklist, only a name, `{}`. */
  readonly replies: Record<string, number>;
  readonly otherEvents: number;
  readonly errors: number;
}

const CALL_START = new Date().toISOString().slice(0, 19).replace('T', ' ');
const agent = new Agent({ keepAlive: true, maxSockets: 128 });

function post(url: URL, fields: Record<string, string>, secret: string, kind: string): Promise<string> {
  const body = new URLSearchParams(fields).toString();
  const signature = webhookSignature(fields, secret);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(body),
          signature,
          // Lets the server-side timer pick out NOTIFY_START without parsing the body.
          'x-bench-kind': kind,
          // Lets it match its moments of one request.
          [CALL_HEADER]: fields.pbx_call_id ?? '',
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    // Stamped once a socket is ours (not while the agent queues it): the time from here to the server's
    // `request` event is the server's — its event loop busy elsewhere while the request waited to be read.
    req.once('socket', () => {
      req.setHeader(SENT_HEADER, sharedNow().toFixed(3));
      req.end(body);
    });
  });
}

function kindOf(reply: string): string {
  if (reply === '{}') {
    return '{}';
  }
  if (reply.includes('"hangup"') || reply.includes('"blacklist"')) {
    return 'refused';
  }
  return reply.includes('"redirect"') ? 'routed' : 'named only';
}

async function run(input: StartLoadRequest): Promise<StartLoadResult> {
  const url = new URL(input.url);
  const latencies: number[] = [];
  const replies: Record<string, number> = {};
  let otherEvents = 0;
  let errors = 0;
  const pending: Promise<void>[] = [];
  const total = Math.round(input.seconds * input.rate);
  const started = performance.now();
  for (let n = 0; n < total; n++) {
    // Paced against the clock, not by sleeping a fixed step: a slow turn does not lower the rate.
    const due = started + (n * 1000) / input.rate;
    const wait = due - performance.now();
    if (wait > 1) {
      await new Promise((r) => setTimeout(r, wait));
    }
    const caller = input.callers[n % input.callers.length] as string;
    const pbx = `in_${input.runTag}${n.toString(16).padStart(36, '0')}`;
    const base = { call_start: CALL_START, pbx_call_id: pbx, caller_id: caller, called_did: '442037691999' };
    pending.push(
      (async () => {
        const t0 = performance.now();
        const reply = await post(url, { event: 'NOTIFY_START', ...base }, input.secret, 'start');
        latencies.push(performance.now() - t0);
        const kind = kindOf(reply);
        replies[kind] = (replies[kind] ?? 0) + 1;
        if (input.startOnly) {
          return;
        }
        await post(url, { event: 'NOTIFY_INTERNAL', ...base, internal: '101' }, input.secret, 'other');
        const answered = n % 2 === 0;
        if (answered) {
          await post(
            url,
            {
              event: 'NOTIFY_ANSWER',
              call_start: CALL_START,
              pbx_call_id: pbx,
              caller_id: caller,
              destination: '101',
              internal: '101',
            },
            input.secret,
            'other',
          );
          otherEvents += 1;
        }
        await post(
          url,
          {
            event: 'NOTIFY_END',
            ...base,
            internal: '101',
            duration: answered ? '42' : '0',
            status_code: answered ? '16' : '19',
            is_recorded: '0',
            calltype: 'normal',
            disposition: answered ? 'answered' : 'no answer',
          },
          input.secret,
          'other',
        );
        otherEvents += 2;
      })().catch(() => {
        errors += 1;
      }),
    );
  }
  await Promise.all(pending);
  agent.destroy();
  return { latencies, replies, otherEvents, errors };
}

if (process.send) {
  process.once('message', (message: StartLoadRequest) => {
    run(message).then(
      (result) => process.send?.(result, () => process.exit(0)),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
