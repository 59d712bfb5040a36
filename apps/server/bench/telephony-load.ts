/**
 * The load generator of the telephony ingest bench, run in its own process (`fork`) so that building and
 * signing requests and parsing replies do not share the server's event loop: the bare baseline and the
 * ingest run see the same client cost, on another core. Not a unit test.
 * Protocol: the parent sends one `LoadRequest` over IPC; the child answers one `LoadResult` and exits.
 */
import { webhookSignature } from '@switchboard/zadarma';
import autocannon from 'autocannon';

export interface LoadRequest {
  readonly url: string;
  readonly seconds: number;
  readonly connections: number;
  readonly secret: string;
  /** Distinguishes the runs' pbx_call_ids (every run sends new calls). */
  readonly runTag: string;
}

export interface LoadResult {
  readonly requests: { average: number; total: number };
  readonly latency: { p50: number; p99: number };
  readonly non2xx: number;
  readonly errors: number;
  /** Epoch milliseconds when the load started and finished (same machine clock as the parent). */
  readonly startedAt: number;
  readonly finishedAt: number;
}

/**
 * Now as Zadarma writes `call_start` (the bench account's timezone is the unconfirmed UTC+0), taken once: the
 * receiver refuses a signed call_start outside its freshness window.
 */
const CALL_START = new Date().toISOString().slice(0, 19).replace('T', ' ');

/** A fresh signed body per request: alternately NOTIFY_INTERNAL then NOTIFY_END of a new call. */
function bodies(secret: string, runTag: string): () => { body: string; signature: string } {
  let sequence = 0;
  return () => {
    const n = sequence++;
    const call = Math.floor(n / 2);
    const pbx = `in_${runTag}${call.toString(16).padStart(36, '0')}`;
    // One caller per call, as real traffic: calls sharing a signed caller and start would be one signature
    // replayed, and their NOTIFY_INTERNAL would open no card (handle-call-ringing.ts).
    const caller = `44207${(call % 1_000_000).toString().padStart(6, '0')}`;
    const base = { call_start: CALL_START, pbx_call_id: pbx, caller_id: caller };
    const fields: Record<string, string> =
      n % 2 === 0
        ? { event: 'NOTIFY_INTERNAL', ...base, called_did: '442037691999', internal: '101' }
        : {
            event: 'NOTIFY_END',
            ...base,
            called_did: '442037691999',
            internal: '101',
            duration: '0',
            status_code: '19',
            is_recorded: '0',
            calltype: 'normal',
            disposition: 'no answer',
          };
    return { body: new URLSearchParams(fields).toString(), signature: webhookSignature(fields, secret) };
  };
}

async function run(request: LoadRequest): Promise<LoadResult> {
  const next = bodies(request.secret, request.runTag);
  const options = {
    url: request.url,
    method: 'POST',
    connections: request.connections,
    duration: request.seconds,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    // A per-request setupRequest is what makes autocannon build every request afresh.
    requests: [
      {
        setupRequest: (req: { headers: Record<string, string>; body?: string }) => {
          const { body, signature } = next();
          return { ...req, body, headers: { ...req.headers, signature } };
        },
      },
    ],
  };
  const startedAt = Date.now();
  const result = (await autocannon(options as unknown as Parameters<typeof autocannon>[0])) as unknown as {
    requests: { average: number; total: number };
    latency: { p50: number; p99: number };
    non2xx: number;
    errors: number;
  };
  return {
    requests: { average: result.requests.average, total: result.requests.total },
    latency: { p50: result.latency.p50, p99: result.latency.p99 },
    non2xx: result.non2xx,
    errors: result.errors,
    startedAt,
    finishedAt: Date.now(),
  };
}

if (process.send) {
  process.once('message', (message: LoadRequest) => {
    run(message).then(
      (result) => process.send?.(result, () => process.exit(0)),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
