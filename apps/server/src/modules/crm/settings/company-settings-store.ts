/**
 * Company-wide settings an admin edits in the UI, stored as key/value rows (JSON values) with typed defaults.
 * Reads are cached per database handle for a short time because the phone lookup on the call path needs
 * `defaultCountry` without a query; writes in this process invalidate the cache at once.
 */
import type { Kysely } from 'kysely';
import { isSupportedCountry } from 'libphonenumber-js/max';
import { z } from 'zod';
import type { Database } from '../../../platform/db/schema.js';

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/** Retention periods, in whole days. */
const retentionDays = z
  .number()
  .int('must be a whole number of days')
  .min(1, 'must be at least 1 day')
  .max(3650, 'must be at most 3650 days (10 years)');

export const SettingsSchema = z.object({
  companyName: z.string().trim().min(1, 'must not be empty').max(200),
  defaultCountry: z
    .string()
    .regex(/^[A-Z]{2}$/, { message: 'must be an ISO 3166 alpha-2 code such as FR', abort: true })
    .refine((c): boolean => isSupportedCountry(c), 'is not a country with a known phone numbering plan'),
  defaultCurrency: z
    .string()
    .regex(/^[A-Z]{3}$/, { message: 'must be an ISO 4217 code such as EUR', abort: true })
    .refine((c) => CURRENCIES.has(c), 'is not a known ISO 4217 currency'),
  refusedWebhookRetentionDays: retentionDays,
  processedWebhookRetentionDays: retentionDays,
  liveEventRetentionDays: retentionDays,
});

/** The agreed seam with the CRM (phone normalisation uses `defaultCountry`). */
export interface Settings {
  companyName: string;
  /** ISO 3166 alpha-2, default 'FR'. */
  defaultCountry: string;
  /** ISO 4217, default 'EUR'. */
  defaultCurrency: string;
  /** Days a refused webhook request stays in the inbox (default 7). */
  refusedWebhookRetentionDays: number;
  /** Days a processed or failed webhook stays in the inbox (default 30); unprocessed ones are never purged. */
  processedWebhookRetentionDays: number;
  /** Days a live event stays in `events` for SSE replay (default 1). */
  liveEventRetentionDays: number;
}

export const SettingsPatchSchema = SettingsSchema.partial();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  companyName: 'My company',
  defaultCountry: 'FR',
  defaultCurrency: 'EUR',
  refusedWebhookRetentionDays: 7,
  processedWebhookRetentionDays: 30,
  liveEventRetentionDays: 1,
});

const SETTING_KEYS = Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[];

/** How long a read stays cached; bounds how stale another instance's write can look here. */
const CACHE_TTL_MS = 2000;
const cache = new WeakMap<Kysely<Database>, { settings: Settings; at: number }>();

/** Reads the settings, stored values over defaults. Why: one typed object for every feature that needs them. */
export async function readSettings(db: Kysely<Database>): Promise<Settings> {
  const cached = cache.get(db);
  if (cached && performance.now() - cached.at < CACHE_TTL_MS) {
    return cached.settings;
  }
  const rows = await db.selectFrom('settings').select(['key', 'value']).execute();
  const settings: Settings = { ...DEFAULT_SETTINGS };
  for (const row of rows) {
    if (!(SETTING_KEYS as string[]).includes(row.key)) {
      continue;
    }
    const key = row.key as keyof Settings;
    // A value that no longer validates (e.g. written by an older version) falls back to the default.
    const parsed = SettingsSchema.shape[key].safeParse(JSON.parse(row.value));
    if (parsed.success) {
      (settings as Record<keyof Settings, unknown>)[key] = parsed.data;
    }
  }
  const frozen = Object.freeze(settings);
  cache.set(db, { settings: frozen, at: performance.now() });
  return frozen;
}

/** Drops the cached settings of a database. Why: after writes made through a transaction object. */
export function forgetCachedSettings(db: Kysely<Database>): void {
  cache.delete(db);
}

/** Writes the given settings (upsert per key) and returns the result. Why: admins change them in the UI. */
export async function updateSettings(
  db: Kysely<Database>,
  patch: SettingsPatch,
  now: Date = new Date(),
): Promise<Settings> {
  const valid = SettingsPatchSchema.parse(patch);
  const entries = SETTING_KEYS.filter((k) => valid[k] !== undefined).map((key) => ({
    key,
    value: JSON.stringify(valid[key]),
    updated_at: now.toISOString(),
  }));
  if (entries.length > 0) {
    await db
      .insertInto('settings')
      .values(entries)
      .onConflict((oc) =>
        oc.column('key').doUpdateSet((eb) => ({
          value: eb.ref('excluded.value'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
  cache.delete(db);
  return readSettings(db);
}
