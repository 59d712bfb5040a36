/**
 * Saves what an admin changed on the telephony settings page: credentials (the secret write-only), the IP
 * allow-list, the default responsible user, the switches. Refuses what would be silently wrong: an invalid CIDR,
 * an edit of the env-only trusted proxies, a default responsible who cannot take calls.
 */
import { compileIpPolicy } from '@switchboard/zadarma';
import { AppError } from '../../../platform/errors/errors.js';
import type { StoredTelephonySettingsPatch, TelephonySettingsView, UserDirectory } from '../ports.js';
import { type ReadTelephonySettingsOptions, readTelephonySettings } from './read-telephony-settings.js';

/** What the page sends: every field optional; `''` or null clears the key or the secret. */
interface TelephonySettingsChange
  extends Omit<StoredTelephonySettingsPatch, 'timezone' | 'webhookRegisteredAt'> {}

export interface SaveTelephonySettingsOptions extends ReadTelephonySettingsOptions {
  readonly users: UserDirectory;
  readonly change: TelephonySettingsChange;
}

function refuse(path: string, message: string): never {
  throw new AppError('SB_ERR_VALIDATION', `${path}: ${message}`, [{ path, message }]);
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
  await settings.update({
    ...change,
    ...(change.apiKey !== undefined ? { apiKey: change.apiKey || null } : {}),
    ...(change.apiSecret !== undefined ? { apiSecret: change.apiSecret || null } : {}),
  });
  return readTelephonySettings(options);
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
