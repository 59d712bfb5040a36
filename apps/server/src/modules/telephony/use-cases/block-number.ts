/**
 * Adds a number to the blacklist: its calls are answered busy (docs/zadarma-protocol.md §6.2).
 */
import { AppError } from '../../../platform/errors/errors.js';
import { normalizePhone } from '../../crm/phones/normalize-phone.js';
import type { BlacklistEntry, BlacklistRepository } from '../ports.js';

export interface BlockNumberOptions {
  readonly blacklist: Pick<BlacklistRepository, 'add'>;
  /** The company's default country (ISO 3166 alpha-2): how a national number is read. */
  readonly defaultCountry: () => Promise<string>;
  /** The number as typed. */
  readonly number: string;
  readonly reason: string;
  /** Who blocked it (a user id), or null for the system. */
  readonly blockedBy: string | null;
}

/**
 * Normalises the number to E.164 and lists it (a listed number is returned as it was); SB_ERR_VALIDATION when it
 * is not a phone number. Why E.164: the NOTIFY_START check is one exact lookup of the caller's normalised number.
 */
export async function blockNumber(options: BlockNumberOptions): Promise<BlacklistEntry> {
  const e164 = normalizePhone(options.number, await options.defaultCountry());
  if (!e164) {
    throw new AppError('SB_ERR_VALIDATION', `number: "${options.number}" is not a valid phone number`, [
      { path: 'number', message: 'not a valid phone number' },
    ]);
  }
  return options.blacklist.add({ e164, reason: options.reason, createdBy: options.blockedBy });
}
