/**
 * The Zadarma client of the current credentials, or the catalogue's "not configured" refusal.
 */
import type { ZadarmaClient } from '@switchboard/zadarma';
import { AppError } from '../../../platform/errors/errors.js';
import type { ZadarmaAccount } from '../ports.js';

/** Resolves the client; rejects with SB_ERR_TELEPHONY_NOT_CONFIGURED. Why: every admin call to Zadarma says the same. */
export async function requireZadarmaClient(account: ZadarmaAccount): Promise<ZadarmaClient> {
  const client = await account.client();
  if (!client) {
    throw new AppError(
      'SB_ERR_TELEPHONY_NOT_CONFIGURED',
      'telephony is not configured: set the Zadarma API key and secret first',
    );
  }
  return client;
}
