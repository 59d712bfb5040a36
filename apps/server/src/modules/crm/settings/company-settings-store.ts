/**
 * Company-wide settings an admin edits in the UI (the `company` group of platform/settings/setting-definitions.ts),
 * read and written through the one settings service: its cache is dropped by a write here, and another
 * instance's write (which bumps `settings.version`) is noticed within a second — the version is checked in the
 * background, so a read never waits for it (the phone lookup on the call path needs `defaultCountry` at once).
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { SecretBox } from '../../../platform/crypto/secret-box.js';
import type { Database } from '../../../platform/db/schema.js';
import { newId } from '../../../platform/ids.js';
import {
  COMPANY_SETTINGS,
  type CompanySettingValues,
} from '../../../platform/settings/setting-definitions.js';
import { createSettingsService, type SettingsService } from '../../../platform/settings/settings-service.js';

const S = COMPANY_SETTINGS;

export const SettingsSchema = z.object({
  companyName: S.companyName.schema,
  defaultCountry: S.defaultCountry.schema,
  defaultCurrency: S.defaultCurrency.schema,
  refusedWebhookRetentionDays: S.refusedWebhookRetentionDays.schema,
  processedWebhookRetentionDays: S.processedWebhookRetentionDays.schema,
  liveEventRetentionDays: S.liveEventRetentionDays.schema,
});

/** The agreed seam with the CRM (phone normalisation uses `defaultCountry`); see COMPANY_SETTINGS for each. */
export type Settings = CompanySettingValues;

export const SettingsPatchSchema = SettingsSchema.partial();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze(
  Object.fromEntries(Object.entries(S).map(([name, definition]) => [name, definition.default])) as Settings,
);

/** How often a read starts a (background) check of the settings version. */
const VERSION_CHECK_MS = 1000;

/** The company settings hold no secret: a box that refuses to be used says so if that ever changes. */
const NO_SECRETS: SecretBox = {
  seal() {
    throw new Error('company settings hold no secret to seal');
  },
  open() {
    throw new Error('company settings hold no secret to open');
  },
};

interface Served {
  readonly service: SettingsService<typeof COMPANY_SETTINGS>;
  checkedAt: number;
}

// One service per database handle (the app's, or a transaction's while it runs).
const services = new WeakMap<Kysely<Database>, Served>();

function servedOf(db: Kysely<Database>): Served {
  let served = services.get(db);
  if (!served) {
    served = {
      service: createSettingsService({ db, box: NO_SECRETS, definitions: S, instanceId: newId() }),
      checkedAt: performance.now(),
    };
    services.set(db, served);
  }
  return served;
}

/**
 * Reads the settings, stored values over defaults, from the service's cache. At most once a second it also
 * checks, without waiting, whether another instance wrote; a change is loaded at once for the next read.
 * Why: one typed object for every feature that needs them, never a query per call.
 */
export async function readSettings(db: Kysely<Database>): Promise<Settings> {
  const served = servedOf(db);
  const at = performance.now();
  if (!db.isTransaction && at - served.checkedAt >= VERSION_CHECK_MS) {
    served.checkedAt = at;
    served.service
      .checkForChanges()
      .then((changed) => (changed ? served.service.read() : undefined))
      // A failed check leaves the cache as it was; the next read tries again a second later.
      .catch(() => undefined);
  }
  return Object.freeze({ ...(await served.service.read()) });
}

/**
 * Checks now whether another instance wrote (the background check does it at most once a second); resolves true
 * when it did, the cache then dropped. Why: a caller that must see a write elsewhere at once (a test, a job).
 */
export function refreshSettings(db: Kysely<Database>): Promise<boolean> {
  return servedOf(db).service.checkForChanges();
}

/** Drops the cached settings of a database. Why: after writes made through a transaction object. */
export function forgetCachedSettings(db: Kysely<Database>): void {
  services.get(db)?.service.invalidate();
}

/**
 * Writes the given settings and returns the result. On a transaction (`db.isTransaction`, the demo seeding) they
 * are written in it, with the version bump, and stand only if it commits; the app's handle then sees them at its
 * next version check, or at once with `forgetCachedSettings`. Why: admins change them in the UI.
 */
export async function updateSettings(
  db: Kysely<Database>,
  patch: SettingsPatch,
  now: Date = new Date(),
): Promise<Settings> {
  const valid = SettingsPatchSchema.parse(patch);
  const change = () => Object.fromEntries(Object.entries(valid).filter(([, v]) => v !== undefined));
  const { service } = servedOf(db);
  const written = db.isTransaction
    ? await service.updateWithin(db, change, now.toISOString())
    : await service.update(change, now.toISOString());
  return Object.freeze({ ...written });
}
