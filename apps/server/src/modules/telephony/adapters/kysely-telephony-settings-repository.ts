/**
 * Kysely adapter of `TelephonySettingsRepository`: the Zadarma credentials — the secret sealed with AES-256-GCM
 * (crypto/secret-box.ts) — the account timezone and the call-steering switches, read from the one `settings`
 * table (platform/settings/, migration 0009) and written through the same change as the settings page
 * (`telephonyChange`: a new secret keeps its predecessor for the rotation grace). Uncached: the runtime's
 * settings service is the cached reader.
 */

import type { Kysely } from 'kysely';
import type { SecretBox } from '../../../platform/crypto/secret-box.js';
import type { Database } from '../../../platform/db/schema.js';
import type { ErrorCode } from '../../../platform/errors/errors.js';
import {
  TELEPHONY_SETTINGS,
  type TelephonySettingValues,
} from '../../../platform/settings/setting-definitions.js';
import { readSettingValues, writeSettingValues } from '../../../platform/settings/settings-storage.js';
import { parseTimezoneOffset } from '../domain/zadarma-date-time.js';
import type { TelephonySettings, TelephonySettingsPatch, TelephonySettingsRepository } from '../ports.js';
import { telephonyChange } from './telephony-settings-store.js';

/** The defaults, those of the settings definitions: every switch off until an admin turns it on (issue 5). */
export const DEFAULT_TELEPHONY_SETTINGS: TelephonySettings = {
  apiKey: TELEPHONY_SETTINGS.apiKey.default,
  apiSecret: TELEPHONY_SETTINGS.apiSecret.default,
  timezone: TELEPHONY_SETTINGS.timezone.default,
  routeToResponsible: TELEPHONY_SETTINGS.routeToResponsible.default,
  callerName: TELEPHONY_SETTINGS.callerName.default,
  blacklistEnabled: TELEPHONY_SETTINGS.blacklist.default,
  returnTimeout: TELEPHONY_SETTINGS.returnTimeout.default,
  updatedAt: null,
};

/** A settings value was refused; the message names the field. */
export class TelephonySettingsError extends Error {
  override readonly name = 'TelephonySettingsError';
  readonly code: ErrorCode = 'SB_ERR_VALIDATION';
}

function toSettings(values: TelephonySettingValues, updatedAt: string | null): TelephonySettings {
  return {
    apiKey: values.apiKey,
    apiSecret: values.apiSecret,
    timezone: values.timezone,
    routeToResponsible: values.routeToResponsible,
    callerName: values.callerName,
    blacklistEnabled: values.blacklist,
    returnTimeout: values.returnTimeout,
    updatedAt,
  };
}

/** Refuses a timezone label or return timeout the settings cannot hold; the in-memory repository applies it too. */
export function validateTelephonySettingsPatch(patch: TelephonySettingsPatch): void {
  if (patch.timezone !== undefined) {
    try {
      parseTimezoneOffset(patch.timezone);
    } catch (error) {
      throw new TelephonySettingsError(`timezone: ${(error as Error).message}`);
    }
  }
  const timeout = patch.returnTimeout;
  if (
    timeout !== undefined &&
    !(Number.isInteger(timeout) && (timeout === 0 || (timeout >= 3 && timeout <= 600)))
  ) {
    throw new TelephonySettingsError(
      `returnTimeout must be 0 or an integer from 3 to 600 seconds, got ${timeout}`,
    );
  }
}

/**
 * Creates the telephony settings repository; `box` seals and opens the API secret.
 * Why: the secret must never sit in the database in clear text (STYLE.md "Secrets in the database are encrypted").
 */
export function createTelephonySettingsRepository(
  db: Kysely<Database>,
  box: SecretBox,
): TelephonySettingsRepository {
  async function lastWrite(): Promise<string | null> {
    const row = await db
      .selectFrom('settings')
      .select((eb) => eb.fn.max('updated_at').as('at'))
      .where('key', 'like', 'telephony.%')
      .executeTakeFirst();
    return (row?.at as string | null | undefined) ?? null;
  }
  return {
    async read() {
      const values = await readSettingValues(db, box, TELEPHONY_SETTINGS);
      return toSettings(values, await lastWrite());
    },
    async update(patch, now = new Date().toISOString()) {
      validateTelephonySettingsPatch(patch);
      const { blacklistEnabled, routeToResponsible, callerName, ...rest } = patch;
      const values = await writeSettingValues(
        db,
        box,
        TELEPHONY_SETTINGS,
        (current) =>
          telephonyChange(
            current,
            { ...rest, features: { routeToResponsible, callerName, blacklist: blacklistEnabled } },
            now,
          ),
        now,
      );
      return toSettings(values, now);
    },
  };
}
