/**
 * The telephony runtime: the one object routes and webhook ingest ask for the current settings, a Zadarma
 * client and the account timezone. It caches what is read on every webhook (settings, client, timezone) and
 * is invalidated by every settings write, so credentials changed on the settings page apply at once.
 */
import { ZadarmaClient, type ZadarmaClientOptions } from '@switchboard/zadarma';
import type { Simulator } from '@switchboard/zadarma-sim';
import type { Kysely } from 'kysely';
import type { Config } from '../../../config.js';
import type { SecretBox } from '../../../crypto/secret-box.js';
import type { Database } from '../../../db/schema.js';
import {
  readStoredTelephonySettings,
  readWebhookStatus,
  type StoredTelephonySettings,
  type TelephonySettingsView,
  toSettingsView,
  updateStoredTelephonySettings,
} from '../settings/telephony-settings-store.js';

const TIMEZONE_TTL_MS = 60 * 60 * 1000;
const FALLBACK_TIMEZONE = 'UTC+0';

export type TelephonyRuntimeSettings = TelephonySettingsView & {
  readonly apiSecret: string | null;
  /** The stored account timezone label (last known). */
  readonly timezone: string;
};

export interface TelephonyRuntime {
  /** Current settings (decrypted secret never leaves the server). Cached; invalidated by settings writes. */
  settings(): Promise<TelephonyRuntimeSettings>;
  /** A Zadarma client for the current key/secret/base URL, or null when not configured. */
  client(): Promise<ZadarmaClient | null>;
  /** The account timezone label (e.g. 'UTC+3') from /v1/info/timezone/, cached for 1 h; 'UTC+0' if unknown. */
  timezone(): Promise<string>;
  /** Mode: 'demo' when the built-in simulator is in use. */
  readonly mode: 'demo' | 'live';
  /** Demo only: the simulator (for the demo routes and tests); null in live mode. */
  readonly simulator: Simulator | null;
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
  update(
    patch: Parameters<typeof updateStoredTelephonySettings>[2],
    now?: string,
  ): Promise<StoredTelephonySettings>;
  /** The stored settings with the decrypted secret (for the settings routes). */
  stored(): Promise<StoredTelephonySettings>;
  /** Stops using the client (pending requests finish). */
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
}

/**
 * Creates the runtime for one server instance.
 * Why: webhook ingest reads the secret per request; the cache keeps that off the database and the key in one place.
 */
export function createTelephonyRuntime(options: CreateTelephonyRuntimeOptions): TelephonyRuntimeControl {
  const { db, box, config } = options;
  const now = options.now ?? Date.now;
  const mode: 'demo' | 'live' = config.demo ? 'demo' : 'live';
  let simulator: Simulator | null = options.simulator ?? null;
  let publicBaseUrl = config.publicBaseUrl.replace(/\/+$/, '');
  let settingsCache: Promise<TelephonyRuntimeSettings> | null = null;
  let clientCache: { key: string; client: ZadarmaClient | null } | null = null;
  let timezoneCache: { value: string; at: number; clientKey: string } | null = null;

  async function loadSettings(): Promise<TelephonyRuntimeSettings> {
    const stored = await readStoredTelephonySettings(db, box);
    const webhook = await readWebhookStatus(db, stored.webhookRegisteredAt);
    return {
      ...toSettingsView(stored, { mode, publicBaseUrl, webhook }),
      apiSecret: stored.apiSecret,
      timezone: stored.timezone,
    };
  }

  function settings(): Promise<TelephonyRuntimeSettings> {
    if (!settingsCache) {
      const loading = loadSettings();
      settingsCache = loading;
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
    const cacheKey = `${current.apiKey}\u0000${current.apiSecret}\u0000${current.apiBaseUrl}`;
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

  async function timezone(): Promise<string> {
    const current = await settings();
    const api = await client();
    const key = clientCache?.key ?? '';
    if (timezoneCache && timezoneCache.clientKey === key && now() - timezoneCache.at < TIMEZONE_TTL_MS) {
      return timezoneCache.value;
    }
    if (!api) {
      return current.timezone || FALLBACK_TIMEZONE;
    }
    try {
      const answer = await api.getTimezone({ timeoutMs: 5000 });
      const label = answer.timezone;
      timezoneCache = { value: label, at: now(), clientKey: key };
      if (label !== current.timezone) {
        // Remember it so a restart without network still reads call_start correctly (PROTOCOL.md §5.7).
        await updateStoredTelephonySettings(db, box, { timezone: label }).catch(() => undefined);
        settingsCache = null;
      }
      return label;
    } catch {
      return current.timezone || FALLBACK_TIMEZONE;
    }
  }

  function invalidate(): void {
    settingsCache = null;
    timezoneCache = null;
  }

  return {
    settings,
    client,
    timezone,
    mode,
    get simulator() {
      return simulator;
    },
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
    async update(patch, at) {
      try {
        return await updateStoredTelephonySettings(db, box, patch, at);
      } finally {
        invalidate();
      }
    },
    stored: () => readStoredTelephonySettings(db, box),
    async close() {
      clientCache = null;
      invalidate();
    },
  };
}
