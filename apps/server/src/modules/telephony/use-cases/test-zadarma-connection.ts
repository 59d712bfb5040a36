/**
 * "Test connection" on the settings page: asks Zadarma for the balance and the account timezone with the stored
 * credentials, and stores the timezone when it changed (call times are read in it, docs/zadarma-protocol.md §1).
 */
import type { TelephonySettingsStore, ZadarmaAccount } from '../ports.js';
import { learnAccountTimezone } from './learn-account-timezone.js';
import { requireZadarmaClient } from './require-zadarma-client.js';

export interface TestZadarmaConnectionOptions {
  readonly zadarma: ZadarmaAccount;
  readonly settings: TelephonySettingsStore;
}

export interface ZadarmaConnectionResult {
  readonly ok: true;
  readonly balance: number;
  readonly currency: string;
  readonly timezone: string;
}

/**
 * Checks the credentials against Zadarma; SDK errors propagate (the route maps them to the catalogue).
 * Why store the timezone here: a working connection is the moment the account's timezone is known for sure.
 */
export async function testZadarmaConnection(
  options: TestZadarmaConnectionOptions,
): Promise<ZadarmaConnectionResult> {
  const client = await requireZadarmaClient(options.zadarma);
  const balance = await client.getBalance();
  const timezone = await learnAccountTimezone(client, options.settings);
  return { ok: true, balance: balance.balance, currency: balance.currency, timezone };
}
