/**
 * Removes an entry from the blacklist: the number's calls ring again.
 */
import { AppError } from '../../../platform/errors/errors.js';
import type { BlacklistRepository } from '../ports.js';

/** Removes the entry; SB_ERR_NOT_FOUND when there is none. Why by id: the page lists entries, not raw numbers. */
export async function unblockNumber(options: {
  readonly blacklist: Pick<BlacklistRepository, 'removeById'>;
  readonly id: string;
}): Promise<void> {
  if (!(await options.blacklist.removeById(options.id))) {
    throw new AppError('SB_ERR_NOT_FOUND', `no blacklist entry with id ${options.id}`);
  }
}
