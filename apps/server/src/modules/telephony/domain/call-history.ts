/**
 * Zadarma's call history (`/v1/statistics/pbx/` version 2, docs/zadarma-protocol.md §4.4) read as the same
 * notifications the webhooks deliver, so that an imported or healed call is folded by the one fold
 * (`fold-call.ts`) into the same row, rollups and attribution as a call the webhooks built.
 *
 * A statistics row is one leg: several rows share a `pbx_call_id` (a ring group, a transfer). The events made from
 * a call's rows are a function of the rows only (their `receivedAt` is the call's own start and end, never "now"),
 * so importing the same history twice folds identical notifications, which the event log keeps once.
 */
import type { CallEvent } from './call-event.js';
import { isExtensionNumber } from './call-event.js';
import type { CallRecord } from './fold-call.js';
import { parseZadarmaDateTime } from './zadarma-date-time.js';

/** One row of `/v1/statistics/pbx/` (version 2), values as the SDK hands them (strings, numbers, booleans). */
export interface StatisticsCallRow {
  /** Zadarma's leg id (`call_id`): also the recording's id when the leg was recorded. */
  readonly callId: string;
  /** The extension of the leg, `''` when none took part. */
  readonly sip: string;
  /** `YYYY-MM-DD HH:MM:SS` in the account's timezone, as in `call_start`. */
  readonly callstart: string;
  readonly clid: string;
  readonly destination: string;
  readonly disposition: string;
  readonly seconds: number;
  readonly isRecorded: boolean;
  readonly pbxCallId: string;
}

/** A call's rows, in the order Zadarma listed them. */
export interface StatisticsCall {
  readonly pbxCallId: string;
  readonly rows: readonly StatisticsCallRow[];
}

/** Thrown for a row that cannot be read as a call (its problem goes into the run's report, never skipped silently). */
export class BadHistoryRowError extends Error {
  override readonly name = 'BadHistoryRowError';
  readonly code = 'SB_ERR_VALIDATION';
}

/** Groups rows by `pbx_call_id`, in order of each call's first row. */
export function groupHistoryRows(rows: readonly StatisticsCallRow[]): StatisticsCall[] {
  const calls = new Map<string, StatisticsCallRow[]>();
  for (const row of rows) {
    const list = calls.get(row.pbxCallId);
    if (list) {
      list.push(row);
    } else {
      calls.set(row.pbxCallId, [row]);
    }
  }
  return [...calls].map(([pbxCallId, list]) => ({ pbxCallId, rows: list }));
}

/**
 * The caller's number in a `clid`: `Name (48539923725)`, `"Caller" <+48515637746>` or bare `48539923725`
 * (§4.4, observed formats). Why: statistics carry the number only inside this display text.
 */
export function numberOfClid(clid: string): string {
  const text = clid.trim();
  const angle = /<\s*([^<>]*?)\s*>\s*$/.exec(text);
  if (angle) {
    return angle[1] as string;
  }
  const paren = /\(\s*([^()]*?)\s*\)\s*$/.exec(text);
  if (paren) {
    return paren[1] as string;
  }
  return text.replace(/^"|"$/g, '');
}

/** True when the call already has what statistics can tell: its end. A call without one is healed. */
export function isCompleteCall(call: CallRecord | null): boolean {
  return call !== null && call.end !== null;
}

function direction(pbxCallId: string): 'inbound' | 'outbound' | null {
  if (pbxCallId.startsWith('in_')) {
    return 'inbound';
  }
  if (pbxCallId.startsWith('out_')) {
    return 'outbound';
  }
  return null;
}

function plusSeconds(iso: string, seconds: number): string {
  return new Date(Date.parse(iso) + seconds * 1000).toISOString();
}

/**
 * The notifications a call's statistics rows stand for, to fold into `known` (the call as the webhooks built it,
 * null when none arrived). A complete call gets none: statistics add nothing a NOTIFY_END did not say, and a second
 * version of its end would only make the fold choose. For a call the webhooks started, the signed fields
 * (`call_start`, `caller_id`, `called_did`, an outbound customer `destination`) are the call's own, so the healing
 * end never contradicts them (call-identity.ts). Throws {@link BadHistoryRowError} for rows that cannot be read.
 */
export function historyEvents(call: StatisticsCall, timezone: string, known: CallRecord | null): CallEvent[] {
  if (isCompleteCall(known)) {
    return [];
  }
  const { pbxCallId, rows } = call;
  const first = rows[0];
  const dir = direction(pbxCallId);
  if (!first || dir === null) {
    throw new BadHistoryRowError(`row of call "${pbxCallId}": pbx_call_id is neither in_… nor out_…`);
  }
  const callStart = known?.callStart ?? first.callstart;
  let startedAt: string;
  try {
    startedAt = known?.startedAt ?? parseZadarmaDateTime(first.callstart, timezone);
  } catch (error) {
    throw new BadHistoryRowError(`row of call ${pbxCallId}: ${(error as Error).message}`);
  }
  for (const row of rows) {
    if (!Number.isFinite(row.seconds) || row.seconds < 0) {
      throw new BadHistoryRowError(
        `row ${row.callId} of call ${pbxCallId}: seconds "${row.seconds}" is not a duration`,
      );
    }
    if (row.disposition.trim() === '') {
      throw new BadHistoryRowError(`row ${row.callId} of call ${pbxCallId}: no disposition`);
    }
  }
  const answered = rows.filter((r) => r.disposition === 'answered');
  const disposition = answered.length > 0 ? 'answered' : first.disposition;
  const talk = answered.reduce((sum, r) => sum + r.seconds, 0);
  const recorded = rows.find((r) => r.isRecorded) ?? null;
  const endedAt = plusSeconds(startedAt, talk);
  const outcome = {
    duration: talk,
    disposition,
    statusCode: null,
    isRecorded: recorded !== null,
    recordingId: recorded?.callId ?? null,
  };
  if (dir === 'inbound') {
    const callerId = known?.callerId ?? numberOfClid(first.clid);
    // Statistics name the DID only on a leg no extension took (its destination); an answered leg names the extension.
    const didRow = rows.find((r) => !isExtensionNumber(r.destination) && r.destination !== '');
    const calledDid = known?.calledDid ?? didRow?.destination ?? '';
    const timing = { pbxCallId, callStart, startedAt, calltype: null, imported: true as const };
    const events: CallEvent[] = [];
    if (known === null) {
      events.push({ kind: 'start', ...timing, receivedAt: startedAt, callerId, calledDid });
    }
    const extensions = [...new Set(rows.map((r) => r.sip).filter((s) => isExtensionNumber(s)))];
    if (known === null) {
      for (const extension of extensions) {
        events.push({ kind: 'internal', ...timing, receivedAt: startedAt, callerId, calledDid, extension });
      }
    }
    const lastAnswered = answered.at(-1)?.sip || null;
    events.push({
      kind: 'end',
      ...timing,
      receivedAt: endedAt,
      callerId,
      calledDid,
      extension: lastAnswered ?? extensions[0] ?? null,
      lastInternal: lastAnswered,
      ...outcome,
    });
    return events;
  }
  // Outbound (and click-to-call): one out_start/out_end pair per leg, as NOTIFY_OUT_* come per leg (§5.7).
  const events: CallEvent[] = [];
  for (const row of rows) {
    const customer = !isExtensionNumber(row.destination);
    const destination = customer && known?.destination ? known.destination : row.destination;
    const extension = isExtensionNumber(row.sip) ? row.sip : null;
    const timing = { pbxCallId, callStart, startedAt, calltype: null, imported: true as const };
    if (known === null) {
      events.push({
        kind: 'out_start',
        ...timing,
        receivedAt: startedAt,
        callerId: null,
        destination,
        extension,
      });
    }
    events.push({
      kind: 'out_end',
      ...timing,
      receivedAt: plusSeconds(startedAt, row.seconds),
      callerId: null,
      destination,
      extension,
      ...outcome,
      duration: row.seconds,
      disposition: row.disposition,
      isRecorded: row.isRecorded,
      recordingId: row.isRecorded ? row.callId : null,
    });
  }
  return events;
}
