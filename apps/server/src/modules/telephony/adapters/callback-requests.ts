/**
 * The `CallbackRequestLog` port: click-to-call requests awaiting their call. Zadarma's `/v1/request/callback/`
 * returns no call id (docs/zadarma-protocol.md §4.2), so the callback legs' NOTIFY_OUT_* are matched by
 * extension + destination + time window (domain/callback-match.ts). Requests are kept in memory and, for other
 * instances, on the event bus (`callback.requested`, never sent to browsers).
 */
import type { Kysely } from 'kysely';
import type { DatabaseHandle } from '../../../platform/db/database.js';
import type { Database } from '../../../platform/db/schema.js';
import type { EventBus } from '../../../platform/events/event-bus.js';
import {
  CALLBACK_MATCH_BEFORE_MS,
  CALLBACK_MATCH_WINDOW_MS,
  callbackFits,
} from '../domain/callback-match.js';
import type { CallbackRequest, CallbackRequestLog } from '../ports.js';

const CALLBACK_REQUESTED_TOPIC = 'callback.requested';

export interface CallbackRequests extends CallbackRequestLog {
  /**
   * The request a callback call belongs to; a call once matched stays matched.
   * `db`: where to read other instances' requests (a caller's open transaction); the app's database by default.
   */
  match(
    input: Parameters<CallbackRequestLog['match']>[0],
    db?: Kysely<Database>,
  ): Promise<CallbackRequest | null>;
}

/** Creates the registry. Why: callback.status must reach the user who clicked, on any instance. */
export function createCallbackRequests(options: {
  readonly database: DatabaseHandle;
  readonly bus: EventBus;
}): CallbackRequests {
  const recent: CallbackRequest[] = [];
  const matched = new Map<string, CallbackRequest>();

  function prune(now: number): void {
    while (
      recent.length > 0 &&
      Date.parse((recent[0] as CallbackRequest).at) < now - CALLBACK_MATCH_WINDOW_MS * 5
    ) {
      recent.shift();
    }
    if (matched.size > 10_000) {
      matched.clear();
    }
  }

  return {
    async remember(request) {
      prune(Date.now());
      recent.push(request);
      await options.bus.publish(CALLBACK_REQUESTED_TOPIC, { userIds: [], request });
    },
    async match({ pbxCallId, extension, destinationE164, firstSeenAt }, db = options.database.db) {
      const known = matched.get(pbxCallId);
      if (known) {
        return known;
      }
      const firstSeen = Date.parse(firstSeenAt);
      let found = recent.findLast((r) => callbackFits(r, extension, destinationE164, firstSeen)) ?? null;
      if (!found) {
        // Clicked on another instance: its request is in the events table.
        const since = new Date(firstSeen - CALLBACK_MATCH_WINDOW_MS - CALLBACK_MATCH_BEFORE_MS).toISOString();
        const rows = await db
          .selectFrom('events')
          .select(['payload'])
          .where('topic', '=', CALLBACK_REQUESTED_TOPIC)
          .where('created_at', '>=', since)
          .orderBy('id', 'desc')
          .limit(200)
          .execute();
        for (const row of rows) {
          const request = (JSON.parse(row.payload) as { request?: CallbackRequest }).request;
          if (request && callbackFits(request, extension, destinationE164, firstSeen)) {
            found = request;
            break;
          }
        }
      }
      if (found) {
        matched.set(pbxCallId, found);
      }
      return found;
    },
  };
}
