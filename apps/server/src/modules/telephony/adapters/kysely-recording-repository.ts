/**
 * The recordings vault on Kysely (migration 0012): the recording rows, the NOTIFY_RECORD notice (row + fetch job in
 * the batch's transaction) and the listening audit.
 */
import { type Kysely, type SqlBool, sql, type Transaction } from 'kysely';
import type { CallRecordingsTable } from '../../../platform/db/schema/recordings.js';
import type { Database } from '../../../platform/db/schema.js';
import { newId } from '../../../platform/ids.js';
import type { JobQueue } from '../../../platform/jobs/job-queue.js';
import { jobTransaction } from '../../../platform/jobs/kysely-job-transaction.js';
import type {
  CallRecording,
  CallTranscriptSearch,
  RecordingNotices,
  RecordingRepository,
  TranscriptPhrase,
  TranscriptRepository,
} from '../ports.js';
import { FETCH_RECORDING_JOB, type FetchRecordingPayload } from '../use-cases/fetch-call-recording.js';

/** Fetch attempts before a recording is marked failed: with the queue's doubling backoff, about a day. */
const FETCH_ATTEMPTS = 15;

function toRecording(row: CallRecordingsTable): CallRecording {
  return {
    id: row.id,
    callId: row.call_id,
    pbxCallId: row.pbx_call_id,
    recordingId: row.recording_id,
    status: row.status,
    storageKey: row.storage_key,
    sizeBytes: row.size_bytes === null ? null : Number(row.size_bytes),
    sha256: row.sha256,
    contentType: row.content_type,
    legalHold: Number(row.legal_hold) === 1,
    attempts: Number(row.attempts),
    lastError: row.last_error,
    createdAt: row.created_at,
    storedAt: row.stored_at,
  };
}

/** The lower-cased text the call log's search scans. */
function searchTextOf(phrases: readonly TranscriptPhrase[]): string {
  return phrases
    .map((p) => p.text)
    .join(' ')
    .toLowerCase();
}

/** Writes (or rewrites, idempotently) the transcript of recording row `recording`. */
async function upsertTranscript(
  db: Kysely<Database>,
  recording: { readonly id: string; readonly callId: string | null },
  transcript: { readonly lang: string | null; readonly phrases: string },
  searchText: string,
  at: string,
): Promise<void> {
  // The call's start as it is now: the call cannot have started after it (migration 0041).
  const callStart =
    recording.callId === null
      ? null
      : db.selectFrom('calls').select('started_at').where('id', '=', recording.callId);
  await db
    .insertInto('call_transcripts')
    .values({
      recording_id: recording.id,
      call_id: recording.callId,
      lang: transcript.lang,
      phrases: transcript.phrases,
      search_text: searchText,
      created_at: at,
      call_started_at: callStart,
    })
    .onConflict((oc) =>
      oc.column('recording_id').doUpdateSet((eb) => ({
        lang: transcript.lang,
        phrases: transcript.phrases,
        search_text: searchText,
        call_started_at: eb.ref('excluded.call_started_at'),
      })),
    )
    .execute();
}

/**
 * The NOTIFY_RECORD and SPEECH_RECOGNITION notices bound to a batch's transaction: the recording row and its fetch
 * job commit with the batch or not at all; a repeat (same call and recording) adds neither. A transcript is kept on
 * its recording, or parked until NOTIFY_RECORD registers that recording (Zadarma's order is not guaranteed, §5.7).
 * Without a job queue (some tests) the row alone is written.
 */
export function createKyselyRecordingNotices(trx: Kysely<Database>, jobs: JobQueue | null): RecordingNotices {
  /** A transcript parked for this recording (by its id, or its call's), moved onto the new row. */
  async function unpark(row: { id: string; callId: string; pbxCallId: string; recordingId: string }) {
    const keys = [`rec:${row.recordingId}`, `pbx:${row.pbxCallId}`];
    const parked = await trx
      .selectFrom('parked_transcripts')
      .selectAll()
      .where('notice_key', 'in', keys)
      .orderBy('received_at', 'desc')
      .executeTakeFirst();
    if (!parked) {
      return;
    }
    const phrases = JSON.parse(parked.phrases) as TranscriptPhrase[];
    await upsertTranscript(
      trx,
      { id: row.id, callId: row.callId },
      { lang: parked.lang, phrases: parked.phrases },
      searchTextOf(phrases),
      parked.received_at,
    );
    await trx.deleteFrom('parked_transcripts').where('notice_key', 'in', keys).execute();
  }
  return {
    async transcriptReady(notice) {
      let q = trx.selectFrom('call_recordings').select(['id', 'call_id', 'status']);
      // By Zadarma's recording id when named (with the call's id too when both are, as the simulator sends);
      // by the call alone otherwise: its latest recording.
      q = notice.recordingId !== null ? q.where('recording_id', '=', notice.recordingId) : q;
      q = notice.pbxCallId !== null ? q.where('pbx_call_id', '=', notice.pbxCallId) : q;
      const row = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').executeTakeFirst();
      const phrases = JSON.stringify(notice.phrases);
      if (!row) {
        const noticeKey =
          notice.recordingId !== null ? `rec:${notice.recordingId}` : `pbx:${notice.pbxCallId}`;
        await trx
          .insertInto('parked_transcripts')
          .values({ notice_key: noticeKey, lang: notice.lang, phrases, received_at: notice.receivedAt })
          .onConflict((oc) =>
            oc
              .column('notice_key')
              .doUpdateSet({ lang: notice.lang, phrases, received_at: notice.receivedAt }),
          )
          .execute();
        return 'parked';
      }
      if (row.status === 'deleted') {
        return 'ignored';
      }
      await upsertTranscript(
        trx,
        { id: row.id, callId: row.call_id },
        { lang: notice.lang, phrases },
        searchTextOf(notice.phrases),
        notice.receivedAt,
      );
      return 'saved';
    },
    async recordingReady(input) {
      const id = newId();
      const inserted = await trx
        .insertInto('call_recordings')
        .values({
          id,
          call_id: input.callId,
          pbx_call_id: input.pbxCallId,
          recording_id: input.recordingId,
          status: 'pending',
          storage_key: null,
          size_bytes: null,
          sha256: null,
          content_type: null,
          legal_hold: 0,
          attempts: 0,
          last_error: null,
          created_at: input.at,
          stored_at: null,
          deleted_at: null,
        })
        .onConflict((oc) => oc.columns(['pbx_call_id', 'recording_id']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (inserted) {
        await unpark({
          id,
          callId: input.callId,
          pbxCallId: input.pbxCallId,
          recordingId: input.recordingId,
        });
      }
      if (!inserted || !jobs) {
        return;
      }
      await jobs.enqueue<FetchRecordingPayload>(
        FETCH_RECORDING_JOB,
        { recordingRowId: id },
        {
          idempotencyKey: `${input.pbxCallId}|${input.recordingId}`,
          maxAttempts: FETCH_ATTEMPTS,
          trx: jobTransaction(trx as Transaction<Database>),
        },
      );
    },
  };
}

/** The vault's repository over `db`. */
export function createKyselyRecordingRepository(db: Kysely<Database>): RecordingRepository {
  return {
    async get(id) {
      const row = await db.selectFrom('call_recordings').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toRecording(row) : null;
    },
    async latestForCall(callId) {
      const row = await db
        .selectFrom('call_recordings')
        .selectAll()
        .where('call_id', '=', callId)
        .where('status', '!=', 'deleted')
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .executeTakeFirst();
      return row ? toRecording(row) : null;
    },
    async markStored(id, copy, at) {
      await db
        .updateTable('call_recordings')
        .set({
          status: 'stored',
          storage_key: copy.storageKey,
          size_bytes: copy.sizeBytes,
          sha256: copy.sha256,
          content_type: copy.contentType,
          stored_at: at,
          last_error: null,
        })
        .where('id', '=', id)
        .execute();
    },
    async markLinked(id, at) {
      await db
        .updateTable('call_recordings')
        .set({ status: 'linked', stored_at: at, last_error: null })
        .where('id', '=', id)
        .execute();
    },
    async noteFailure(id, error, final) {
      await db
        .updateTable('call_recordings')
        .set((eb) => ({
          attempts: eb('attempts', '+', 1),
          last_error: error.slice(0, 500),
          ...(final ? { status: 'failed' as const } : {}),
        }))
        .where('id', '=', id)
        .execute();
    },
    async audit(entry, id) {
      await db
        .insertInto('recording_audit')
        .values({
          id,
          at: entry.at,
          user_id: entry.userId,
          actor_kind: entry.actor?.kind ?? null,
          // A user is named by `user_id` (set null if the user is deleted); only others need a name here.
          actor_ref: entry.actor && entry.actor.kind !== 'user' ? entry.actor.ref : null,
          call_id: entry.callId,
          recording_id: entry.recordingId,
          action: entry.action,
          outcome: entry.outcome,
        })
        .execute();
    },
    async listForContact(contactId) {
      const rows = await db
        .selectFrom('call_recordings as r')
        .innerJoin('calls as k', 'k.id', 'r.call_id')
        .selectAll('r')
        .where('k.contact_id', '=', contactId)
        .where('r.status', '!=', 'deleted')
        .orderBy('r.created_at')
        .execute();
      return rows.map(toRecording);
    },
    async listExpired(before, limit) {
      const rows = await db
        .selectFrom('call_recordings')
        .selectAll()
        .where('status', '=', 'stored')
        .where('legal_hold', '=', 0)
        .where('created_at', '<', before)
        .orderBy('created_at')
        .limit(limit)
        .execute();
      return rows.map(toRecording);
    },
    async listOldestStored(limit) {
      const rows = await db
        .selectFrom('call_recordings')
        .selectAll()
        .where('status', '=', 'stored')
        .where('legal_hold', '=', 0)
        .orderBy('created_at')
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map(toRecording);
    },
    async storedBytes() {
      const row = await db
        .selectFrom('call_recordings')
        .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('size_bytes'), eb.lit(0)).as('bytes'))
        .where('status', '=', 'stored')
        .executeTakeFirstOrThrow();
      return Number(row.bytes);
    },
    async markCopyDeleted(id, at) {
      await db
        .updateTable('call_recordings')
        .set({ status: 'linked', storage_key: null, deleted_at: at })
        .where('id', '=', id)
        .execute();
    },
    async markErased(id, at) {
      // What was said goes with the recording (the right to be forgotten): the call log's search finds it no more.
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('call_transcripts').where('recording_id', '=', id).execute();
        await trx
          .updateTable('call_recordings')
          .set({ status: 'deleted', storage_key: null, deleted_at: at })
          .where('id', '=', id)
          .execute();
      });
    },
    async setLegalHold(id, hold) {
      await db
        .updateTable('call_recordings')
        .set({ legal_hold: hold ? 1 : 0 })
        .where('id', '=', id)
        .execute();
    },
    async auditedSince(entry, since) {
      const row = await db
        .selectFrom('recording_audit')
        .select('id')
        .where('call_id', '=', entry.callId)
        .where('action', '=', entry.action)
        .where('outcome', '=', 'allowed')
        .where('at', '>=', since)
        .where('user_id', '=', entry.userId)
        .executeTakeFirst();
      return row !== undefined;
    },
    async listAudit({ limit, offset }) {
      const total = await db
        .selectFrom('recording_audit')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      const rows = await db
        .selectFrom('recording_audit as a')
        .leftJoin('users as u', 'u.id', 'a.user_id')
        .select([
          'a.id',
          'a.at',
          'a.user_id',
          'a.call_id',
          'a.recording_id',
          'a.action',
          'a.outcome',
          'a.actor_kind',
          'a.actor_ref',
          'u.name as user_name',
        ])
        .orderBy('a.at', 'desc')
        .orderBy('a.id', 'desc')
        .limit(limit)
        .offset(offset)
        .execute();
      return {
        total: Number(total.n),
        items: rows.map((r) => ({
          id: r.id,
          at: r.at,
          userId: r.user_id,
          userName: r.user_name ?? null,
          actorKind: r.actor_kind,
          actorRef: r.actor_ref,
          callId: r.call_id,
          recordingId: r.recording_id,
          action: r.action,
          outcome: r.outcome,
        })),
      };
    },
  };
}

/** Transcripts on Kysely (migration 0012). */
export function createKyselyTranscriptRepository(
  db: Kysely<Database>,
): TranscriptRepository & CallTranscriptSearch {
  return {
    async save(transcript, at) {
      await upsertTranscript(
        db,
        { id: transcript.recordingId, callId: transcript.callId },
        { lang: transcript.lang, phrases: JSON.stringify(transcript.phrases) },
        searchTextOf(transcript.phrases),
        at,
      );
    },
    async forCall(callId) {
      // The call's latest recording as latestForCall orders them, then its transcript if it has one.
      const row = await db
        .selectFrom('call_recordings as r')
        .leftJoin('call_transcripts as t', 't.recording_id', 'r.id')
        .select(['r.id as recording_id', 't.call_id', 't.lang', 't.phrases'])
        .where('r.call_id', '=', callId)
        .where('r.status', '!=', 'deleted')
        .orderBy('r.created_at', 'desc')
        .orderBy('r.id', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row && row.phrases !== null
        ? {
            recordingId: row.recording_id,
            callId: row.call_id,
            lang: row.lang,
            phrases: JSON.parse(row.phrases) as TranscriptPhrase[],
          }
        : null;
    },
    async callsSaying(text, limit) {
      // A scan of the transcripts' text: fine for thousands of recorded calls; a token index is the next step.
      const needle = `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      // A call with several transcripts: once, with the earliest of their copies of its start (each a bound).
      const bound = sql<string | null>`min(call_started_at)`;
      const rows = await db
        .selectFrom('call_transcripts')
        .select(['call_id', bound.as('started_at_most')])
        .where(sql<SqlBool>`search_text like ${needle} escape '\\'`)
        .where('call_id', 'is not', null)
        .groupBy('call_id')
        // The calls with no bound first (their start is unknown), then the latest; `is null` sorts nulls alike
        // on both databases.
        .orderBy(sql`${bound} is null`, 'desc')
        .orderBy(bound, 'desc')
        .orderBy(sql`max(created_at)`, 'desc')
        .orderBy('call_id', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ callId: r.call_id as string, startedAtMost: r.started_at_most }));
    },
  };
}
