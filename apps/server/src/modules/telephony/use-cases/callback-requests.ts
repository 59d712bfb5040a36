/**
 * Click-to-call requests awaiting their call: Zadarma's `/v1/request/callback/` returns no call id (docs/zadarma-protocol.md
 * §4.2), so the callback legs' NOTIFY_OUT_* are matched by extension + destination + time window. Requests are
 * kept in memory and, for other instances, on the event bus (`callback.requested`, never sent to browsers).
 */
import type { Kysely } from 'kysely';
import type { DatabaseHandle } from '../../../platform/db/database.js';
import type { Database } from '../../../platform/db/schema.js';
import type { EventBus } from '../../../platform/events/event-bus.js';
import type { CallbackRequest } from '../ports.js';

const CALLBACK_REQUESTED_TOPIC = 'callback.requested';

/** How long after the click a callback's first leg may appear. */
const MATCH_BEFORE_MS = 5_000;
const MATCH_WINDOW_MS = 120_000;

export interface CallbackRequests {
  /** Remembers a request (here and for the other instances). */
  remember(request: CallbackRequest): Promise<void>;
  /**
   * The request a callback call belongs to: same extension and destination, the call first seen within the
   * window after the click; a call once matched stays matched.
   */
  match(
    input: {
      pbxCallId: string;
      extension: string | null;
      destinationE164: string | null;
      firstSeenAt: string;
    },
    /** Where to read other instances' requests (a caller's open transaction); the app's database by default. */
    db?: Kysely<Database>,
  ): Promise<CallbackRequest | null>;
}

function fits(request: CallbackRequest, extension: string | null, to: string | null, firstSeen: number) {
  const at = Date.parse(request.at);
  return (
    (extension === null || request.extension === extension) &&
    request.to === to &&
    firstSeen >= at - MATCH_BEFORE_MS &&
    firstSeen <= at + MATCH_WINDOW_MS
  );
}

/** Creates the registry. Why: callback.status must reach the user who clicked, on any instance. */
export function createCallbackRequests(options: {
  readonly database: DatabaseHandle;
  readonly bus: EventBus;
}): CallbackRequests {
  const recent: CallbackRequest[] = [];
  const matched = new Map<string, CallbackRequest>();

  function prune(now: number): void {
    while (recent.length > 0 && Date.parse((recent[0] as CallbackRequest).at) < now - MATCH_WINDOW_MS * 5) {
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
      let found = recent.findLast((r) => fits(r, extension, destinationE164, firstSeen)) ?? null;
      if (!found) {
        // Clicked on another instance: its request is in the events table.
        const since = new Date(firstSeen - MATCH_WINDOW_MS - MATCH_BEFORE_MS).toISOString();
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
          if (request && fits(request, extension, destinationE164, firstSeen)) {
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
