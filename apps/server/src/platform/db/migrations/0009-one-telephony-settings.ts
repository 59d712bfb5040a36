/**
 * One settings model (issue 10, item 4): `telephony_settings` and `telephony_options` folded into the `settings`
 * key/value table the company settings already use, one row per setting (platform/settings/setting-definitions.ts),
 * then both tables dropped. Why one key/value table rather than a wider telephony row: every setting then has one
 * definition with its metadata (group, sensitive, encrypted, env-only) and one service reading it, a new setting
 * needs no migration, and the version every instance polls covers all of them.
 *
 * Every value is kept as the app read it before: credentials, secret (still sealed: the same `v1:` text), timezone
 * and return timeout from `telephony_settings`; everything else from `telephony_options` — the feature switches
 * included, since since the first commit the runtime read them from there and never from `telephony_settings`'
 * mirror (whose defaults were the opposite: on). Without a `telephony_options` row the switches were read as off:
 * no row is written for them and they stay at their default, off. The trusted proxies typed on the settings
 * page are kept as `telephony.legacyTrustedProxies`, unused: `TRUST_PROXY` is their only source now, and
 * start-up warns when the database had some and the environment has none.
 *
 * Forward only: the values are all still there, but nothing reads the old tables any more.
 */
import type { Kysely, Migration } from 'kysely';

type Row = Record<string, unknown>;

function text(value: unknown): string | null {
  if (value === null || value === undefined) {
    return null;
  }
  return value instanceof Date ? value.toISOString() : String(value);
}

function list(value: unknown): string[] {
  try {
    const parsed: unknown = JSON.parse(String(value ?? '[]'));
    return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

/** The `settings` rows (key → value) holding what the two telephony rows held, as the app read it. */
function foldTelephonyRows(
  settings: Row | undefined,
  options: Row | undefined,
): { values: Record<string, unknown>; version: number } {
  const values: Record<string, unknown> = {};
  if (settings) {
    values['telephony.apiKey'] = text(settings.api_key);
    // Sealed text kept as is: the settings storage seals encrypted values in the same format.
    values['telephony.apiSecret'] = text(settings.api_secret_sealed);
    values['telephony.timezone'] = text(settings.timezone) ?? 'UTC+0';
    values['telephony.returnTimeout'] = Number(settings.return_timeout);
  }
  if (options) {
    values['telephony.apiBaseUrl'] = text(options.api_base_url);
    values['telephony.ipAllowList.enabled'] = Number(options.ip_allow_enabled) === 1;
    values['telephony.ipAllowList.cidrs'] = list(options.ip_allow_cidrs);
    values['telephony.legacyTrustedProxies'] = list(options.trusted_proxies);
    values['telephony.defaultResponsibleUserId'] = text(options.default_responsible_user_id);
    values['telephony.predictedCallback'] = Number(options.predicted_callback) === 1;
    values['telephony.features.autoCreate'] = Number(options.auto_create) === 1;
    values['telephony.features.routeToResponsible'] = Number(options.route_to_responsible) === 1;
    values['telephony.features.callerName'] = Number(options.caller_name) === 1;
    values['telephony.features.missedCallTasks'] = Number(options.missed_call_tasks) === 1;
    values['telephony.features.blacklist'] = Number(options.blacklist) === 1;
    values['telephony.webhookRegisteredAt'] = text(options.webhook_registered_at);
    values['telephony.previousSecret'] = text(options.previous_secret_sealed);
    values['telephony.previousSecretUntil'] = text(options.previous_secret_until);
    values['telephony.previousSecretUses'] = Number(options.previous_secret_uses ?? 0);
  }
  return { values, version: Number(options?.version ?? 0) };
}

export const migration0009OneTelephonySettings: Migration = {
  async up(untyped: Kysely<unknown>) {
    // biome-ignore lint/suspicious/noExplicitAny: the two tables are gone from the typed schema
    const db = untyped as Kysely<any>;
    const settings = (await db
      .selectFrom('telephony_settings')
      .selectAll()
      .where('id', '=', 1)
      .executeTakeFirst()) as Row | undefined;
    const options = (await db
      .selectFrom('telephony_options')
      .selectAll()
      .where('id', '=', 1)
      .executeTakeFirst()) as Row | undefined;
    const { values, version } = foldTelephonyRows(settings, options);
    const updatedAt = text(options?.updated_at) ?? text(settings?.updated_at) ?? new Date().toISOString();
    const rows = Object.entries(values).map(([key, value]) => ({
      key,
      value: JSON.stringify(value),
      updated_at: updatedAt,
    }));
    // One above the old version: an instance still holding the old one reloads.
    rows.push({ key: 'settings.version', value: String(version + 1), updated_at: updatedAt });
    await db
      .insertInto('settings')
      .values(rows)
      .onConflict((oc) =>
        oc.column('key').doUpdateSet((eb) => ({
          value: eb.ref('excluded.value'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
    await db.schema.dropTable('telephony_options').execute();
    await db.schema.dropTable('telephony_settings').execute();
  },
};
