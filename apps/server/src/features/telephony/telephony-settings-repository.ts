/**
 * Kysely adapter of `TelephonySettingsRepository`: one row (id 1) holding the Zadarma credentials — the secret
 * sealed with AES-256-GCM (crypto/secret-box.ts) — the account timezone and the call-steering switches.
 */
import type { Kysely, Selectable } from 'kysely';
import type { SecretBox } from '../../crypto/secret-box.js';
import type { TelephonySettingsTable } from '../../db/schema/telephony.js';
import type { Database } from '../../db/schema.js';
import type {
  TelephonySettings,
  TelephonySettingsPatch,
  TelephonySettingsRepository,
} from './domain/ports.js';
import { parseTimezoneOffset } from './domain/zadarma-date-time.js';

const ROW_ID = 1;

export const DEFAULT_TELEPHONY_SETTINGS: TelephonySettings = {
  apiKey: null,
  apiSecret: null,
  timezone: 'UTC+0',
  routeToResponsible: true,
  callerName: true,
  blacklistEnabled: true,
  returnTimeout: 20,
  updatedAt: null,
};

/** A settings value was refused; the message names the field. */
export class TelephonySettingsError extends Error {
  override readonly name = 'TelephonySettingsError';
}

function toSettings(row: Selectable<TelephonySettingsTable>, box: SecretBox): TelephonySettings {
  return {
    apiKey: row.api_key,
    apiSecret: row.api_secret_sealed === null ? null : box.open(row.api_secret_sealed),
    timezone: row.timezone,
    routeToResponsible: row.route_to_responsible === 1,
    callerName: row.caller_name === 1,
    blacklistEnabled: row.blacklist_enabled === 1,
    returnTimeout: row.return_timeout,
    updatedAt: row.updated_at,
  };
}

function validate(patch: TelephonySettingsPatch): void {
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
  async function read(): Promise<TelephonySettings> {
    const row = await db
      .selectFrom('telephony_settings')
      .selectAll()
      .where('id', '=', ROW_ID)
      .executeTakeFirst();
    return row ? toSettings(row, box) : DEFAULT_TELEPHONY_SETTINGS;
  }
  return {
    read,
    async update(patch, now = new Date().toISOString()) {
      validate(patch);
      const current = await read();
      const next = { ...current, ...patch };
      const row: Selectable<TelephonySettingsTable> = {
        id: ROW_ID,
        api_key: next.apiKey,
        api_secret_sealed: next.apiSecret === null ? null : box.seal(next.apiSecret),
        timezone: next.timezone,
        route_to_responsible: next.routeToResponsible ? 1 : 0,
        caller_name: next.callerName ? 1 : 0,
        blacklist_enabled: next.blacklistEnabled ? 1 : 0,
        return_timeout: next.returnTimeout,
        updated_at: now,
      };
      const { id: _id, ...changes } = row;
      await db
        .insertInto('telephony_settings')
        .values(row)
        .onConflict((oc) => oc.column('id').doUpdateSet(changes))
        .execute();
      return toSettings(row, box);
    },
  };
}
