/**
 * Wires the recordings vault (issue 11 part B): the recording store on disk, the Zadarma source, the repository, the
 * mode setting, the fetch job's handler, and the ports playback uses. The webhook batch's side (NOTIFY_RECORD →
 * row + job in its transaction) is bound in webhook-ports.ts.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { createSecretBox } from '../../platform/crypto/secret-box.js';
import type { Database } from '../../platform/db/schema.js';
import { newId } from '../../platform/ids.js';
import type { JobQueueDriver } from '../../platform/jobs/job-queue.js';
import { RECORDINGS_SETTINGS } from '../../platform/settings/setting-definitions.js';
import { createSettingsService, type SettingsService } from '../../platform/settings/settings-service.js';
import { createDiskRecordingStore } from './adapters/disk-recording-store.js';
import { createKyselyCallVisibility } from './adapters/kysely-call-visibility.js';
import {
  createKyselyRecordingRepository,
  createKyselyTranscriptRepository,
} from './adapters/kysely-recording-repository.js';
import { systemClock } from './adapters/system-clock.js';
import type { TelephonyRuntime } from './adapters/zadarma/telephony-runtime.js';
import { createZadarmaRecordingSource } from './adapters/zadarma/zadarma-recording-source.js';
import type {
  CallTranscriptSearch,
  RecordingMode,
  RecordingRepository,
  TranscriptRepository,
} from './ports.js';
import {
  applyRecordingRetention,
  type RecordingStorage,
  type RetentionPolicy,
  recordingStorage,
} from './use-cases/apply-recording-retention.js';
import {
  ERASE_AT_ZADARMA_JOB,
  type EraseRecordingsPorts,
  eraseAtZadarma,
} from './use-cases/erase-contact-recordings.js';
import {
  FETCH_RECORDING_JOB,
  type FetchRecordingPayload,
  fetchCallRecording,
} from './use-cases/fetch-call-recording.js';
import { FETCH_TRANSCRIPT_JOB, fetchCallTranscript } from './use-cases/fetch-call-transcript.js';
import type { PlayRecordingPorts } from './use-cases/play-call-recording.js';

export interface RecordingsVault {
  readonly playback: PlayRecordingPorts;
  /** What erasure by contact runs on: the playback's ports and the queue that retries Zadarma's deletes. */
  readonly erasure: EraseRecordingsPorts;
  /** The retention policy now (settings). */
  policy(): Promise<RetentionPolicy>;
  /** How full the vault is against its cap (the settings page's warning). */
  storage(): Promise<RecordingStorage>;
  /** Enqueues the retention job once a day (any instance; the day is its idempotency key). */
  startSchedule(): void;
  stopSchedule(): void;
  readonly recordings: RecordingRepository;
  readonly transcripts: TranscriptRepository & CallTranscriptSearch;
  readonly settings: SettingsService<typeof RECORDINGS_SETTINGS>;
  mode(): Promise<RecordingMode>;
}

export interface RecordingsVaultOptions {
  readonly db: Kysely<Database>;
  readonly runtime: TelephonyRuntime;
  /** Where our copies go (DATA_DIR/recordings). */
  readonly directory: string;
  /** The queue the fetch job runs on; null: NOTIFY_RECORD registers the recording and nothing fetches it. */
  readonly jobs: JobQueueDriver | null;
  readonly onError?: (error: unknown, context: string) => void;
  /** Lines for the operator (retention warnings). */
  readonly warn?: (message: string) => void;
}

/** Name of the nightly retention job. */
const RETENTION_JOB = 'recordings.retention';
const SCHEDULE_CHECK_MS = 60 * 60_000;

/** Builds the vault and registers the fetch job's handler on `jobs`. */
export function createRecordingsVault(options: RecordingsVaultOptions): RecordingsVault {
  const { db, runtime } = options;
  const recordings = createKyselyRecordingRepository(db);
  const transcripts = createKyselyTranscriptRepository(db);
  const visibility = createKyselyCallVisibility(db);
  const store = createDiskRecordingStore(options.directory);
  const source = createZadarmaRecordingSource({ client: () => runtime.client() });
  const settings = createSettingsService({
    db,
    // No recordings setting is encrypted: this box never opens anything.
    box: createSecretBox(randomBytes(32)),
    definitions: RECORDINGS_SETTINGS,
    instanceId: runtime.instanceId,
    ...(options.onError ? { onError: options.onError } : {}),
  });
  async function mode(): Promise<RecordingMode> {
    // Off the hot path (a job, a play): one version check keeps every instance on an admin's latest choice.
    await settings.checkForChanges();
    return (await settings.read()).mode;
  }
  options.jobs?.handle<FetchRecordingPayload>(FETCH_RECORDING_JOB, async (job) => {
    const outcome = await fetchCallRecording({ recordings, store, source, mode, clock: systemClock }, job);
    if (outcome === 'stored' || outcome === 'linked') {
      await options.jobs?.enqueue(FETCH_TRANSCRIPT_JOB, job.payload, {
        idempotencyKey: job.payload.recordingRowId,
        maxAttempts: 8,
      });
    }
  });
  options.jobs?.handle<{ recordingId: string }>(ERASE_AT_ZADARMA_JOB, async (job) => {
    await eraseAtZadarma({ source }, job.payload);
  });
  options.jobs?.handle<FetchRecordingPayload>(FETCH_TRANSCRIPT_JOB, async (job) => {
    await fetchCallTranscript({ recordings, transcripts, source, clock: systemClock }, job.payload);
  });
  async function policy(): Promise<RetentionPolicy> {
    await settings.checkForChanges();
    const values = await settings.read();
    return { retentionDays: values.retentionDays, maxStorageBytes: values.maxStorageMb * 1024 * 1024 };
  }
  const warn = options.warn ?? (() => {});
  options.jobs?.handle(RETENTION_JOB, async () => {
    const done = await applyRecordingRetention(
      { recordings, store, clock: systemClock, warn },
      await policy(),
    );
    if (done.expired > 0) {
      warn(`recordings retention: deleted ${done.expired} copies past the retention period`);
    }
  });
  let timer: NodeJS.Timeout | null = null;
  function enqueueToday(): void {
    const day = new Date(systemClock.now()).toISOString().slice(0, 10);
    options.jobs
      ?.enqueue(RETENTION_JOB, {}, { idempotencyKey: `day:${day}`, maxAttempts: 3 })
      .catch((error: unknown) => options.onError?.(error, 'enqueueing the retention job'));
  }
  return {
    transcripts,
    policy,
    storage: async () => recordingStorage(recordings, await policy()),
    startSchedule() {
      if (!options.jobs || timer) {
        return;
      }
      enqueueToday();
      timer = setInterval(enqueueToday, SCHEDULE_CHECK_MS);
      timer.unref();
    },
    stopSchedule() {
      if (timer) {
        clearInterval(timer);
        timer = null;
      }
    },
    recordings,
    settings,
    mode,
    playback: {
      calls: {
        exists: async (callId) =>
          (await db.selectFrom('calls').select('id').where('id', '=', callId).executeTakeFirst()) !==
          undefined,
        canRead: (actor, callId) => visibility.canRead(actor, callId),
      },
      recordings,
      store,
      source,
      clock: systemClock,
      newId,
    },
    erasure: { recordings, store, source, clock: systemClock, jobs: options.jobs },
  };
}
