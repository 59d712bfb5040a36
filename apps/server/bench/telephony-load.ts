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
  /**
   * Which block of new numbers this run calls from (`newCaller`): each run its own, so the `new` workload's
   * numbers are new to the CRM (not a warm-up's callers again, with their earlier missed calls to count).
   */
  readonly callerBlock: number;
  /**
   * Who calls: `new`, every call a number never seen (lookups miss, new-caller handling runs for each call);
   * `known`, the numbers `knownCaller(0…KNOWN_CALLERS-1)`, which the bench has stored as contacts (the lookup
   * hits and the popup reads the contact's card); `ringing`, new numbers whose every call opens with its
   * NOTIFY_START as real calls do (the reply decided, and processing slices its batches while callers ring).
   */
  readonly callers: 'new' | 'known' | 'ringing';
}

/** How many contacts the `known` workload calls from, in turn. */
export const KNOWN_CALLERS = 5000;

/** How many calls a run may make before its numbers run into the next block's. */
const CALLS_PER_BLOCK = 100_000;

/**
 * New caller i of a block (as Zadarma sends it): valid London numbers (+44 20 7xxx xxxx), as real callers'
 * are; an invalid one costs the number's normalisation a parse of each of its readings, a real caller's one.
 */
export function newCaller(block: number, i: number): string {
  const n = (block % 100) * CALLS_PER_BLOCK + (i % CALLS_PER_BLOCK);
  return `44207${n.toString().padStart(7, '0')}`;
}

/** The number of known caller i (as Zadarma sends it, without +): UK numbers no `new` caller uses. */
export function knownCaller(i: number): string {
  return `4478${(i % KNOWN_CALLERS).toString().padStart(8, '0')}`;
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

/** Zadarma's `call_start` format (the bench account's timezone is the unconfirmed UTC+0). */
const zadarmaTime = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

/**
 * Now, taken once: the receiver refuses a signed call_start outside its freshness window.
 */
const NOW = Date.now();

/**
 * A fresh signed body per request: alternately NOTIFY_INTERNAL then NOTIFY_END of a new call (`ringing`:
 * NOTIFY_START, NOTIFY_INTERNAL, NOTIFY_END).
 */
function bodies(
  secret: string,
  runTag: string,
  callers: LoadRequest['callers'],
  callerBlock: number,
): () => { body: string; signature: string } {
  let sequence = 0;
  const perCall = callers === 'ringing' ? 3 : 2;
  return () => {
    const n = sequence++;
    const call = Math.floor(n / perCall);
    // Which of the call's notifications: 0 its NOTIFY_START (`ringing` only), then NOTIFY_INTERNAL, NOTIFY_END.
    const step = (n % perCall) + (perCall === 3 ? 0 : 1);
    const pbx = `in_${runTag}${call.toString(16).padStart(36, '0')}`;
    // A signed caller and start belong to one call: a second call carrying them is one signature replayed, and
    // its NOTIFY_INTERNAL opens no card (handle-call-ringing.ts). `new`: one caller per call, all starting in
    // this second. `known`: each contact calls once per second, going back in time from now (a run of up to
    // KNOWN_CALLERS × 5 calls stays within the 5 seconds a run lasts, so runs, a baseline apart, never overlap).
    const caller = callers === 'known' ? knownCaller(call) : newCaller(callerBlock, call);
    const callStart = zadarmaTime(callers === 'known' ? NOW - Math.floor(call / KNOWN_CALLERS) * 1000 : NOW);
    const base = { call_start: callStart, pbx_call_id: pbx, caller_id: caller };
    const fields: Record<string, string> =
      step === 0
        ? { event: 'NOTIFY_START', ...base, called_did: '442037691999' }
        : step === 1
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
  const next = bodies(request.secret, request.runTag, request.callers, request.callerBlock);
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
