/**
 * Whether a contact's numbers are blocked now: the blacklist entries (numbers or prefixes) that would refuse a
 * call from any of them, for the contact's page.
 */
import type { BlacklistEntry, BlacklistRepository } from '../ports.js';

/**
 * The live entries blocking any of `numbers` (E.164) at `now`, the longest match first; none for no numbers.
 * Why `now` is asked for: an entry that expired a second ago blocks nothing, as the call path decides it.
 */
export async function readNumberBlocking(options: {
  readonly blacklist: Pick<BlacklistRepository, 'entriesBlocking'>;
  readonly numbers: readonly string[];
  readonly now: () => string;
}): Promise<BlacklistEntry[]> {
  if (options.numbers.length === 0) {
    return [];
  }
  return options.blacklist.entriesBlocking([...new Set(options.numbers)], options.now());
}
