/**
 * The `TelephonySettingsReader` port over the runtime (webhook settings, the previous-secret tally) and the
 * company settings (default country), both served from the one settings service's cache.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../platform/db/schema.js';
import { readSettings } from '../../crm/settings/company-settings-store.js';
import { UNCONFIRMED_TIMEZONE } from '../domain/zadarma-date-time.js';
import type { AccountTimezone, TelephonySettingsReader } from '../ports.js';
import type { TelephonyRuntime } from './zadarma/telephony-runtime.js';

/** How long a failed timezone lookup is not retried (never on every webhook). */
const TIMEZONE_MEMO_MS = 60_000;

/** What a failed read gives: the default label, unconfirmed (the widened window a never-asked account gets). */
const UNKNOWN_ZONE: AccountTimezone = { label: UNCONFIRMED_TIMEZONE, confirmed: false };

/** The reader of one app; `now` (tests) is the clock of the timezone memo. */
export function createTelephonySettingsReader(
  runtime: Pick<TelephonyRuntime, 'settings' | 'accountTimezone' | 'notePreviousSecretUse'>,
  db: Kysely<Database>,
  now: () => number = Date.now,
): TelephonySettingsReader {
  // One promise for the label and whether it is confirmed, kept for the memo's span: every webhook awaits the
  // same settled promise (no settings read, no further step), and the pair never mixes two reads.
  let zone: { read: Promise<AccountTimezone>; at: number } | null = null;
  function memo(): Promise<AccountTimezone> {
    const at = now();
    if (!zone || at - zone.at > TIMEZONE_MEMO_MS) {
      zone = { read: runtime.accountTimezone().catch(() => UNKNOWN_ZONE), at };
    }
    return zone.read;
  }
  return {
    webhookSettings: () => runtime.settings(),
    defaultCountry: async () => (await readSettings(db)).defaultCountry,
    accountTimezone: memo,
    notePreviousSecretUse: () => runtime.notePreviousSecretUse(),
  };
}
