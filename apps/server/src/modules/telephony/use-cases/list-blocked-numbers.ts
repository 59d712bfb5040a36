/**
 * The blacklist as the settings page pages through it: number order, a page at a time, optionally by prefix,
 * with the calls the whole list has refused.
 */
import type { BlacklistPage, BlacklistPageQuery, BlacklistRepository } from '../ports.js';

/** A page of the blacklist and the page's header figure. */
export interface BlockedNumbersPage extends BlacklistPage {
  /** Calls the blacklist refused, all entries together (not only this page's). */
  readonly blockedCalls: number;
}

/**
 * One page (see `BlacklistRepository.listPage`) and the refused-calls total, read side by side. Why a use case: the
 * route stays an adapter, as for every other.
 */
export async function listBlockedNumbers(options: {
  readonly blacklist: Pick<BlacklistRepository, 'listPage' | 'blockedCallsTotal'>;
  readonly query: BlacklistPageQuery;
}): Promise<BlockedNumbersPage> {
  const [page, blockedCalls] = await Promise.all([
    options.blacklist.listPage(options.query),
    options.blacklist.blockedCallsTotal(),
  ]);
  return { ...page, blockedCalls };
}
