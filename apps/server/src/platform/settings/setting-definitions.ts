/**
 * Every setting of the server with its metadata (Twenty's `config-variables.ts` is the model): key, group,
 * zod schema, default, and whether it is sensitive (never in a response or a log line), encrypted (sealed with
 * the secret box at rest) or env-only (read from the environment, never stored, shown read-only). Values an
 * admin changes live in the `settings` key/value table (one JSON value per key), read through the settings
 * service (settings-service.ts).
 */
import { isSupportedCountry } from 'libphonenumber-js/max';
import { z } from 'zod';

type SettingGroup = 'company' | 'telephony' | 'network';

/** One setting and what the server must know about it to store, show and log it. */
export interface SettingDefinition<T = unknown> {
  /** The row key in `settings`: `<group>.<name>`, except the company's, which keep their first, bare keys. */
  readonly key: string;
  readonly group: SettingGroup;
  /** Validates a value before it is written and when it is read back (an invalid stored value reads as the default). */
  readonly schema: z.ZodType<T>;
  readonly default: T;
  /** Never leaves the server: responses show a hint at most, logs the key only. */
  readonly sensitive: boolean;
  /** Stored sealed by crypto/secret-box.ts (`v1:…`), never in clear. */
  readonly encrypted: boolean;
  /** Read from the environment variable `env` only; never stored, read-only in the UI. */
  readonly envOnly: boolean;
  readonly env?: string;
  /** Message id of the setting's label in the web catalogues (apps/web/src/locales); null: not shown. */
  readonly descriptionId: string | null;
}

type Flags = Partial<Pick<SettingDefinition, 'sensitive' | 'encrypted' | 'envOnly' | 'env'>>;

function define<T>(
  key: string,
  group: SettingGroup,
  schema: z.ZodType<T>,
  defaultValue: T,
  descriptionId: string | null,
  flags: Flags = {},
): SettingDefinition<T> {
  return Object.freeze({
    key,
    group,
    schema,
    default: defaultValue,
    sensitive: flags.sensitive ?? false,
    encrypted: flags.encrypted ?? false,
    envOnly: flags.envOnly ?? false,
    ...(flags.env ? { env: flags.env } : {}),
    descriptionId,
  });
}

const nullableText = (max: number) => z.string().max(max).nullable();
/** An ISO-8601 instant, or null. */
const instant = z
  .string()
  .refine((v) => !Number.isNaN(Date.parse(v)), 'must be an ISO-8601 date-time')
  .nullable();
/** Zadarma's account timezone label (`UTC+3`, `UTC-4:30`): what `/v1/info/timezone/` answers. */
const timezoneLabel = z
  .string()
  .regex(
    /^\s*(?:UTC|GMT)\s*(?:[+-]\s*(?:1[0-4]|0?\d)(?::?[0-5]\d)?)?\s*$/i,
    'must be like UTC+3 or UTC-4:30',
  );

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/** Retention periods, in whole days. */
const retentionDays = z
  .number()
  .int('must be a whole number of days')
  .min(1, 'must be at least 1 day')
  .max(3650, 'must be at most 3650 days (10 years)');

/**
 * The company settings (the admin's settings page; read by phone normalisation, new deals and the inbox and
 * event retention). Their keys are the bare names the first settings store wrote (`defaultCountry`…), kept so
 * that every value already stored reads on.
 */
export const COMPANY_SETTINGS = {
  companyName: define(
    'companyName',
    'company',
    z.string().trim().min(1, 'must not be empty').max(200),
    'My company',
    'settings.companyName',
  ),
  /** ISO 3166 alpha-2: the country of numbers written without a country code. */
  defaultCountry: define(
    'defaultCountry',
    'company',
    z
      .string()
      .regex(/^[A-Z]{2}$/, { message: 'must be an ISO 3166 alpha-2 code such as FR', abort: true })
      .refine((c): boolean => isSupportedCountry(c), 'is not a country with a known phone numbering plan'),
    'FR',
    'settings.defaultCountry',
  ),
  /** ISO 4217. */
  defaultCurrency: define(
    'defaultCurrency',
    'company',
    z
      .string()
      .regex(/^[A-Z]{3}$/, { message: 'must be an ISO 4217 code such as EUR', abort: true })
      .refine((c) => CURRENCIES.has(c), 'is not a known ISO 4217 currency'),
    'EUR',
    'settings.defaultCurrency',
  ),
  /** Days a refused webhook request stays in the inbox. */
  refusedWebhookRetentionDays: define(
    'refusedWebhookRetentionDays',
    'company',
    retentionDays,
    7,
    'settings.refusedWebhookRetentionDays',
  ),
  /** Days a processed or failed webhook stays in the inbox; unprocessed ones are never purged. */
  processedWebhookRetentionDays: define(
    'processedWebhookRetentionDays',
    'company',
    retentionDays,
    30,
    'settings.processedWebhookRetentionDays',
  ),
  /** Days a live event stays in `events` for SSE replay. */
  liveEventRetentionDays: define(
    'liveEventRetentionDays',
    'company',
    retentionDays,
    1,
    'settings.liveEventRetentionDays',
  ),
} as const;

/** The telephony settings (issue 5's settings page and the runtime), one key each. */
export const TELEPHONY_SETTINGS = {
  apiKey: define('telephony.apiKey', 'telephony', nullableText(200), null, 'tel.apiKey'),
  apiSecret: define('telephony.apiSecret', 'telephony', nullableText(200), null, 'tel.apiSecret', {
    sensitive: true,
    encrypted: true,
  }),
  /** Null: Zadarma's production API. */
  apiBaseUrl: define('telephony.apiBaseUrl', 'telephony', nullableText(2000), null, 'tel.apiBaseUrl'),
  timezone: define('telephony.timezone', 'telephony', timezoneLabel, 'UTC+0', null),
  returnTimeout: define(
    'telephony.returnTimeout',
    'telephony',
    z
      .number()
      .int()
      .refine((v) => v === 0 || (v >= 3 && v <= 600), 'must be 0 or from 3 to 600 seconds'),
    20,
    'tel.returnTimeout',
  ),
  ipAllowEnabled: define('telephony.ipAllowList.enabled', 'telephony', z.boolean(), false, 'tel.ipCheck'),
  ipAllowCidrs: define(
    'telephony.ipAllowList.cidrs',
    'telephony',
    z.array(z.string().max(64)).max(1000),
    [] as string[],
    'tel.cidrs',
  ),
  defaultResponsibleUserId: define(
    'telephony.defaultResponsibleUserId',
    'telephony',
    nullableText(64),
    null,
    'tel.defaultResponsible',
  ),
  predictedCallback: define('telephony.predictedCallback', 'telephony', z.boolean(), false, 'tel.predicted'),
  autoCreate: define(
    'telephony.features.autoCreate',
    'telephony',
    z.boolean(),
    false,
    'tel.feature.autoCreate',
  ),
  routeToResponsible: define(
    'telephony.features.routeToResponsible',
    'telephony',
    z.boolean(),
    false,
    'tel.feature.routeToResponsible',
  ),
  callerName: define(
    'telephony.features.callerName',
    'telephony',
    z.boolean(),
    false,
    'tel.feature.callerName',
  ),
  missedCallTasks: define(
    'telephony.features.missedCallTasks',
    'telephony',
    z.boolean(),
    false,
    'tel.feature.missedCallTasks',
  ),
  blacklist: define('telephony.features.blacklist', 'telephony', z.boolean(), false, 'tel.feature.blacklist'),
  webhookRegisteredAt: define(
    'telephony.webhookRegisteredAt',
    'telephony',
    instant,
    null,
    'tel.registeredAt',
  ),
  /** The API secret before the last planned rotation, accepted until `previousSecretUntil`. */
  previousSecret: define(
    'telephony.previousSecret',
    'telephony',
    nullableText(200),
    null,
    'tel.previousSecretUntil',
    {
      sensitive: true,
      encrypted: true,
    },
  ),
  previousSecretUntil: define(
    'telephony.previousSecretUntil',
    'telephony',
    instant,
    null,
    'tel.previousSecretUntil',
  ),
  /** Webhooks verified with the previous secret since the rotation (all instances); a counter, not a change. */
  previousSecretUses: define('telephony.previousSecretUses', 'telephony', z.number().int().min(0), 0, null),
  /**
   * The trusted proxies an admin had typed on the settings page before `TRUST_PROXY` became their only source
   * (migration 0009). Read at start-up only, to tell the operator what to put in `TRUST_PROXY`; never used.
   */
  legacyTrustedProxies: define(
    'telephony.legacyTrustedProxies',
    'telephony',
    z.array(z.string()),
    [] as string[],
    null,
  ),
} as const;

/**
 * The proxies whose `X-Forwarded-For` is believed, for Fastify and for `/zadarma`'s IP policy alike: one source,
 * the `TRUST_PROXY` environment variable (config.ts).
 */
export const TRUSTED_PROXIES = define(
  'network.trustedProxies',
  'network',
  z.array(z.string()),
  [] as string[],
  'tel.trustedProxies',
  { envOnly: true, env: 'TRUST_PROXY' },
);

/** Every definition, for listings (docs, the admin UI) and the tests that hold them to their metadata. */
export const SETTING_DEFINITIONS: readonly SettingDefinition[] = [
  ...Object.values(COMPANY_SETTINGS),
  ...Object.values(TELEPHONY_SETTINGS),
  TRUSTED_PROXIES,
] as readonly SettingDefinition[];

/** The values of a set of definitions, by the set's own names. */
export type SettingValues<D extends Record<string, SettingDefinition>> = {
  readonly [K in keyof D]: D[K] extends SettingDefinition<infer T> ? T : never;
};

export type TelephonySettingValues = SettingValues<typeof TELEPHONY_SETTINGS>;
export type CompanySettingValues = SettingValues<typeof COMPANY_SETTINGS>;
