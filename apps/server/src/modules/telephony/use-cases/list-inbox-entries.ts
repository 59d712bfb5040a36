/**
 * What an admin sees of the webhook inbox: one page, newest first, filtered by status and event, with the total.
 * Why: a refused or failed notification must be visible to admins before it can be fixed and replayed.
 */
import { type Actor, refuseUnlessAdmin } from '../../../platform/auth/actor.js';
import type { InboxBrowser, InboxEntry, InboxPageQuery } from '../ports.js';

export interface InboxPage {
  readonly items: readonly InboxEntry[];
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
}

/** Lists one page of the inbox for an admin (or the system); refuses anyone else. */
export async function listInboxEntries(options: {
  readonly inbox: InboxBrowser;
  readonly actor: Actor;
  readonly query: InboxPageQuery;
}): Promise<InboxPage> {
  refuseUnlessAdmin(options.actor, 'read the webhook inbox');
  const { page, pageSize } = options.query;
  const { items, total } = await options.inbox.page(options.query);
  return { items, total, page, pageSize };
}
