/**
 * What dialling an outside number involves, for outbound calls and callbacks alike: how long it rings, what
 * the minutes cost (the balance goes down) and the statistics rows it leaves (docs/zadarma-protocol.md §4.4).
 */
import { newLegId } from '../ids.js';
import { findExtension, priceFor } from '../state.js';
import type { CallRuntime } from './call-runtime.js';
import type { CallTrace } from './call-trace.js';
import type { Outcome } from './scenarios.js';

/**
 * Waits as long as the planned outcome takes (the ring time, or the busy / no-answer time) and returns it.
 * Why: both legs of a callback and an outbound call ring the same way.
 */
export async function dial(rt: CallRuntime, outcome: Outcome, ringSeconds: number): Promise<Outcome> {
  const t = rt.timings;
  const wait =
    outcome === 'answered' || outcome === 'cancel'
      ? ringSeconds
      : outcome === 'busy'
        ? t.busySeconds
        : t.noAnswerSeconds;
  await rt.sleepSeconds(wait);
  return outcome;
}

function charge(
  rt: CallRuntime,
  destination: string,
  talk: number,
): { cost: number; billcost: number; description: string } {
  const price = priceFor(rt.state, destination);
  // Billed per started minute.
  const billcost = Math.round(Math.ceil(talk / 60) * price.price * 1000) / 1000;
  rt.state.account.balance = Math.round((rt.state.account.balance - billcost) * 10000) / 10000;
  return { cost: price.price, billcost, description: price.description };
}

/** The facts of one outbound leg that its statistics rows carry. */
interface OutboundLegFacts {
  readonly extension: string | null;
  readonly callerId: string;
  readonly to: string;
  readonly disposition: string;
  readonly talk: number;
  readonly legId: string;
}

/**
 * Writes the PBX and account statistics rows of an outbound leg and charges it to the balance.
 * Why: `/v1/statistics/*` and `/v1/info/balance/` must agree with the calls played.
 */
export function recordOutboundLeg(
  rt: CallRuntime,
  trace: CallTrace,
  o: OutboundLegFacts,
  isRecorded: boolean,
  startMs: number,
): void {
  const { state, data } = rt;
  const ext = o.extension ? findExtension(state, o.extension) : undefined;
  data.pbxStats.push({
    call_id: o.legId,
    sip: o.extension ?? '',
    callstart: trace.callStart,
    clid: ext ? `${ext.name} ${ext.number} (${ext.number})` : o.callerId,
    destination: o.to,
    disposition: o.disposition,
    seconds: o.talk,
    is_recorded: isRecorded,
    pbx_call_id: trace.pbxCallId,
    at: startMs,
    seq: rt.seqOf(trace),
    direction: 'out',
  });
  const bill = charge(rt, o.to, o.talk);
  data.accountStats.push({
    id: newLegId(startMs),
    sip: state.sips[0]?.id ?? '',
    callstart: trace.callStart,
    from: o.callerId,
    to: o.to,
    description: bill.description,
    disposition: o.disposition,
    billseconds: o.talk,
    cost: bill.cost,
    billcost: bill.billcost,
    currency: state.account.currency,
    at: startMs,
    seq: rt.seqOf(trace),
  });
}
