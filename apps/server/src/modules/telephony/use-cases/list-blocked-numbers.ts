/**
 * The blacklist as the settings page pages through it: number order, a page at a time, optionally by prefix.
 */
import type { BlacklistPage, BlacklistPageQuery, BlacklistRepository } from '../ports.js';

/** One page (see `BlacklistRepository.listPage`). Why a use case: the route stays an adapter, as for every other. */
export function listBlockedNumbers(options: {
  readonly blacklist: Pick<BlacklistRepository, 'listPage'>;
  readonly query: BlacklistPageQuery;
}): Promise<BlacklistPage> {
  return options.blacklist.listPage(options.query);
}
