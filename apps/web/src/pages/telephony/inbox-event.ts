import type { InboxItem } from '../../api/types.js';

/**
 * The event name an inbox row shows, a dash when the request named none.
 * Why: the server stores a missing `event` as '' (never null), and an empty cell reads as a display bug.
 */
export function inboxEventLabel(item: Pick<InboxItem, 'event'>): string {
  return item.event === '' ? '—' : item.event;
}
