/**
 * Saves what an admin changed on the telephony settings page: credentials (the secret write-only), the IP
 * allow-list, the default responsible user, the switches. Refuses what would be silently wrong: an invalid CIDR,
 * an edit of the env-only trusted proxies, a default responsible who cannot take calls. New credentials learn
 * the account's timezone at once.
 */
import { compileIpPolicy } from '@switchboard/zadarma';
import { AppError } from '../../../platform/errors/errors.js';
import {
  CALLER_NAME_FIELDS,
  type CallerNameFormat,
  templateProblems,
  UNKNOWN_LABEL_FIELDS,
} from '../domain/caller-name-template.js';
import { isKnownTimeZone } from '../domain/working-hours.js';
import type {
  RoutingSettings,
  StoredTelephonySettingsPatch,
  TelephonySettingsView,
  UserDirectory,
  ZadarmaAccount,
} from '../ports.js';
import { learnAccountTimezone } from './learn-account-timezone.js';
import { type ReadTelephonySettingsOptions, readTelephonySettings } from './read-telephony-settings.js';

/** What the page sends: every field optional; `''` or null clears the key or the secret. */
interface TelephonySettingsChange
  extends Omit<StoredTelephonySettingsPatch, 'timezone' | 'webhookRegisteredAt'> {}

export interface SaveTelephonySettingsOptions extends ReadTelephonySettingsOptions {
  readonly users: UserDirectory;
  /** The account of the credentials as saved: asked for its timezone when they change. */
  readonly zadarma: ZadarmaAccount;
  readonly change: TelephonySettingsChange;
}

/** How long a save waits for Zadarma's timezone before answering that it is not known yet. */
const TIMEZONE_LOOKUP_MS = 5000;

function refuse(
  path: string,
  message: string,
  why?: { readonly reason: string; readonly params?: Readonly<Record<string, string>> },
): never {
  throw new AppError('SB_ERR_VALIDATION', `${path}: ${message}`, [{ path, message, ...why }]);
}

function checkCidrs(path: string, cidrs: readonly string[]): void {
  try {
    compileIpPolicy({ allow: cidrs });
  } catch (error) {
    refuse(path, (error as Error).message);
  }
}

/**
 * Refuses a change of the trusted proxies (an unchanged list, as the page sends back, passes).
 * Why: they are env-only (`TRUST_PROXY`), one source for Fastify and `/zadarma`; a silently ignored edit would lie.
 */
function checkEnvOnlyProxies(sent: readonly string[] | undefined, current: readonly string[]): void {
  if (sent === undefined || (sent.length === current.length && sent.every((p, i) => p === current[i]))) {
    return;
  }
  refuse(
    'ipAllowList.trustedProxies',
    `is set by the TRUST_PROXY environment variable only (now ${current.length > 0 ? current.join(',') : 'unset'})`,
  );
}

/**
 * Checks the change, writes it in one transaction and returns the settings as the page now shows them.
 * Why: a route that only adapts HTTP, and one place that knows what a valid change is.
 */
export async function saveTelephonySettings(
  options: SaveTelephonySettingsOptions,
): Promise<TelephonySettingsView> {
  const { change, settings, users, deployment } = options;
  if (change.ipAllowList) {
    const cidrs = change.ipAllowList.cidrs ?? (await settings.stored()).ipAllowList.cidrs;
    checkCidrs('ipAllowList.cidrs', cidrs);
    checkEnvOnlyProxies(change.ipAllowList.trustedProxies, deployment.trustedProxies);
  }
  if (change.defaultResponsibleUserId) {
    await chooseDefaultResponsible(users, change.defaultResponsibleUserId);
  }
  if (change.callerNameFormat) {
    checkCallerNameFormat(change.callerNameFormat);
  }
  if (change.routing?.workingHours) {
    await checkWorkingHours(users, change.routing.workingHours);
  }
  // Another account's key also forgets the timezone the previous one told, in this write (the store's rule), so
  // the page never shows it as this account's while the lookup below has not answered.
  await settings.update({
    ...change,
    ...(change.apiKey !== undefined ? { apiKey: change.apiKey || null } : {}),
    ...(change.apiSecret !== undefined ? { apiSecret: change.apiSecret || null } : {}),
  });
  const credentialsChanged =
    change.apiKey !== undefined || change.apiSecret !== undefined || change.apiBaseUrl !== undefined;
  const timezoneKnown = credentialsChanged ? await learnTimezoneAfterSave(options) : true;
  const view = await readTelephonySettings(options);
  return timezoneKnown ? view : { ...view, timezone: null };
}

/**
 * Asks the account of the credentials just saved for its timezone; false when it did not answer in time or
 * refused them. Why now: the timezone was learned only by "test the connection" and by a background refresh
 * from the webhook path, so an account whose first calls came before either read them as UTC+0. Why the save
 * still succeeds: the credentials are stored, the page says the timezone is not known yet, and the webhook
 * path's refresh learns it later.
 */
async function learnTimezoneAfterSave(options: SaveTelephonySettingsOptions): Promise<boolean> {
  const client = await options.zadarma.client();
  if (!client) {
    // No credentials (cleared): no account to ask, and the page shows no connection at all.
    return true;
  }
  try {
    await learnAccountTimezone(client, options.settings, AbortSignal.timeout(TIMEZONE_LOOKUP_MS));
    return true;
  } catch {
    return false;
  }
}

/**
 * The default responsible user (who answers calls from unknown numbers) must be an active user.
 * Why: routing to a disabled or deleted user would send every unknown caller nowhere.
 */
async function chooseDefaultResponsible(users: UserDirectory, userId: string): Promise<void> {
  if (!(await users.findActive(userId))) {
    refuse('defaultResponsibleUserId', 'no active user with this id');
  }
}

/**
 * Refuses a template or label naming a field that does not exist, with the field named.
 * Why: a typo (`{compnay}`) would otherwise put braces or nothing on every agent's phone.
 */
function checkCallerNameFormat(format: Partial<CallerNameFormat>): void {
  const checks = [
    ['template', format.template, CALLER_NAME_FIELDS],
    ['unknownLabel', format.unknownLabel, UNKNOWN_LABEL_FIELDS],
    ['missedLabel', format.missedLabel, UNKNOWN_LABEL_FIELDS],
  ] as const;
  for (const [field, text, allowed] of checks) {
    const problem = text === undefined ? undefined : templateProblems(text, allowed)[0];
    if (problem) {
      // The reason and its params let the admin page say it in the reader's language.
      refuse(`callerNameFormat.${field}`, problem.message, problem);
    }
  }
}

/**
 * Each schedule must belong to an active user, name weekdays and a time zone this server knows.
 * Why: a schedule that can never match would silently take a user out of the routing chain.
 */
async function checkWorkingHours(
  users: UserDirectory,
  hours: RoutingSettings['workingHours'],
): Promise<void> {
  for (const [userId, schedule] of Object.entries(hours)) {
    const path = `routing.workingHours.${userId}`;
    if (!(await users.findActive(userId))) {
      refuse(path, 'no active user with this id');
    }
    if (!isKnownTimeZone(schedule.timeZone)) {
      refuse(`${path}.timeZone`, `"${schedule.timeZone}" is not a known time zone (e.g. Europe/Paris)`);
    }
    if (schedule.days.length === 0) {
      refuse(`${path}.days`, 'names no weekday: the user would never take a call');
    }
    if (schedule.from === schedule.to) {
      refuse(`${path}.to`, 'equals the start: the user would never take a call');
    }
  }
}
