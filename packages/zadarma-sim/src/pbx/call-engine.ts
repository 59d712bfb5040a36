/**
 * The PBX: plays inbound, outbound and callback calls against the account state, emits the NOTIFY_*
 * sequence of docs/zadarma-protocol.md §5.7, honours the CRM's replies (§6) and leaves statistics rows and recordings.
 * Each call runs as its own async task on the virtual clock; its trace says what happened and why.
 *
 * This file is the entry point; the scenarios live beside it: `inbound-routing.ts` (NOTIFY_START, the
 * CRM's reply, redirects), `inbound-call.ts` (answer, transfer, end), `ring-group.ts`, `ivr.ts` (voice
 * menus and the CRM's IVR), `outbound-call.ts`, `callback-call.ts`, on the shared `call-runtime.ts`.
 */
import { SimClosedError } from '../clock.js';
import { type CallRuntime, createCallRuntime, type EngineDeps, type Run } from './call-runtime.js';
import type { CallTrace } from './call-trace.js';
import { playCallback } from './callback-call.js';
import { playInbound } from './inbound-routing.js';
import { playOutbound } from './outbound-call.js';
import {
  type CallbackInput,
  type InboundInput,
  normalizeCallback,
  normalizeInbound,
  normalizeOutbound,
  type OutboundInput,
} from './scenarios.js';

export type { CallOutcome, CallTrace, RoutingStep } from './call-trace.js';

/** What the simulator asks of the PBX: place calls, look at them, wait for them, stop. */
export interface CallEngine {
  placeInbound(input: InboundInput): { pbxCallId: string };
  placeOutbound(input: OutboundInput): { pbxCallId: string };
  placeCallback(input: CallbackInput): { pbxCallId: string };
  getCall(pbxCallId: string): CallTrace | undefined;
  listCalls(): CallTrace[];
  /** Resolves with the trace once the call, its NOTIFY_RECORD and every delivery are finished. */
  waitForCall(pbxCallId: string, timeoutMs?: number): Promise<CallTrace>;
  close(): Promise<void>;
}

type Play<I> = (
  rt: CallRuntime,
  input: I,
  trace: CallTrace,
  run: Run,
  startMs: number,
) => Promise<string | null>;

/** Creates the call engine. Why: one place owns timing, routing and event emission for every scenario. */
export function createCallEngine(deps: EngineDeps): CallEngine {
  const rt = createCallRuntime(deps);
  const { state, clock, config } = deps;
  const t = config.timings;

  let closed = false;
  function assertOpen(): void {
    if (closed) {
      throw new SimClosedError('the simulator is closed');
    }
  }

  /** Starts one call: a trace, a run, and the scenario playing as its own task. */
  function place<I>(
    input: I,
    direction: CallTrace['direction'],
    from: string,
    to: string,
    play: Play<I>,
  ): { pbxCallId: string } {
    const startMs = clock.now();
    const trace = rt.newTrace(direction, from, to, startMs);
    const run = rt.newRun(trace);
    rt.start(run, () => play(rt, input, trace, run, startMs));
    return { pbxCallId: trace.pbxCallId };
  }

  return {
    placeInbound(raw) {
      assertOpen();
      const input = normalizeInbound(state, raw, t, config.hiddenCallerId);
      return place(input, 'inbound', input.callerId, input.calledDid, playInbound);
    },
    placeOutbound(raw) {
      assertOpen();
      const input = normalizeOutbound(state, raw, t);
      return place(input, 'outbound', input.extension, input.to, playOutbound);
    },
    placeCallback(raw) {
      assertOpen();
      const input = normalizeCallback(state, raw, t);
      return place(input, 'callback', input.from, input.to, playCallback);
    },
    getCall: (id) => rt.calls.get(id)?.trace,
    listCalls: () => [...rt.calls.values()].map((r) => r.trace),
    async waitForCall(id, timeoutMs = 30_000) {
      const run = rt.calls.get(id);
      if (!run) {
        throw new Error(`unknown call "${id}"`);
      }
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`call ${id} did not finish within ${timeoutMs} ms (real time)`)),
          timeoutMs,
        );
      });
      try {
        await Promise.race([run.done, timeout]);
      } finally {
        clearTimeout(timer);
      }
      return run.trace;
    },
    async close() {
      closed = true;
      clock.dispose();
      await rt.settled();
    },
  };
}
