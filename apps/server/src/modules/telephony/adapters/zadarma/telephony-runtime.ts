/**
 * The telephony runtime: the one object routes and webhook ingest ask for the current settings, a Zadarma
 * client and the account timezone. Settings are read through the settings service (platform/settings/), whose
 * cache every write drops — on this instance directly, on the others through a `settings.changed` bus event
 * and, as a safety net (and for processes sharing one SQLite file, whose buses do not meet), a once-a-second
 * check of the settings version — so credentials changed on the settings page apply at once everywhere.
 * Nothing on the processing path waits for the network: the timezone is the stored label, refreshed from
 * Zadarma in the background.
 */
import { ZadarmaClient, type ZadarmaClientOptions } from '@switchboard/zadarma';
import type { Simulator } from '@switchboard/zadarma-sim';
import type { Kysely } from 'kysely';
import type { Config } from '../../../../platform/config/config.js';
import type { SecretBox } from '../../../../platform/crypto/secret-box.js';
import type { Database } from '../../../../platform/db/schema.js';
import type { EventBus } from '../../../../platform/events/event-bus.js';
import { newId } from '../../../../platform/ids.js';
import { TELEPHONY_SETTINGS } from '../../../../platform/settings/setting-definitions.js';
import { createSettingsService } from '../../../../platform/settings/settings-service.js';
import { isTimezoneConfirmed } from '../../domain/zadarma-date-time.js';
import type {
  AccountTimezone,
  StoredTelephonySettings,
  StoredTelephonySettingsPatch,
  TelephonySettingsView,
} from '../../ports.js';
import { toSettingsView, validPreviousSecret } from '../../use-cases/read-telephony-settings.js';
import { readWebhookStatus, storedFromValues, telephonyChange } from '../telephony-settings-store.js';

const TIMEZONE_TTL_MS = 60 * 60 * 1000;
const TIMEZONE_RETRY_MS = 60 * 1000;
const FALLBACK_TIMEZONE = 'UTC+0';
/** The Zadarma timezone lookup's own timeout (it never delays processing: it runs in the background). */
const TIMEZONE_TIMEOUT_MS = 5000;
/** How often every instance checks the settings version (issue 9: changes reach every instance within 1 s). */
const SETTINGS_POLL_MS = 1000;

type TelephonyRuntimeSettings = TelephonySettingsView & {
  readonly apiSecret: string | null;
  /**
   * The secret before the last planned rotation while its grace lasts (then null, by this runtime's clock):
   * webhooks signed with it are still accepted. Never set when the admin said the old secret leaked.
   */
  readonly previousSecret: string | null;
  /** The stored account timezone label (last known). */
  readonly timezone: string;
  /** When Zadarma last told it; null: never (the label is the default). */
  readonly timezoneLearnedAt: string | null;
};

export interface TelephonyRuntime {
  /** Current settings (decrypted secret never leaves the server). Cached; invalidated by settings writes. */
  settings(): Promise<TelephonyRuntimeSettings>;
  /** A Zadarma client for the current key/secret/base URL, or null when not configured. */
  client(): Promise<ZadarmaClient | null>;
  /**
   * The account timezone label (e.g. 'UTC+3'): the stored one at once, never waiting for the network; when it
   * is older than an hour (or the credentials changed) one background lookup of /v1/info/timezone/ refreshes it.
   */
  timezone(): Promise<string>;
  /**
   * `timezone()` with whether Zadarma told it (`isTimezoneConfirmed`), both from one read of the cached settings.
   * Why one read: the webhook path chooses the freshness window by the pair, which must not mix two versions.
   */
  accountTimezone(): Promise<AccountTimezone>;
  /** This instance's id: the inbox records it on what this instance receives (leases, issue 9). */
  readonly instanceId: string;
  /** Counts a webhook verified with the previous secret (added to the settings row off the hot path). */
  notePreviousSecretUse(): void;
  /** Mode: 'demo' when the built-in simulator is in use. */
  readonly mode: 'demo' | 'live';
  /** Demo only: the simulator (for the demo routes and tests); null in live mode. */
  readonly simulator: Simulator | null;
  /** The proxies whose X-Forwarded-For `/zadarma` believes: `TRUST_PROXY` (config.ts), as for Fastify. */
  readonly trustedProxies: readonly string[];
  /** This server's public base URL (`PUBLIC_BASE_URL`, else the address it listens on). */
  readonly publicBaseUrl: string;
  /** The URL Zadarma posts notifications to: `${publicBaseUrl}/zadarma`. */
  readonly webhookUrl: string;
  invalidate(): void;
}

/** The composition root's handle: the runtime plus what only start-up may change. */
export interface TelephonyRuntimeControl extends TelephonyRuntime {
  /** Called once the server listens: the real base URL (port 0 in tests) and, in demo mode, the simulator. */
  attach(options: { readonly publicBaseUrl?: string; readonly simulator?: Simulator | null }): void;
  /** Writes settings (secret sealed) and invalidates the caches. */
  update(patch: StoredTelephonySettingsPatch, now?: string): Promise<StoredTelephonySettings>;
  /** The stored settings with the decrypted secret (for the settings routes). */
  stored(): Promise<StoredTelephonySettings>;
  /**
   * Keeps this instance's cache coherent with the others: listens for `settings.changed` on `bus` (if given)
   * and checks the settings version every `intervalMs` (default 1 s). `update` then also publishes on `bus`.
   */
  watch(options?: { readonly bus?: EventBus; readonly intervalMs?: number }): void;
  /**
   * Checks the settings version once (what the watch timer runs) and drops the caches if it changed; resolves
   * with whether it did. Also flushes the count of webhooks verified with the previous secret.
   */
  checkForChanges(): Promise<boolean>;
  /** Asks Zadarma for the timezone now (single-flight) and stores it; resolves with the label. */
  refreshTimezone(): Promise<string>;
  /** Stops watching and using the client (pending requests finish). */
  close(): Promise<void>;
}

export interface CreateTelephonyRuntimeOptions {
  readonly db: Kysely<Database>;
  readonly box: SecretBox;
  readonly config: Config;
  readonly simulator?: Simulator | null;
  /** Extra client options (tests: `fetch`, timeouts, no retries). */
  readonly clientOptions?: Omit<ZadarmaClientOptions, 'key' | 'secret' | 'baseUrl'>;
  readonly now?: () => number;
  /** This instance's id (default: a new UUIDv7). */
  readonly instanceId?: string;
  /** Failures of background work (version checks, timezone refresh); the runtime keeps going. */
  readonly onError?: (error: unknown, context: string) => void;
}

/** What identifies a Zadarma client (and the account whose timezone is known), or null without credentials. */
function clientKeyOf(current: TelephonyRuntimeSettings): string | null {
  if (!current.apiKey || !current.apiSecret) {
    return null;
  }
  return `${current.apiKey}\u0000${current.apiSecret}\u0000${current.apiBaseUrl}`;
}

/**
 * Creates the runtime for one server instance.
 * Why: webhook ingest reads the secret per request; the cache keeps that off the database and the key in one place.
 */
export function createTelephonyRuntime(options: CreateTelephonyRuntimeOptions): TelephonyRuntimeControl {
  const { db, box, config } = options;
  const now = options.now ?? Date.now;
  const report = options.onError ?? (() => {});
  const instanceId = options.instanceId ?? newId();
  const mode: 'demo' | 'live' = config.demo ? 'demo' : 'live';
  let simulator: Simulator | null = options.simulator ?? null;
  let publicBaseUrl = config.publicBaseUrl.replace(/\/+$/, '');
  const trustedProxies: readonly string[] = Object.freeze([...(config.trustProxy || [])]);
  const store = createSettingsService({
    db,
    box,
    definitions: TELEPHONY_SETTINGS,
    instanceId,
    now,
    onError: report,
  });
  let settingsCache: Promise<TelephonyRuntimeSettings> | null = null;
  /** When the cached settings stop being true by themselves: the previous secret's grace ends. */
  let settingsExpireAt = Number.POSITIVE_INFINITY;
  let clientCache: { key: string; client: ZadarmaClient | null } | null = null;
  /** When Zadarma was last asked for the timezone, with which credentials. */
  let timezoneCache: { at: number; clientKey: string } | null = null;
  let timezoneRefresh: Promise<string> | null = null;
  let previousSecretUses = 0;
  let watchTimer: NodeJS.Timeout | null = null;
  let checking: Promise<boolean> | null = null;

  interface Loaded {
    readonly value: TelephonyRuntimeSettings;
    readonly expiresAt: number;
  }

  async function stored(): Promise<StoredTelephonySettings> {
    return storedFromValues(await store.read());
  }

  async function loadSettings(): Promise<Loaded> {
    const current = await stored();
    const webhook = await readWebhookStatus(db, current.webhookRegisteredAt);
    const at = now();
    const previousSecret = validPreviousSecret(current, at);
    return {
      value: {
        ...toSettingsView(current, { mode, publicBaseUrl, webhook, trustedProxies, now: at }),
        apiSecret: current.apiSecret,
        previousSecret,
        timezone: current.timezone,
        timezoneLearnedAt: current.timezoneLearnedAt,
      },
      expiresAt: previousSecret
        ? Date.parse(current.previousSecretUntil as string)
        : Number.POSITIVE_INFINITY,
    };
  }

  function settings(): Promise<TelephonyRuntimeSettings> {
    if (settingsCache && now() >= settingsExpireAt) {
      // The previous secret's grace is over: reload once, without it.
      settingsCache = null;
    }
    if (!settingsCache) {
      const loading: Promise<TelephonyRuntimeSettings> = loadSettings().then((loaded) => {
        if (settingsCache === loading) {
          settingsExpireAt = loaded.expiresAt;
        }
        return loaded.value;
      });
      settingsCache = loading;
      settingsExpireAt = Number.POSITIVE_INFINITY;
      loading.catch(() => {
        if (settingsCache === loading) {
          settingsCache = null;
        }
      });
    }
    return settingsCache;
  }

  async function client(): Promise<ZadarmaClient | null> {
    const current = await settings();
    if (!current.apiKey || !current.apiSecret) {
      return null;
    }
    const cacheKey = clientKeyOf(current) as string;
    if (clientCache?.key !== cacheKey) {
      clientCache = {
        key: cacheKey,
        client: new ZadarmaClient({
          ...options.clientOptions,
          key: current.apiKey,
          secret: current.apiSecret,
          baseUrl: current.apiBaseUrl,
        }),
      };
    }
    return clientCache.client;
  }

  async function lookUpTimezone(): Promise<string> {
    const current = await settings();
    const api = await client();
    const key = clientKeyOf(current);
    if (!api || key === null) {
      return current.timezone || FALLBACK_TIMEZONE;
    }
    try {
      const answer = await api.getTimezone({ timeoutMs: TIMEZONE_TIMEOUT_MS });
      const label = answer.timezone;
      timezoneCache = { at: now(), clientKey: key };
      if (label !== current.timezone || current.timezoneLearnedAt === null) {
        // Remember it so a restart without network still reads call_start correctly (docs/zadarma-protocol.md §1).
        await update({ timezone: label }).catch((error: unknown) =>
          report(error, 'storing the account timezone'),
        );
      }
      return label;
    } catch (error) {
      // Asked again a minute later, not on every webhook: processing goes on with the stored label.
      timezoneCache = { at: now() - TIMEZONE_TTL_MS + TIMEZONE_RETRY_MS, clientKey: key };
      report(error, 'refreshing the account timezone');
      return current.timezone || FALLBACK_TIMEZONE;
    }
  }

  function refreshTimezone(): Promise<string> {
    if (!timezoneRefresh) {
      const running = lookUpTimezone().finally(() => {
        if (timezoneRefresh === running) {
          timezoneRefresh = null;
        }
      });
      timezoneRefresh = running;
    }
    return timezoneRefresh;
  }

  async function accountTimezone(): Promise<AccountTimezone> {
    const current = await settings();
    const key = clientKeyOf(current);
    const fresh =
      timezoneCache !== null && timezoneCache.clientKey === key && now() - timezoneCache.at < TIMEZONE_TTL_MS;
    if (!fresh && key !== null) {
      // In the background: processing reads call_start with the stored label meanwhile.
      void refreshTimezone().catch((error: unknown) => report(error, 'refreshing the account timezone'));
    }
    const label = current.timezone || FALLBACK_TIMEZONE;
    return {
      label,
      confirmed: isTimezoneConfirmed({ timezone: label, timezoneLearnedAt: current.timezoneLearnedAt }),
    };
  }

  async function timezone(): Promise<string> {
    return (await accountTimezone()).label;
  }

  // The timezone's freshness is keyed by the credentials, so a settings change alone does not ask Zadarma again.
  function invalidate(): void {
    settingsCache = null;
  }
  // Whatever drops the service's cache (a write here, the bus, a version change) drops what is built on it.
  store.onChange(invalidate);

  /** Writes through the settings service: one transaction, the caches dropped, the other instances told. */
  async function update(patch: StoredTelephonySettingsPatch, at?: string): Promise<StoredTelephonySettings> {
    const time = at ?? new Date(now()).toISOString();
    return storedFromValues(await store.update((current) => telephonyChange(current, patch, time), time));
  }

  async function flushPreviousSecretUses(): Promise<void> {
    const count = previousSecretUses;
    if (count === 0) {
      return;
    }
    previousSecretUses = 0;
    try {
      await store.addToCounter(
        TELEPHONY_SETTINGS.previousSecretUses,
        count,
        TELEPHONY_SETTINGS.previousSecret,
      );
    } catch (error) {
      previousSecretUses += count;
      throw error;
    }
  }

  async function check(): Promise<boolean> {
    await flushPreviousSecretUses();
    if (!(await store.checkForChanges())) {
      return false;
    }
    // Reload at once, so the next webhook finds the new settings ready instead of waiting for them.
    await settings();
    return true;
  }

  function checkForChanges(): Promise<boolean> {
    // Single-flight: a slow database never stacks checks.
    if (!checking) {
      const running = check().finally(() => {
        checking = null;
      });
      checking = running;
    }
    return checking;
  }

  function stopWatching(): void {
    if (watchTimer) {
      clearInterval(watchTimer);
      watchTimer = null;
    }
    store.close();
  }

  return {
    settings,
    client,
    timezone,
    accountTimezone,
    instanceId,
    notePreviousSecretUse() {
      previousSecretUses += 1;
    },
    mode,
    get simulator() {
      return simulator;
    },
    trustedProxies,
    get publicBaseUrl() {
      return publicBaseUrl;
    },
    get webhookUrl() {
      return `${publicBaseUrl}/zadarma`;
    },
    invalidate,
    attach(attached) {
      if (attached.publicBaseUrl !== undefined) {
        publicBaseUrl = attached.publicBaseUrl.replace(/\/+$/, '');
      }
      if (attached.simulator !== undefined) {
        simulator = attached.simulator;
      }
      invalidate();
    },
    update,
    stored,
    watch(watchOptions = {}) {
      stopWatching();
      if (watchOptions.bus) {
        store.listen(watchOptions.bus);
      }
      watchTimer = setInterval(() => {
        checkForChanges().catch((error: unknown) => report(error, 'checking the settings version'));
      }, watchOptions.intervalMs ?? SETTINGS_POLL_MS);
      watchTimer.unref();
    },
    checkForChanges,
    refreshTimezone,
    async close() {
      stopWatching();
      await checking?.catch(() => undefined);
      await flushPreviousSecretUses().catch((error: unknown) =>
        report(error, 'counting previous-secret uses'),
      );
      // A refresh still waiting for Zadarma is left to its own timeout: closing never waits for the network.
      clientCache = null;
      timezoneCache = null;
      store.invalidate();
    },
  };
}
