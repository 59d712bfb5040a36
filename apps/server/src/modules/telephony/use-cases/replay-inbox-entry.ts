/**
 * What happens when an admin replays a webhook inbox entry: a verified entry goes through the same processing
 * as a live notification (idempotent: a replay of a processed entry changes nothing); a rejected or unverified
 * one, or one that no longer parses, is refused.
 * Why: a notification that failed (a bug, a database outage) can be fixed and re-run without the PBX resending it.
 */
import { type Actor, refuseUnlessAdmin } from '../../../platform/auth/actor.js';
import { AppError } from '../../../platform/errors/errors.js';
import type { InboxEntry, InboxRepository } from '../ports.js';
import { type Ingest, storedEventOf } from './receive-webhook.js';

/** The inbox entry, or `SB_ERR_NOT_FOUND`. Why: the inbox routes and the replay refuse an unknown id alike. */
export async function loadInboxEntry(options: {
  readonly inbox: Pick<InboxRepository, 'get'>;
  readonly actor: Actor;
  readonly entryId: string;
}): Promise<InboxEntry> {
  refuseUnlessAdmin(options.actor, 'read the webhook inbox');
  const id = options.entryId;
  const entry = await options.inbox.get(id);
  if (!entry) {
    throw new AppError('SB_ERR_NOT_FOUND', `no inbox entry ${id}`);
  }
  return entry;
}

/** Replays one inbox entry and returns it as stored afterwards. Why: the admin sees the entry's new status. */
export async function replayInboxEntry(options: {
  readonly inbox: Pick<InboxRepository, 'get'>;
  readonly ingest: Pick<Ingest, 'process'>;
  readonly actor: Actor;
  readonly entryId: string;
}): Promise<InboxEntry> {
  refuseUnlessAdmin(options.actor, 'replay webhooks');
  const entry = await loadInboxEntry(options);
  if (entry.status === 'rejected' || !entry.signatureValid) {
    throw new AppError(
      'SB_ERR_CONFLICT',
      `inbox entry ${entry.id} was rejected (${entry.error ?? 'unverified'}); only verified events can be replayed`,
    );
  }
  const event = storedEventOf(entry);
  if (!event) {
    throw new AppError('SB_ERR_CONFLICT', `inbox entry ${entry.id} no longer parses as a known event`);
  }
  // The refusal its NOTIFY_START reply gave, stored with it: a replay folds the same outcome.
  await options.ingest.process(entry.id, event, entry.receivedAt, (entry.routingRefusal ?? null) !== null);
  return loadInboxEntry(options);
}
