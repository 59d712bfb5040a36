/**
 * The trusted proxies' one source is `TRUST_PROXY` (config.ts), for Fastify and `/zadarma` alike. Before
 * migration 0009 the telephony settings page kept its own list; that list is kept, unused, and start-up warns
 * while the environment does not carry it, naming the value to set.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { TELEPHONY_SETTINGS } from './setting-definitions.js';
import { decodeSetting } from './settings-storage.js';

/** The list the settings page held before `TRUST_PROXY` became the only source ([] when none). */
export async function readLegacyTrustedProxies(db: Kysely<Database>): Promise<readonly string[]> {
  const definition = TELEPHONY_SETTINGS.legacyTrustedProxies;
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', definition.key)
    .executeTakeFirst();
  if (!row) {
    return [];
  }
  // Not an encrypted setting: the secret box is never asked for.
  const unused = {
    seal: () => {
      throw new Error('not encrypted');
    },
    open: () => {
      throw new Error('not encrypted');
    },
  };
  return decodeSetting(definition, row.value, unused) as readonly string[];
}

/**
 * The start-up warning when the database had trusted proxies and `TRUST_PROXY` is unset, else null.
 * Why: behind a proxy, `/zadarma`'s IP allow-list now sees the proxy's address until the operator moves the list.
 */
export function legacyTrustedProxiesWarning(
  legacy: readonly string[],
  trustProxy: false | readonly string[],
): string | null {
  if (legacy.length === 0 || trustProxy !== false) {
    return null;
  }
  return (
    `the telephony settings listed trusted proxies (${legacy.join(', ')}), which are now read from the ` +
    `TRUST_PROXY environment variable only: set TRUST_PROXY=${legacy.join(',')} to keep trusting them`
  );
}
