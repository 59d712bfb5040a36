/**
 * `CallHistorySource` on Zadarma: `GET /v1/statistics/pbx/` version 2 (docs/zadarma-protocol.md §4.4) through the
 * SDK, whose statistics bucket keeps us within 3 requests a minute and whose transport retries a 5xx with backoff.
 * A 429 that still comes back is handed to the use case as "wait this long" (the run waits from its cursor);
 * an answer that is not a page is a {@link BadHistoryPageError}: the run fails and says so, no page is skipped.
 */
import { ZadarmaApiError } from '@switchboard/zadarma';
import { AppError } from '../../../../platform/errors/errors.js';
import type { StatisticsCallRow } from '../../domain/call-history.js';
import type { CallHistorySource, TelephonySettingsReader, ZadarmaAccount } from '../../ports.js';

/** Zadarma's statistics limit is per minute: without a Retry-After, a third of it. */
const DEFAULT_RETRY_AFTER_MS = 20_000;

/** Zadarma answered a page that is not a page (the fields a row must have are missing): never retried, reported. */
export class BadHistoryPageError extends Error {
  override readonly name = 'BadHistoryPageError';
  readonly code = 'SB_ERR_ZADARMA_REFUSED';
}

/** How long the account's timezone, asked of Zadarma, is believed. */
const TIMEZONE_TTL_MS = 10 * 60_000;

export function createZadarmaCallHistorySource(
  account: ZadarmaAccount,
  settings: Pick<TelephonySettingsReader, 'accountTimezone'>,
  now: () => number = Date.now,
): CallHistorySource {
  let known: { label: string; at: number } | null = null;
  return {
    async page(query) {
      const client = await account.client();
      if (!client) {
        throw new AppError('SB_ERR_TELEPHONY_NOT_CONFIGURED', 'telephony is not configured');
      }
      try {
        const answer = await client.getPbxStatistics(query);
        const rows: StatisticsCallRow[] = answer.stats.map((r) => ({
          callId: r.call_id,
          sip: r.sip ?? '',
          callstart: r.callstart,
          clid: r.clid ?? '',
          destination: r.destination ?? '',
          disposition: r.disposition,
          seconds: r.seconds,
          isRecorded: r.is_recorded ?? false,
          pbxCallId: r.pbx_call_id,
        }));
        return { kind: 'rows', rows, bad: [] };
      } catch (error) {
        if (error instanceof ZadarmaApiError && error.code === 'rate_limited') {
          return { kind: 'rate-limited', retryAfterMs: error.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS };
        }
        if (
          error instanceof ZadarmaApiError &&
          (error.code === 'invalid_response' || error.code === 'bad_request')
        ) {
          throw new BadHistoryPageError(
            `the page of ${query.start} – ${query.end} from row ${query.skip} could not be read: ${error.message}`,
          );
        }
        throw error;
      }
    },
    // Asked of Zadarma, not the stored label the webhook path uses at once (possibly not yet looked up): a wrong
    // offset would shift the whole period by hours and every imported call's start with it.
    async timezone() {
      if (known && now() - known.at < TIMEZONE_TTL_MS) {
        return known.label;
      }
      const client = await account.client();
      if (!client) {
        return (await settings.accountTimezone()).label;
      }
      known = { label: (await client.getTimezone()).timezone, at: now() };
      return known.label;
    },
  };
}
