/**
 * `RecordingSource` on Zadarma: a fresh link from `GET /v1/pbx/record/request/` (docs/zadarma-protocol.md §4.5; the
 * SDK paces it within the 100 requests/min limit) and the download of that link.
 */
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { parseRetryAfter, ZadarmaApiError } from '@switchboard/zadarma';
import { AppError } from '../../../../platform/errors/errors.js';
import { type RecordingSource, RecordingSourceError, type ZadarmaAccount } from '../../ports.js';
import { phrasesFromWords } from './zadarma-transcript.js';

/** The shortest link Zadarma gives (3 minutes): a link is used at once, never kept. */
const LINK_LIFETIME_SECONDS = 180;
const DOWNLOAD_TIMEOUT_MS = 120_000;

/** A download's error status in the vault's terms: an expired (or withdrawn) link, a rate limit, an outage. */
function downloadFailure(status: number, retryAfter: string | null): RecordingSourceError {
  const message = `recording download answered ${status}`;
  if (status === 403 || status === 404 || status === 410) {
    // The link is signed and short-lived: a refused one is asked for again (a missing file shows on the link).
    return new RecordingSourceError('expired', message);
  }
  if (status === 429) {
    return new RecordingSourceError('rate_limited', message, parseRetryAfter(retryAfter, Date.now()));
  }
  return new RecordingSourceError(status >= 500 ? 'unavailable' : 'refused', message);
}

/** A failed link request in the vault's terms (anything unexpected is passed on as it is). */
function linkFailure(error: unknown): unknown {
  if (!(error instanceof ZadarmaApiError)) {
    return error;
  }
  if (error.code === 'rate_limited') {
    return new RecordingSourceError('rate_limited', error.message, error.retryAfterMs);
  }
  if (error.httpStatus === 400 && /no recording|not found/i.test(error.zadarmaMessage ?? error.message)) {
    return new RecordingSourceError('missing', error.zadarmaMessage ?? error.message);
  }
  if (
    error.code === 'network' ||
    error.code === 'timeout' ||
    (error.httpStatus !== null && error.httpStatus >= 500)
  ) {
    return new RecordingSourceError('unavailable', error.message);
  }
  return error;
}

/** A 206's `Content-Range: bytes start-end/size`; null when absent or when the size is not given. */
function contentRange(header: string | null): { start: number; end: number; size: number } | null {
  const match = header ? /^bytes (\d+)-(\d+)\/(\d+)$/.exec(header.trim()) : null;
  if (!match) {
    return null;
  }
  const [start, end, size] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return start <= end && end < size ? { start, end, size } : null;
}

/** The recording source of the account's current credentials; `fetchImpl` for tests. */
export function createZadarmaRecordingSource(
  account: ZadarmaAccount,
  fetchImpl: typeof fetch = fetch,
): RecordingSource {
  async function clientOrThrow() {
    const client = await account.client();
    if (!client) {
      throw new AppError('SB_ERR_TELEPHONY_NOT_CONFIGURED', 'telephony is not configured');
    }
    return client;
  }
  return {
    async remove(recordingId) {
      const client = await clientOrThrow();
      try {
        await client.deleteRecording({ call_id: recordingId });
        return 'deleted';
      } catch (error) {
        // Zadarma answers 400 "no recording" for a file it does not have (any more): nothing left to delete (§4.5).
        if (
          error instanceof ZadarmaApiError &&
          error.httpStatus === 400 &&
          /no recording|not found/i.test(error.message)
        ) {
          return 'absent';
        }
        throw error;
      }
    },
    async transcript(recordingId) {
      const client = await clientOrThrow();
      let answer: Awaited<ReturnType<typeof client.getSpeechRecognition>>;
      try {
        // By the recording's id, never pbx_call_id (§4.11); words carry times, phrases do not.
        answer = await client.getSpeechRecognition({ call_id: recordingId, return: 'words' });
      } catch (error) {
        if (error instanceof ZadarmaApiError && error.httpStatus === 400) {
          return { status: 'unavailable' };
        }
        throw error;
      }
      if (answer.recognitionStatus === 'in progress' || answer.recognitionStatus === 'ready for recognize') {
        return { status: 'in progress' };
      }
      if (answer.recognitionStatus !== 'recognized') {
        return { status: 'unavailable' };
      }
      return {
        status: 'recognized',
        lang: answer.lang ?? null,
        phrases: phrasesFromWords(answer.words ?? []),
      };
    },
    async link(recordingId) {
      const client = await clientOrThrow();
      // By call_id one `link` (by pbx_call_id it would be a `links` array, §4.5).
      let answer: { link?: unknown; links?: unknown };
      try {
        answer = (await client.getRecording({ call_id: recordingId, lifetime: LINK_LIFETIME_SECONDS })) as {
          link?: unknown;
          links?: unknown;
        };
      } catch (error) {
        throw linkFailure(error);
      }
      const link =
        typeof answer.link === 'string' ? answer.link : Array.isArray(answer.links) ? answer.links[0] : null;
      if (typeof link !== 'string' || !/^https?:\/\//.test(link)) {
        throw new AppError('SB_ERR_ZADARMA_REFUSED', 'Zadarma answered no recording link');
      }
      return link;
    },
    async download(link, range) {
      const response = await fetchImpl(link, {
        signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS),
        // Zadarma does not document byte ranges: asked for, and a whole answer (200) is read as whole.
        ...(range ? { headers: { Range: `bytes=${range.start}-${range.end ?? ''}` } } : {}),
      });
      const served = response.status === 206 ? contentRange(response.headers.get('content-range')) : null;
      if ((response.status !== 200 && !served) || !response.body) {
        await response.body?.cancel();
        throw downloadFailure(response.status, response.headers.get('retry-after'));
      }
      const declared = Number(response.headers.get('content-length'));
      const length = Number.isFinite(declared) && declared > 0 ? declared : null;
      const contentType =
        (response.headers.get('content-type') ?? 'audio/mpeg').split(';')[0]?.trim() ?? 'audio/mpeg';
      return {
        // A web stream is async-iterable: a cut connection rejects the iteration, where the consumer handles it.
        body: response.body as WebReadableStream<Uint8Array>,
        sizeBytes: served ? served.size : (length ?? 0),
        declaredBytes: length,
        range: served ? { start: served.start, end: served.end } : null,
        contentType: /^audio\/[a-z0-9.+-]+$/i.test(contentType) ? contentType : 'audio/mpeg',
      };
    },
  };
}
