/**
 * Every setting of the server with its metadata (Twenty's `config-variables.ts` is the model): key, group,
 * zod schema, default, and whether it is sensitive (never in a response or a log line), encrypted (sealed with
 * the secret box at rest) or env-only (read from the environment, never stored, shown read-only). Values an
 * admin changes live in the `settings` key/value table (one JSON value per key), read through the settings
 * service (settings-service.ts).
 */
import { isSupportedCountry } from 'libphonenumber-js/max';
import { z } from 'zod';

type SettingGroup = 'company' | 'telephony' | 'network' | 'recordings' | 'statistics';

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
  /**
   * When Zadarma last told the timezone (stamped by every write of `timezone`); null: never. Why: the default
   * label is UTC+0, so an account in UTC+0 could not be told apart from one never asked.
   */
  timezoneLearnedAt: define('telephony.timezoneLearnedAt', 'telephony', instant, null, null),
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
  /**
   * The routing chain (issue 12 §7): which owner is tried first, each step switchable; the chain runs only while
   * `routeToResponsible` is on. An order that leaves a step out keeps it off.
   */
  routingSteps: define(
    'telephony.routing.steps',
    'telephony',
    z
      .array(
        z.object({
          step: z.enum(['deal', 'lead', 'contact', 'lastAgent', 'defaultResponsible']),
          enabled: z.boolean(),
        }),
      )
      .max(5)
      .refine((steps) => new Set(steps.map((s) => s.step)).size === steps.length, 'a step is listed twice'),
    [
      { step: 'deal', enabled: true },
      { step: 'lead', enabled: true },
      { step: 'contact', enabled: true },
      { step: 'lastAgent', enabled: true },
      { step: 'defaultResponsible', enabled: true },
    ] as { step: 'deal' | 'lead' | 'contact' | 'lastAgent' | 'defaultResponsible'; enabled: boolean }[],
    'tel.routing.steps',
  ),
  /** How far back "the last agent who spoke with this client" looks, in days. */
  routingLastAgentDays: define(
    'telephony.routing.lastAgentDays',
    'telephony',
    z.number().int().min(1).max(365),
    30,
    'tel.routing.lastAgentDays',
  ),
  /**
   * Working hours per user (user id → weekdays 1–7 from Monday, `HH:MM` from/to, IANA time zone): outside them
   * the routing chain skips the user. A user without an entry is always available.
   */
  workingHours: define(
    'telephony.routing.workingHours',
    'telephony',
    z.record(
      z.string().max(64),
      z.object({
        days: z.array(z.number().int().min(1).max(7)).max(7),
        from: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM'),
        to: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be HH:MM'),
        timeZone: z.string().max(64),
      }),
    ),
    {} as Record<string, { days: number[]; from: string; to: string; timeZone: string }>,
    'tel.routing.workingHours',
  ),
  /** The `caller_name` template (issue 12 §8): `{contact}`, `{company}`, `{dealStage}`, `{vip}`, `{responsible}`, `{number}`. */
  callerNameTemplate: define(
    'telephony.callerName.template',
    'telephony',
    z.string().max(200),
    '{vip} {company} — {contact}',
    'tel.callerName.template',
  ),
  /** Longest `caller_name` sent, in characters: Zadarma documents no limit, phone screens have one. */
  callerNameMaxLength: define(
    'telephony.callerName.maxLength',
    'telephony',
    z.number().int().min(8).max(64),
    30,
    'tel.callerName.maxLength',
  ),
  /** Cyrillic and accented letters sent as plain Latin, for phones that cannot show them. */
  callerNameTransliterate: define(
    'telephony.callerName.transliterate',
    'telephony',
    z.boolean(),
    false,
    'tel.callerName.transliterate',
  ),
  /** What an unknown number shows (`{number}` allowed); '' shows the number as the PBX sends it. */
  callerNameUnknownLabel: define(
    'telephony.callerName.unknownLabel',
    'telephony',
    z.string().max(100),
    '',
    'tel.callerName.unknownLabel',
  ),
  /** What an unknown number that we missed today shows (`{missed}`, `{number}`); '' falls back to the label above. */
  callerNameMissedLabel: define(
    'telephony.callerName.missedLabel',
    'telephony',
    z.string().max(100),
    '',
    'tel.callerName.missedLabel',
  ),
  /** `{vip}` marks a caller whose open deal is worth at least this much; null: nobody is VIP. */
  callerNameVipAmount: define(
    'telephony.callerName.vipAmount',
    'telephony',
    z.number().min(0).nullable(),
    null,
    'tel.callerName.vipAmount',
  ),
  /** What a blacklisted caller gets: the busy tone (`redirect: "blacklist"`) or the call hung up (`hangup: 1`). */
  blacklistAction: define(
    'telephony.blacklist.action',
    'telephony',
    z.enum(['busy', 'hangup']),
    'busy' as 'busy' | 'hangup',
    'tel.blacklist.action',
  ),
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

/** What a new-caller rule matches and does (issue 12, item 6); validated again by the domain on save. */
const newCallerRule = z
  .object({
    direction: z.enum(['in', 'out', 'any']),
    outcome: z.enum(['answered', 'missed', 'any']),
    minTalkSeconds: z.number().int().min(0).max(3600),
    action: z.enum(['none', 'inbox', 'contact', 'lead', 'deal']),
    pipelineId: z.string().max(64).nullable(),
    stageId: z.string().max(64).nullable(),
    assignTo: z.enum(['agent', 'default']),
  })
  .strict();

/**
 * After the call (issue 12, items 6 and 9): the settings behind the `autoCreate` and `missedCallTasks` switches.
 * Read off the webhook path, by the after-call job.
 */
export const AFTER_CALL_SETTINGS = {
  /** Minutes from a missed call to its callback task's due time; overdue tasks escalate. */
  missedCallDueMinutes: define(
    'telephony.missedCalls.dueMinutes',
    'telephony',
    z.number().int().min(1).max(10_080),
    15,
    'after.missed.dueMinutes',
  ),
  /** New-caller rules, first match wins; no match creates nothing. */
  newCallerRules: define(
    'telephony.newCallers.rules',
    'telephony',
    z.array(newCallerRule).max(20),
    [
      {
        direction: 'in',
        outcome: 'answered',
        minTalkSeconds: 10,
        action: 'contact',
        pipelineId: null,
        stageId: null,
        assignTo: 'agent',
      },
      {
        direction: 'in',
        outcome: 'any',
        minTalkSeconds: 0,
        action: 'inbox',
        pipelineId: null,
        stageId: null,
        assignTo: 'default',
      },
    ] as z.infer<typeof newCallerRule>[],
    'after.newCallers.rules',
  ),
} as const;

/** The recordings vault (issue 11): copy the audio into our store, or keep only Zadarma's (a fresh link per play). */
export const RECORDINGS_SETTINGS = {
  mode: define(
    'recordings.mode',
    'recordings',
    z.enum(['copy', 'link']),
    'copy' as 'copy' | 'link',
    'rec.mode',
  ),
  /** Days our copy is kept (0: for ever); the nightly retention job deletes older copies not on legal hold. */
  retentionDays: define(
    'recordings.retentionDays',
    'recordings',
    z.number().int().min(0).max(36_500),
    0,
    'rec.retentionDays',
  ),
  /** Megabytes our copies may use (0: no cap); above it the oldest copies not on legal hold are deleted first. */
  maxStorageMb: define(
    'recordings.maxStorageMb',
    'recordings',
    z.number().int().min(0).max(100_000_000),
    0,
    'rec.maxStorageMb',
  ),
} as const;

/**
 * The statistics (issue 11): the N of "returned within N minutes". One of the window choices the missed-call
 * rollups keep exact buckets for (modules/telephony/domain/missed-call-classification.ts, repeated here
 * because the platform knows no module; a test holds the two lists equal).
 */
export const RETURN_WINDOW_MINUTES = [5, 10, 15, 30, 60, 120, 240] as const;
export const STATISTICS_SETTINGS = {
  returnWithinMinutes: define(
    'statistics.returnWithinMinutes',
    'statistics',
    z.number().refine((n) => (RETURN_WINDOW_MINUTES as readonly number[]).includes(n), {
      message: `must be one of ${RETURN_WINDOW_MINUTES.join(', ')}`,
    }),
    30,
    'stats.returnWithin',
  ),
} as const;

/**
 * Who sees which calls (issue 11): by default an agent reads the calls they handled and those of their clients;
 * with this on, every agent reads every call — the call log, call pages, recordings and statistics alike
 * (modules/telephony/use-cases/call-visibility.ts is the rule, adapters/kysely-call-visibility.ts applies it).
 */
export const CALL_VISIBILITY_SETTINGS = {
  agentsSeeAllCalls: define(
    'telephony.calls.agentsSeeAllCalls',
    'telephony',
    z.boolean(),
    false,
    'calls.agentsSeeAllCalls',
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
  ...Object.values(AFTER_CALL_SETTINGS),
  ...Object.values(RECORDINGS_SETTINGS),
  ...Object.values(STATISTICS_SETTINGS),
  ...Object.values(CALL_VISIBILITY_SETTINGS),
  TRUSTED_PROXIES,
] as readonly SettingDefinition[];

/** The values of a set of definitions, by the set's own names. */
export type SettingValues<D extends Record<string, SettingDefinition>> = {
  readonly [K in keyof D]: D[K] extends SettingDefinition<infer T> ? T : never;
};

export type TelephonySettingValues = SettingValues<typeof TELEPHONY_SETTINGS>;
export type CompanySettingValues = SettingValues<typeof COMPANY_SETTINGS>;
