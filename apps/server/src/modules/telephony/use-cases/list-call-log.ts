/**
 * One page of the call log: the calls an actor may read that match the filters, newest (or oldest) first,
 * with an opaque cursor for the next page. Keyset paging: the page after one million calls costs what the
 * first does, and no count runs over the whole log.
 */
import type { Actor } from '../../../platform/auth/actor.js';
import { AppError } from '../../../platform/errors/errors.js';
import { type InstantRange, localHourSlots, MAX_LOCAL_HOUR_SLOTS } from '../domain/local-hour-slots.js';
import type {
  CallLogCursor,
  CallLogFilter,
  CallLogReader,
  CallTranscriptSearch,
  StoredCall,
} from '../ports.js';

/**
 * Most calls a transcript search narrows the log to (the newest that said it). Why a bound: the ids go into the
 * page's query; a phrase said in more calls than this is better narrowed by a period or an agent as well.
 */
const SAID_MAX_CALLS = 1000;

export interface ListCallLogRequest extends CallLogFilter {
  readonly order: 'newest' | 'oldest';
  /** From the previous page's `nextCursor`. */
  readonly cursor?: string;
  readonly limit: number;
}

export interface CallLogPage {
  readonly items: StoredCall[];
  /** Null on the last page. */
  readonly nextCursor: string | null;
}

/** The cursor after `call` (base64url of its start time and id). */
function encodeCallLogCursor(call: Pick<StoredCall, 'startedAt' | 'id'>): string {
  return Buffer.from(JSON.stringify([call.startedAt, call.id]), 'utf8').toString('base64url');
}

/**
 * The position a cursor names. Throws `SB_ERR_VALIDATION` for anything that is not one of ours.
 * Why strict: the cursor comes back from the client, and goes into a query.
 */
function decodeCallLogCursor(cursor: string): CallLogCursor {
  const refuse = (): never => {
    throw new AppError('SB_ERR_VALIDATION', 'cursor: is not a call log cursor', [
      { path: 'cursor', message: 'is not a call log cursor' },
    ]);
  };
  if (cursor.length > 200 || !/^[A-Za-z0-9_-]+$/.test(cursor)) {
    return refuse();
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return refuse();
  }
  if (!Array.isArray(value) || value.length !== 2) {
    return refuse();
  }
  const [startedAt, id] = value as unknown[];
  if (
    typeof startedAt !== 'string' ||
    Number.isNaN(Date.parse(startedAt)) ||
    typeof id !== 'string' ||
    id.length > 64
  ) {
    return refuse();
  }
  return { startedAt, id };
}

/**
 * Lists a page of the call log for `reader`. Why a use case: the route, the export and the tests share it.
 * A heatmap cell (`localHour`) is read as its hour ranges, each an indexed range of start times, which the log
 * reads a few dozen to a query until the page is full — so it costs what a plain period does.
 */
export async function listCallLog(
  ports: { readonly calls: CallLogReader; readonly transcripts: CallTranscriptSearch },
  reader: Actor,
  request: ListCallLogRequest,
): Promise<CallLogPage> {
  const { cursor, limit, localHour, said, ...filter } = request;
  const after = cursor ? decodeCallLogCursor(cursor) : undefined;
  // "Said in the call": the transcripts name the calls, the log's query applies every other filter and the
  // reader's visibility to them (a call the reader may not read stays out, whatever it said).
  const saying = said ? await ports.transcripts.callsSaying(said, SAID_MAX_CALLS) : null;
  if (saying?.length === 0) {
    return { items: [], nextCursor: null };
  }
  // With the bounds of their starts, the log reads the calls latest first until its page is full.
  const narrowed = {
    ...filter,
    ...(saying
      ? {
          callIds: saying.map((c) => c.callId),
          callStartBounds: new Map(
            saying.flatMap((c) => (c.startedAtMost === null ? [] : [[c.callId, c.startedAtMost] as const])),
          ),
        }
      : {}),
  };
  // A heatmap cell: its hour ranges, those the cursor has not passed yet, read together by the log.
  const within = localHour
    ? slotsOf(filter, localHour).filter(
        (slot) =>
          !after || (request.order === 'newest' ? slot.from <= after.startedAt : slot.to > after.startedAt),
      )
    : undefined;
  if (within?.length === 0) {
    return { items: [], nextCursor: null };
  }
  const rows = await ports.calls.page(reader, {
    ...narrowed,
    ...(after ? { after } : {}),
    ...(within ? { within } : {}),
    limit: limit + 1,
  });
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCallLogCursor(last) : null };
}

/** The hour ranges of a heatmap cell within the period. Throws on a missing or long period. */
function slotsOf(filter: CallLogFilter, localHour: NonNullable<CallLogFilter['localHour']>): InstantRange[] {
  const refuse = (message: string): never => {
    throw new AppError('SB_ERR_VALIDATION', `weekday: ${message}`, [{ path: 'weekday', message }]);
  };
  if (!filter.from || !filter.to) {
    return refuse('a weekday and an hour need a period (from and to)');
  }
  const slots = localHourSlots(filter.from, filter.to, localHour.weekday, localHour.hour, localHour.timeZone);
  if (slots.length > MAX_LOCAL_HOUR_SLOTS) {
    return refuse('the period is too long for one weekday and hour (a year at most)');
  }
  return slots;
}
