/**
 * The account's timezone from Zadarma, stored when it changed: Zadarma writes `call_start` as wall-clock time
 * of the account's timezone (docs/zadarma-protocol.md §1), so every call time is read in the stored label.
 */
import type { ZadarmaClient } from '@switchboard/zadarma';
import type { TelephonySettingsStore } from '../ports.js';

/**
 * Asks `client` for the timezone, stores it when it differs from the stored label or was never told (the store
 * stamps when: UTC+0 is the default label, so only that stamp confirms a UTC+0 account) and resolves with it;
 * SDK errors (and `signal`'s abort) propagate. Why one function: testing the connection and saving new
 * credentials both learn it.
 */
export async function learnAccountTimezone(
  client: ZadarmaClient,
  settings: TelephonySettingsStore,
  signal?: AbortSignal,
): Promise<string> {
  const { timezone } = await client.getTimezone(signal ? { signal } : {});
  const stored = await settings.stored();
  if (stored.timezone !== timezone || stored.timezoneLearnedAt === null) {
    await settings.update({ timezone });
  }
  return timezone;
}
