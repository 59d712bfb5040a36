/**
 * The `ExtensionPresence` port over Zadarma: each assigned extension's registration state
 * (`GET /v1/pbx/internal/{ext}/status/`, `is_online`, docs/zadarma-protocol.md §4.3) kept in memory and refreshed
 * in the background — never on the NOTIFY_START path, which reads the last known state synchronously. The PBX's
 * own events add to it: an extension that answered a call (NOTIFY_ANSWER) is registered.
 */
import type { ZadarmaClient } from '@switchboard/zadarma';
import type { ExtensionPresence } from '../../ports.js';

/** How often the states are refreshed: well inside Zadarma's 100 requests a minute for a few dozen extensions. */
const REFRESH_MS = 60_000;
/** At most this many extensions asked per refresh (the rest next time), so a big PBX never drains the budget. */
const MAX_PER_REFRESH = 40;
/** A state older than this is no longer believed (unknown: the call is tried, `return_timeout` covers it). */
const STALE_MS = 5 * REFRESH_MS;

export interface ExtensionPresenceCache extends ExtensionPresence {
  /** Asks Zadarma for every assigned extension's state now (single-flight). */
  refresh(): Promise<void>;
  start(): void;
  stop(): void;
}

export interface ExtensionPresenceOptions {
  /** A client for the current credentials, null while telephony is not configured. */
  readonly client: () => Promise<ZadarmaClient | null>;
  /** The extensions worth asking about: those assigned to users. */
  readonly extensions: () => Promise<readonly string[]>;
  /** Whether anything reads the states (the routing chain is on): otherwise no request is made. */
  readonly wanted: () => Promise<boolean>;
  readonly now?: () => number;
  readonly intervalMs?: number;
  readonly onError?: (error: unknown, context: string) => void;
}

/** Creates the cache. Why: the routing chain skips offline extensions without waiting for the network. */
export function createExtensionPresence(options: ExtensionPresenceOptions): ExtensionPresenceCache {
  const now = options.now ?? Date.now;
  const states = new Map<string, { online: boolean; at: number }>();
  let running: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let cursor = 0;

  async function refreshOnce(): Promise<void> {
    if (!(await options.wanted())) {
      return;
    }
    const api = await options.client();
    if (!api) {
      return;
    }
    const all = await options.extensions();
    const batch =
      all.length <= MAX_PER_REFRESH
        ? all
        : Array.from({ length: MAX_PER_REFRESH }, (_, i) => all[(cursor + i) % all.length] as string);
    cursor = all.length === 0 ? 0 : (cursor + batch.length) % all.length;
    for (const extension of batch) {
      try {
        const answer = await api.getPbxInternalStatus(extension, { timeoutMs: 5000 });
        states.set(extension, { online: answer.is_online, at: now() });
      } catch (error) {
        // One unknown extension (or a hiccup) must not stop the others from being refreshed.
        states.delete(extension);
        options.onError?.(error, `reading the status of extension ${extension}`);
      }
    }
  }

  function refresh(): Promise<void> {
    running ??= refreshOnce().finally(() => {
      running = null;
    });
    return running;
  }

  return {
    online(extension) {
      const state = states.get(extension);
      return state && now() - state.at < STALE_MS ? state.online : null;
    },
    noteAnswered(extension) {
      states.set(extension, { online: true, at: now() });
    },
    refresh,
    start() {
      if (timer) {
        return;
      }
      void refresh().catch((error: unknown) => options.onError?.(error, 'refreshing extension presence'));
      timer = setInterval(() => {
        refresh().catch((error: unknown) => options.onError?.(error, 'refreshing extension presence'));
      }, options.intervalMs ?? REFRESH_MS);
      timer.unref();
    },
    stop() {
      if (timer) {
        clearInterval(timer);
        timer = null;
      }
    },
  };
}
