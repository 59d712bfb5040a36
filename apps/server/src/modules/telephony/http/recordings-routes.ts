/**
 * The recordings vault's routes: a call's recording (summary, and the audio with HTTP `Range` for seeking, or as a
 * download), the listening audit for admins, and the vault's mode setting.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../../platform/errors/errors.js';
import { actorOf, requireAdmin, requireSignedIn } from '../../../platform/http/auth-guards.js';
import type { ByteRange, RangeRequest } from '../ports.js';
import type { RecordingsVault } from '../recordings-vault.js';
import { eraseContactRecordings } from '../use-cases/erase-contact-recordings.js';
import { listRecordingAudit } from '../use-cases/list-recording-audit.js';
import { describeCallRecording, openCallRecording } from '../use-cases/play-call-recording.js';
import { readCallTranscript } from '../use-cases/read-call-transcript.js';
import { readRecordingSettings } from '../use-cases/read-recording-settings.js';
import { saveRecordingSettings } from '../use-cases/save-recording-settings.js';
import { setRecordingLegalHold } from '../use-cases/set-recording-legal-hold.js';

export interface RecordingsRoutesOptions {
  readonly vault: RecordingsVault;
}

const RecordingSummary = z.object({
  available: z.boolean(),
  status: z.enum(['none', 'pending', 'stored', 'linked', 'failed', 'deleted']),
  sizeBytes: z.number().nullable(),
  contentType: z.string().nullable(),
  legalHold: z.boolean(),
});

const RecordingAuditPage = z.object({
  total: z.number(),
  items: z.array(
    z.object({
      id: z.string(),
      at: z.string(),
      userId: z.string().nullable(),
      userName: z.string().nullable(),
      /** Who acted; null on lines written before the audit named actors. */
      actorKind: z.enum(['user', 'api-client', 'system']).nullable(),
      /** With no user behind the line: the API key's id (never its secret) or the system's reason. */
      actorRef: z.string().nullable(),
      callId: z.string(),
      recordingId: z.string().nullable(),
      action: z.enum(['play', 'download']),
      outcome: z.enum(['allowed', 'denied', 'missing']),
    }),
  ),
});

const RecordingSettingsInput = z.object({
  mode: z.enum(['copy', 'link']).optional(),
  retentionDays: z.number().int().min(0).max(36_500).optional(),
  maxStorageMb: z.number().int().min(0).max(100_000_000).optional(),
});

const RecordingSettings = z.object({
  mode: z.enum(['copy', 'link']),
  retentionDays: z.number(),
  maxStorageMb: z.number(),
  storage: z.object({ storedBytes: z.number(), maxStorageBytes: z.number(), nearCap: z.boolean() }),
});

const ErasureReport = z.object({
  recordings: z.number(),
  ourCopiesDeleted: z.number(),
  zadarmaDeleted: z.number(),
  zadarmaAbsent: z.number(),
  heldBack: z.number(),
  failed: z.number(),
  items: z.array(
    z.object({
      callId: z.string().nullable(),
      recordingId: z.string(),
      ourCopy: z.enum(['deleted', 'none', 'kept']),
      zadarma: z.enum(['deleted', 'absent', 'kept', 'failed']),
      error: z.string().nullable(),
    }),
  ),
});

/**
 * The byte range a `Range` header asks of a file of `size` bytes: null for none (or several ranges, which we
 * answer whole), 'unsatisfiable' for a range outside the file. Why: seeking in a browser's player is range requests.
 */
function requestedRange(header: string | undefined, size: number): ByteRange | null | 'unsatisfiable' {
  if (!header) {
    return null;
  }
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) {
    return null;
  }
  const [first, last] = [match[1] as string, match[2] as string];
  if (first === '') {
    // A suffix: the last N bytes.
    const length = Number(last);
    return length === 0 || size === 0
      ? 'unsatisfiable'
      : { start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (start >= size || end < start) {
    return 'unsatisfiable';
  }
  return { start, end };
}

/**
 * What to ask Zadarma for before the file's size is known: `bytes=start-` or `bytes=start-end` (what a player sends
 * when seeking); null for none, a suffix or several ranges (the whole file is streamed and cut to what is asked).
 */
function rangeToAsk(header: string | undefined): RangeRequest | null {
  const match = header ? /^bytes=(\d+)-(\d*)$/.exec(header.trim()) : null;
  if (!match) {
    return null;
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? null : Number(match[2]);
  return end === null || end >= start ? { start, end } : null;
}

/** Registers the routes. */
export async function recordingsRoutes(
  app: FastifyInstance,
  options: RecordingsRoutesOptions,
): Promise<void> {
  const { vault } = options;
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const params = z.object({ id: z.string().min(1).max(64) });

  typed.get(
    '/api/calls/:id/recording/summary',
    { preHandler: requireSignedIn, schema: { params, response: { 200: RecordingSummary } } },
    async (request) => describeCallRecording(vault.playback, actorOf(request), request.params.id),
  );

  typed.get(
    '/api/calls/:id/recording',
    {
      preHandler: requireSignedIn,
      schema: { params, querystring: z.object({ download: z.enum(['0', '1']).optional() }) },
    },
    async (request, reply) => {
      const download = request.query.download === '1';
      const header = request.headers.range;
      // A listen starts at byte 0; the player's later range requests (seeking) belong to the same listen.
      const startsListen = download || !header || /^bytes=0-/.test(header.trim());
      const playable = await openCallRecording(vault.playback, actorOf(request), {
        callId: request.params.id,
        action: download ? 'download' : 'play',
        audited: startsListen,
        range: rangeToAsk(header),
      });
      const range = requestedRange(header, playable.sizeBytes);
      if (range === 'unsatisfiable') {
        await playable.close();
        reply.header('Content-Range', `bytes */${playable.sizeBytes}`);
        throw new AppError('SB_ERR_RANGE_NOT_SATISFIABLE', `the recording has ${playable.sizeBytes} bytes`);
      }
      const extension = playable.contentType.includes('wav')
        ? 'wav'
        : playable.contentType.includes('ogg')
          ? 'ogg'
          : 'mp3';
      reply
        .header('Content-Type', playable.contentType)
        .header('Accept-Ranges', 'bytes')
        .header('Cache-Control', 'private, no-store')
        .header(
          'Content-Disposition',
          `${download ? 'attachment' : 'inline'}; filename="call-${request.params.id}.${extension}"`,
        );
      if (range) {
        reply
          .code(206)
          .header('Content-Range', `bytes ${range.start}-${range.end}/${playable.sizeBytes}`)
          .header('Content-Length', String(range.end - range.start + 1));
      } else {
        reply.header('Content-Length', String(playable.sizeBytes));
      }
      return reply.send(Readable.from(playable.read(range)));
    },
  );

  typed.get(
    '/api/calls/:id/transcript',
    {
      preHandler: requireSignedIn,
      schema: {
        params,
        response: {
          200: z.object({
            available: z.boolean(),
            lang: z.string().nullable(),
            phrases: z.array(
              z.object({
                speaker: z.enum(['agent', 'client']),
                channel: z.number(),
                start: z.number(),
                end: z.number(),
                text: z.string(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const view = await readCallTranscript(
        { calls: vault.playback.calls, transcripts: vault.transcripts },
        actorOf(request),
        request.params.id,
      );
      return { ...view, phrases: [...view.phrases] };
    },
  );

  typed.put(
    '/api/calls/:id/recording/legal-hold',
    {
      // onRequest: an agent is refused before the body is read (403, not a validation 400).
      onRequest: requireAdmin,
      schema: {
        params,
        body: z.object({ hold: z.boolean() }),
        response: { 200: z.object({ legalHold: z.boolean() }) },
      },
    },
    async (request) =>
      setRecordingLegalHold(vault.recordings, actorOf(request), {
        callId: request.params.id,
        hold: request.body.hold,
      }),
  );

  typed.post(
    '/api/contacts/:id/recordings/erase',
    { preHandler: requireAdmin, schema: { params, response: { 200: ErasureReport } } },
    async (request) => {
      const report = await eraseContactRecordings(vault.erasure, actorOf(request), request.params.id);
      request.log.info(
        { contactId: request.params.id, ...report, items: undefined },
        'recordings erased for a contact (right to be forgotten)',
      );
      return { ...report, items: [...report.items] };
    },
  );

  typed.get(
    '/api/admin/recordings-audit',
    {
      // onRequest: an agent is refused before the body is read (403, not a validation 400).
      onRequest: requireAdmin,
      schema: {
        querystring: z.object({
          page: z.coerce.number().int().min(1).max(100_000).default(1),
          pageSize: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: { 200: RecordingAuditPage },
      },
    },
    async (request) => {
      const { page, pageSize } = request.query;
      const result = await listRecordingAudit(vault.recordings, { page, pageSize });
      return { total: result.total, items: [...result.items] };
    },
  );

  const settingsPorts = { settings: vault.settings, storage: () => vault.storage() };

  typed.get(
    '/api/recordings/settings',
    { preHandler: requireAdmin, schema: { response: { 200: RecordingSettings } } },
    () => readRecordingSettings(settingsPorts),
  );

  typed.put(
    '/api/recordings/settings',
    {
      // onRequest: an agent is refused before the body is read (403, not a validation 400).
      onRequest: requireAdmin,
      schema: { body: RecordingSettingsInput, response: { 200: RecordingSettings } },
    },
    (request) => saveRecordingSettings(settingsPorts, request.body),
  );
}
