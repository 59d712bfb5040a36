/**
 * The ports of the telephony settings routes (http/telephony-settings-routes.ts), built once per app. Why a
 * wiring file: the routes only parse, authorise, call a use case and shape the reply; which store, which
 * Zadarma account and how Zadarma's failures read as catalogue errors are decided here.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { readSettings } from '../crm/settings/company-settings-store.js';
import { createBlacklistRepository } from './adapters/kysely-blacklist-repository.js';
import { createExtensionAssignmentRepository } from './adapters/kysely-extension-assignment-repository.js';
import { createUserDirectory } from './adapters/kysely-user-directory.js';
import { createWebhookActivity } from './adapters/telephony-settings-store.js';
import { ownNumbersOf } from './adapters/zadarma/own-numbers.js';
import type { TelephonyRuntimeControl } from './adapters/zadarma/telephony-runtime.js';
import { callZadarma } from './adapters/zadarma/zadarma-errors.js';

export { MAX_BLACKLIST_PAGE } from './adapters/kysely-blacklist-repository.js';
export type { TelephonyRuntimeControl } from './adapters/zadarma/telephony-runtime.js';

export function createTelephonySettingsPorts(db: Kysely<Database>, telephony: TelephonyRuntimeControl) {
  const ownNumbers = ownNumbersOf(telephony);
  return {
    /** The runtime is the settings store, the deployment and the Zadarma account at once. */
    telephony,
    assignments: createExtensionAssignmentRepository(db),
    blacklist: createBlacklistRepository(db),
    users: createUserDirectory(db),
    webhooks: createWebhookActivity(db),
    defaultCountry: async () => (await readSettings(db)).defaultCountry,
    ownNumbers: () => callZadarma(ownNumbers),
    /** Runs a use case that calls Zadarma, its failures as catalogue errors (SB_ERR_ZADARMA_*). */
    zadarma: callZadarma,
    now: () => new Date().toISOString(),
  };
}

export type TelephonySettingsPorts = ReturnType<typeof createTelephonySettingsPorts>;
