/**
 * What each write of the call's trace (`CallTimeline.recordRoutingDecision`, `recordDecision`) reads back as
 * (`CallLogReader.trace`). Why one file: the Kysely timeline writes these entries as activities and the in-memory
 * log reads them straight from its timeline, so call-log-reader.contract.test.ts holds one rule, not two copies.
 */
import { describeTraceStep } from '../domain/routing-policy.js';
import type { CallDecision, CallTraceEntry, RoutingTraceItem } from '../ports.js';

/** Most entries one call's trace reads, oldest first (a call's page never lists more). */
export const MAX_TRACE_ENTRIES = 200;

/**
 * One entry per step taken or skipped, each 1 ms after the previous one so a trace ordered by time reads them in
 * the order they were taken; the English line is the step's description (logs, and the web when the kind is new).
 */
export function routingTraceEntries(item: RoutingTraceItem): CallTraceEntry[] {
  const start = Date.parse(item.at);
  return item.trace.map((step, index) => ({
    at: new Date(start + index).toISOString(),
    type: `call.routing.${step.code}`,
    params: { ...step.params },
    text: describeTraceStep(step),
  }));
}

/** A decision's entry: its code is also its English line (the web phrases the code in the reader's language). */
export function decisionTraceEntry(item: CallDecision): CallTraceEntry {
  return { at: item.at, type: item.code, params: { ...item.params }, text: item.code };
}
