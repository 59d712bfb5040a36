/**
 * The one settings service: reads a set of definitions (setting-definitions.ts) through a cache, writes them in
 * one transaction, and keeps the cache coherent across instances — a write here drops it at once, a write
 * elsewhere through a `settings.changed` bus event (PostgreSQL) and, as the safety net that also covers several
 * processes on one SQLite file, the settings version each instance checks once a second.
 */
import type { Kysely } from 'kysely';
import type { SecretBox } from '../crypto/secret-box.js';
import type { Database } from '../db/schema.js';
import type { EventBus } from '../events/event-bus.js';
import type { SettingDefinition, SettingValues } from './setting-definitions.js';
import {
  addToSettingCounter,
  type Definitions,
  readSettingsVersion,
  readSettingValues,
  writeSettingValues,
  writeSettingValuesWithin,
} from './settings-storage.js';

/** The bus topic telling every instance that settings changed (payload: the writer's instance id). */
const SETTINGS_CHANGED_TOPIC = 'settings.changed';

export interface SettingsService<D extends Definitions> {
  /** The definitions this service serves. */
  readonly definitions: D;
  /** The current values (encrypted ones opened). Cached until a write, here or on another instance. */
  read(): Promise<SettingValues<D>>;
  /**
   * Writes what `change` returns for the values stored at that instant, in one transaction with the version
   * bump; drops the cache and tells the other instances. Resolves with the values written.
   */
  update(
    change: (current: SettingValues<D>) => Partial<SettingValues<D>>,
    now?: string,
  ): Promise<SettingValues<D>>;
  /**
   * `update` inside the caller's open transaction `trx` (of this service's database): written, with the version
   * bump, only if that transaction commits. The cache is dropped now; a reader that reloads before the commit
   * sees the version move afterwards and reloads again on its next check.
   */
  updateWithin(
    trx: Kysely<Database>,
    change: (current: SettingValues<D>) => Partial<SettingValues<D>>,
    now?: string,
  ): Promise<SettingValues<D>>;
  /** Adds to a counter setting while another one is set, without a version bump (see addToSettingCounter). */
  addToCounter(counter: SettingDefinition<number>, count: number, whileSet: SettingDefinition): Promise<void>;
  /** Checks the version once (single-flight); drops the cache and resolves true when another instance wrote. */
  checkForChanges(): Promise<boolean>;
  /** Calls `listener` whenever the cache is dropped (a write here, the bus, a version change). */
  onChange(listener: () => void): () => void;
  /** Listens for `settings.changed` on `bus`; `update` then also publishes there. */
  listen(bus: EventBus): void;
  /** Drops the cache. */
  invalidate(): void;
  /** Stops listening to the bus. */
  close(): void;
}

export interface CreateSettingsServiceOptions<D extends Definitions> {
  readonly db: Kysely<Database>;
  readonly box: SecretBox;
  readonly definitions: D;
  /** Who writes, in `settings.changed` payloads (an instance ignores its own announcements). */
  readonly instanceId: string;
  readonly now?: () => number;
  readonly onError?: (error: unknown, context: string) => void;
}

/**
 * Creates the settings service of one instance for `definitions`.
 * Why: every instance reads settings on hot paths (each webhook); the cache keeps them off the database, and the
 * version check and bus event keep what it serves true within a second of a write anywhere.
 */
export function createSettingsService<D extends Definitions>(
  options: CreateSettingsServiceOptions<D>,
): SettingsService<D> {
  const { db, box, definitions, instanceId } = options;
  const now = options.now ?? Date.now;
  const report = options.onError ?? (() => {});
  const listeners = new Set<() => void>();
  let cache: Promise<SettingValues<D>> | null = null;
  /** The version the cache was loaded at (null: unknown before the first read or check). */
  let knownVersion: number | null = null;
  let checking: Promise<boolean> | null = null;
  let bus: EventBus | null = null;
  let unsubscribe: (() => void) | null = null;

  function invalidate(): void {
    cache = null;
    for (const listener of listeners) {
      listener();
    }
  }

  async function load(): Promise<{ values: SettingValues<D>; version: number }> {
    // The version first: a write landing during the read bumps it past this one, so the next check reloads
    // (read after, it could pair old values with the new version and miss the change for good).
    const version = await readSettingsVersion(db);
    return { values: await readSettingValues(db, box, definitions), version };
  }

  function read(): Promise<SettingValues<D>> {
    if (!cache) {
      const loading: Promise<SettingValues<D>> = load().then(({ values, version }) => {
        if (cache === loading) {
          knownVersion = knownVersion === null ? version : Math.max(knownVersion, version);
        }
        return values;
      });
      cache = loading;
      loading.catch(() => {
        if (cache === loading) {
          cache = null;
        }
      });
    }
    return cache;
  }

  function announce(): void {
    bus
      ?.publish(SETTINGS_CHANGED_TOPIC, { instanceId })
      .catch((error: unknown) => report(error, 'announcing a settings change'));
  }

  async function check(): Promise<boolean> {
    const version = await readSettingsVersion(db);
    if (knownVersion === null) {
      knownVersion = version;
      return false;
    }
    if (version === knownVersion) {
      return false;
    }
    knownVersion = version;
    invalidate();
    return true;
  }

  return {
    definitions,
    read,
    async update(change, at) {
      try {
        return await writeSettingValues(db, box, definitions, change, at ?? new Date(now()).toISOString());
      } finally {
        invalidate();
        announce();
      }
    },
    async updateWithin(trx, change, at) {
      try {
        return await writeSettingValuesWithin(
          trx,
          box,
          definitions,
          change,
          at ?? new Date(now()).toISOString(),
        );
      } finally {
        invalidate();
      }
    },
    addToCounter(counter, count, whileSet) {
      return addToSettingCounter(db, counter, count, whileSet, new Date(now()).toISOString());
    },
    checkForChanges() {
      if (!checking) {
        const running = check().finally(() => {
          checking = null;
        });
        checking = running;
      }
      return checking;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    listen(target) {
      unsubscribe?.();
      bus = target;
      unsubscribe = target.subscribe(
        (event) => {
          const from = (event.payload as { instanceId?: unknown } | null)?.instanceId;
          if (from !== instanceId) {
            invalidate();
          }
        },
        { topics: [SETTINGS_CHANGED_TOPIC] },
      );
    },
    invalidate,
    close() {
      unsubscribe?.();
      unsubscribe = null;
      bus = null;
    },
  };
}

/** `••••••3f9a`: enough for an admin to recognise a sensitive value, never enough to use it. */
export function sensitiveHint(value: string | null): string | null {
  if (!value) {
    return null;
  }
  return `••••••${value.length > 8 ? value.slice(-4) : ''}`;
}

/**
 * The values of `definitions` fit to leave the server: sensitive ones replaced by their hint.
 * Why: the one place that decides what of a setting may reach a response or a log line.
 */
export function redactedSettings<D extends Definitions>(
  definitions: D,
  values: SettingValues<D>,
): Record<keyof D, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, definition] of Object.entries(definitions)) {
    const value = (values as Record<string, unknown>)[name];
    out[name] = definition.sensitive ? sensitiveHint(typeof value === 'string' ? value : null) : value;
  }
  return out as Record<keyof D, unknown>;
}
