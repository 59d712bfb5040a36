/**
 * The call log's entries and a call's own page (`/api/call-log`, `/api/call-log/:id`): the call as the API shows
 * it plus what the domain derives from its record (outcome, attribution, waiting and talk time), and for the
 * page its notifications, its trace and, when missed, what became of it.
 */
import type { Actor } from '../../../platform/auth/actor.js';
import { attributeCall } from '../domain/call-attribution.js';
import { callOutcome, talkSeconds, waitingSeconds } from '../domain/call-outcome.js';
import type { CallLogReader, CallReadModel, CallTranscriptSearch, StoredCall } from '../ports.js';
import { toCallViews } from './call-view.js';
import { type CallLogPage, type ListCallLogRequest, listCallLog } from './list-call-log.js';
import { RETURN_WITHIN_MINUTES, readMissedCallFate } from './read-missed-call-fate.js';
import { type ReadVisibleCallPorts, readVisibleCall } from './read-visible-call.js';

/** The log's entries for stored calls: the call views plus what the domain derives from each record. */
async function toCallLogEntries(readModel: CallReadModel, calls: readonly StoredCall[]) {
  const views = await toCallViews(readModel, calls);
  return views.map((view, i) => {
    const call = calls[i] as StoredCall;
    return {
      ...view,
      outcome: callOutcome(call),
      attribution: attributeCall(call),
      waitSeconds: waitingSeconds(call),
      talkSeconds: talkSeconds(call),
      legCount: call.events.length,
    };
  });
}

export type CallLogEntry = Awaited<ReturnType<typeof toCallLogEntries>>[number];

export interface CallLogPorts {
  readonly log: CallLogReader;
  readonly readModel: CallReadModel;
  /** "Said in the call": the transcripts name the calls the log then filters. */
  readonly transcripts: CallTranscriptSearch;
}

/** One page of the log as entries, with the cursor of the next (null on the last). */
export async function readCallLogPage(
  ports: CallLogPorts,
  reader: Actor,
  request: ListCallLogRequest,
): Promise<{ items: CallLogEntry[]; nextCursor: CallLogPage['nextCursor'] }> {
  const page = await listCallLog({ calls: ports.log, transcripts: ports.transcripts }, reader, request);
  return { items: await toCallLogEntries(ports.readModel, page.items), nextCursor: page.nextCursor };
}

export interface CallLogCallPorts extends ReadVisibleCallPorts {
  readonly log: Pick<CallLogReader, 'followUps' | 'trace'>;
  readonly readModel: CallReadModel;
  /** The return window setting (statistics-settings.ts); RETURN_WITHIN_MINUTES when not given. */
  readonly returnWithinMinutes?: () => Promise<number>;
}

/** A call's page: 404 alike for a call that does not exist and one `reader` may not read. */
export async function readCallLogCall(ports: CallLogCallPorts, reader: Actor, id: string) {
  const call = await readVisibleCall(ports, reader, id);
  const window = ports.returnWithinMinutes ? await ports.returnWithinMinutes() : RETURN_WITHIN_MINUTES;
  const [[entry], trace, missed] = await Promise.all([
    toCallLogEntries(ports.readModel, [call]),
    ports.log.trace(id),
    readMissedCallFate({ calls: ports.log }, call, window),
  ]);
  return {
    call: entry as CallLogEntry,
    legs: [...call.events]
      .sort((a, b) => (a.receivedAt < b.receivedAt ? -1 : a.receivedAt > b.receivedAt ? 1 : 0))
      .map((e) => ({
        kind: e.kind,
        receivedAt: e.receivedAt,
        extension: 'extension' in e ? e.extension : null,
        disposition: 'disposition' in e ? e.disposition : null,
        duration: 'duration' in e ? e.duration : null,
      })),
    ringingExtensions: [...call.ringingExtensions],
    trace,
    missed,
    returnWithinMinutes: window,
  };
}
