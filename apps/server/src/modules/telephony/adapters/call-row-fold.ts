/**
 * What applying a notification does to a call's row, apart from any database: the row's columns from a folded
 * record, the fold of a stored row (memoised), and the plan of one event — the columns to write, the call as
 * written and the statistics deltas. Why apart: both of the repository's write paths (SQLite's prepared
 * statements and Kysely) run the same plan (kysely-call-repository.ts), and the call log reads rows through the
 * same fold (`toStoredCall`).
 */
import type { Selectable } from 'kysely';
import type { CallsTable } from '../../../platform/db/schema/telephony.js';
import { newId } from '../../../platform/ids.js';
import { attributeCall } from '../domain/call-attribution.js';
import { addToEventLog, type CallEvent, CallEventRefusedError } from '../domain/call-event.js';
import { identityConflict } from '../domain/call-identity.js';
import { callOutcome, waitingSeconds } from '../domain/call-outcome.js';
import { type RollupContribution, rollupContribution, rollupDeltas } from '../domain/call-rollup.js';
import { type CallRecord, emptyCallRecord, foldCall, mergeCall } from '../domain/fold-call.js';
import type { ApplyEventOptions, ApplyEventResult, StoredCall } from '../ports.js';
import type { CallFacts } from './missed-call-fates.js';

/** The columns a fold writes: the record's, its events, version, time and the client's E.164. */
interface WrittenColumns {
  readonly events: string;
  readonly version: number;
  readonly updated_at: string;
  readonly client_e164: string | null;
}

type CallUpdate = ReturnType<typeof callColumns>;

/**
 * The row values of a record. Every field is written out in one literal: on Node 20's V8, `{...big, extra}`
 * (a spread followed by new properties) costs microseconds, a literal tens of nanoseconds — and this runs
 * for every webhook.
 */
function callColumns(record: CallRecord, written: WrittenColumns) {
  const attribution = attributeCall(record);
  return {
    direction: record.direction,
    status: record.status,
    call_start: record.callStart,
    started_at: record.startedAt,
    caller_id: record.callerId,
    destination: record.destination,
    client_number: record.clientNumber,
    did_number: record.didNumber,
    ringing_extensions: JSON.stringify(record.ringingExtensions),
    origin_extension: record.originExtension,
    answered_at: record.answeredAt,
    answered_by: record.answeredBy,
    disposition: record.disposition,
    duration: record.duration,
    status_code: record.statusCode,
    ended_at: record.endedAt,
    is_recorded: record.isRecorded ? 1 : 0,
    recording_ids: JSON.stringify(record.recordingIds),
    calltype: record.calltype,
    events: written.events,
    version: written.version,
    updated_at: written.updated_at,
    client_e164: written.client_e164,
    outcome: callOutcome(record),
    agent_extension: attribution.extension,
    attribution_rule: attribution.rule as string | null,
    wait_seconds: waitingSeconds(record),
  };
}

/** The stored call: a record and its row's own columns (one literal, for the reason above). */
function storedCall(
  record: CallRecord,
  row: Pick<CallCore, 'id' | 'contact_id' | 'agent_user_id' | 'created_at'>,
  events: readonly CallEvent[],
  written: Pick<WrittenColumns, 'version' | 'updated_at' | 'client_e164'>,
): StoredCall {
  return {
    pbxCallId: record.pbxCallId,
    direction: record.direction,
    callStart: record.callStart,
    startedAt: record.startedAt,
    callerId: record.callerId,
    destination: record.destination,
    calledDid: record.calledDid,
    clientNumber: record.clientNumber,
    didNumber: record.didNumber,
    ringingExtensions: record.ringingExtensions,
    originExtension: record.originExtension,
    answers: record.answers,
    answeredAt: record.answeredAt,
    answerExtension: record.answerExtension,
    answeredBy: record.answeredBy,
    status: record.status,
    end: record.end,
    disposition: record.disposition,
    duration: record.duration,
    statusCode: record.statusCode,
    endedAt: record.endedAt,
    isRecorded: record.isRecorded,
    recordingIds: record.recordingIds,
    recordNoticeIds: record.recordNoticeIds,
    calltype: record.calltype,
    blacklisted: record.blacklisted,
    id: row.id,
    events,
    contactId: row.contact_id,
    agentUserId: row.agent_user_id,
    clientE164: written.client_e164,
    version: written.version,
    createdAt: row.created_at,
    updatedAt: written.updated_at,
  };
}

// Folds of recently written `events` texts. A call's next notification and the link after each write read back
// the very text just written; without the memo each would parse and refold it (a third of a webhook's cost).
// Entries are immutable (readonly types). They are found by call id (a short key: hashing the whole text cost
// microseconds) and used only when their text equals the row's exactly, so a hit is always right.
const FOLD_MEMO_SIZE = 1024;
interface Fold {
  readonly events: readonly CallEvent[];
  readonly record: CallRecord;
  /** The row values as this fold was written (its core columns may have changed since: a link). */
  readonly columns: CallUpdate;
}
const foldMemo = new Map<string, { readonly json: string; readonly fold: Fold }>();

function rememberFold(pbxCallId: string, json: string, fold: Fold): void {
  if (foldMemo.size >= FOLD_MEMO_SIZE && !foldMemo.has(pbxCallId)) {
    foldMemo.delete(foldMemo.keys().next().value as string);
  }
  foldMemo.set(pbxCallId, { json, fold });
}

/** What the fold and the stored call need of a row: the rest is derived from `events`. */
export type CallCore = Pick<
  Selectable<CallsTable>,
  | 'id'
  | 'pbx_call_id'
  | 'events'
  | 'contact_id'
  | 'agent_user_id'
  | 'client_e164'
  | 'version'
  | 'created_at'
  | 'updated_at'
  | 'return_at'
  | 'return_direction'
>;

export const CORE_COLUMNS: readonly (keyof CallCore)[] = [
  'id',
  'pbx_call_id',
  'events',
  'contact_id',
  'agent_user_id',
  'client_e164',
  'version',
  'created_at',
  'updated_at',
  'return_at',
  'return_direction',
];

/** The events of a stored `events` text and their fold (an empty record for a call with no event yet). */
export function foldOf(row: CallCore): Fold {
  const known = foldMemo.get(row.pbx_call_id);
  if (known?.json === row.events) {
    return known.fold;
  }
  const events = JSON.parse(row.events) as CallEvent[];
  const record = events.length > 0 ? foldCall(events) : emptyCallRecord(row.pbx_call_id);
  const fold = { events, record, columns: callColumns(record, row) };
  if (events.length > 0) {
    rememberFold(row.pbx_call_id, row.events, fold);
  }
  return fold;
}

/** A stored call from its row (the fold memoised). Why exported: the call log reads rows in one query. */
export function toStoredCall(row: CallCore): StoredCall {
  const { events, record } = foldOf(row);
  return storedCall(record, row, events, row);
}

/** The core of a call no event has been folded into yet. */
export function newCallCore(pbxCallId: string, now: string): CallCore {
  return {
    id: newId(),
    pbx_call_id: pbxCallId,
    events: '[]',
    contact_id: null,
    agent_user_id: null,
    client_e164: null,
    version: 0,
    created_at: now,
    updated_at: now,
    return_at: null,
    return_direction: null,
  };
}

/**
 * What the missed-call upkeep needs of a row (missed-call-fates.ts): its id and return as stored, the rest
 * from `columns` (the fold's values, before or after the event).
 */
export function factsOf(row: CallCore, columns: CallUpdate): CallFacts {
  return {
    id: row.id,
    client_e164: columns.client_e164,
    started_at: columns.started_at,
    direction: columns.direction,
    status: columns.status,
    outcome: columns.outcome,
    agent_extension: columns.agent_extension,
    return_at: row.return_at,
    return_direction: row.return_direction,
  };
}

function newCallRow(pbxCallId: string, now: string): Selectable<CallsTable> {
  const core = newCallCore(pbxCallId, now);
  return { ...core, ...callColumns(emptyCallRecord(pbxCallId), core) };
}

/**
 * Throws {@link CallEventRefusedError} when `event` contradicts the signed identity of the call whose
 * notifications are `known` (call-identity.ts). Checked before anything is written.
 */
function refuseForeign(known: readonly CallEvent[], event: CallEvent): void {
  const conflict = identityConflict(known, event);
  if (conflict !== null) {
    throw new CallEventRefusedError(conflict);
  }
}

/**
 * What applying `event` to the stored row does: the result, and the columns to write (null: nothing). Throws
 * {@link CallEventRefusedError} (nothing written) for an event the call refuses.
 */
export function planEvent(
  row: CallCore,
  event: CallEvent,
  now: string,
  normalisesTimes: boolean,
  options: ApplyEventOptions,
): { result: ApplyEventResult; update: CallUpdate | null; rollups: RollupContribution[] } {
  const { events: stored, record: previous } = foldOf(row);
  refuseForeign(stored, event);
  const log = addToEventLog(stored, event);
  if (!log.changed) {
    return {
      result: { call: toStoredCall(row), duplicate: log.duplicate, changed: false },
      update: null,
      rollups: [],
    };
  }
  const events = log.events;
  // A new event goes at the end of the log, and a fold is a reduce: merging it into the previous record is the
  // same as refolding everything. Replacing an earlier copy of an event still refolds.
  const record = events.length === stored.length + 1 ? mergeCall(previous, event) : foldCall(events);
  // The client's E.164 goes in the same write (not a link after it), and is never unset by a number that
  // does not normalise.
  const e164 = record.clientNumber && options.clientE164 ? options.clientE164(record.clientNumber) : null;
  const update = callColumns(record, {
    events: JSON.stringify(events),
    version: row.version + 1,
    updated_at: now,
    client_e164: e164 ?? row.client_e164,
  });
  rememberFold(row.pbx_call_id, update.events, { events, record, columns: update });
  // The row as written, without reading it back and re-folding it. PostgreSQL hands timestamps back
  // normalised (database.ts); SQLite returns the text as written.
  const call = storedCall(record, row, events, {
    version: update.version,
    updated_at: normalisesTimes ? new Date(now).toISOString() : now,
    client_e164: update.client_e164,
  });
  // The statistics move with the record, in the same transaction: minus what the call counted for before,
  // plus what it counts for now (nothing while it is not ended, nothing when that did not change).
  const rollups = rollupDeltas(rollupContribution(previous), rollupContribution(record));
  return { result: { call, duplicate: log.duplicate, changed: true }, update, rollups };
}

export const CALL_COLUMNS = Object.keys(newCallRow('x', '')) as (keyof CallsTable)[];
export const UPDATE_COLUMNS = Object.keys(
  callColumns(emptyCallRecord('x'), newCallCore('x', '')),
) as (keyof CallUpdate)[];
