/**
 * The `TelephonySettingsReader` port over the runtime (webhook settings, the previous-secret tally) and the
 * company settings (default country), both served from the one settings service's cache.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../platform/db/schema.js';
import { readSettings } from '../../crm/settings/company-settings-store.js';
import type { TelephonySettingsReader } from '../ports.js';
import type { TelephonyRuntime } from './zadarma/telephony-runtime.js';

/** How long a failed timezone lookup is not retried (never on every webhook). */
const TIMEZONE_MEMO_MS = 60_000;

/** The reader of one app; `now` (tests) is the clock of the timezone memo. */
export function createTelephonySettingsReader(
  runtime: Pick<TelephonyRuntime, 'settings' | 'timezone' | 'notePreviousSecretUse'>,
  db: Kysely<Database>,
  now: () => number = Date.now,
): TelephonySettingsReader {
  let zone: { value: Promise<string>; at: number } | null = null;
  return {
    webhookSettings: () => runtime.settings(),
    defaultCountry: async () => (await readSettings(db)).defaultCountry,
    timezone() {
      const at = now();
      if (!zone || at - zone.at > TIMEZONE_MEMO_MS) {
        zone = { value: runtime.timezone().catch(() => 'UTC+0'), at };
      }
      return zone.value;
    },
    notePreviousSecretUse: () => runtime.notePreviousSecretUse(),
  };
}
