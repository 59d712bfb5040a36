/**
 * The `settings` key/value table read and written by definitions (setting-definitions.ts): one JSON value per
 * key, encrypted values sealed with the secret box, a write and its version bump in one transaction. The
 * settings service caches on top of this; the domain repositories that need an uncached read use it directly.
 */

import { type Kysely, sql } from 'kysely';
import type { SecretBox } from '../crypto/secret-box.js';
import type { Database } from '../db/schema.js';
import type { ErrorCode } from '../errors/errors.js';
import type { SettingDefinition, SettingValues } from './setting-definitions.js';

/**
 * The row whose value every settings write increments: the cheap "did anything change" every instance polls
 * once a second (one primary-key read).
 */
const SETTINGS_VERSION_KEY = 'settings.version';

export type Definitions = Record<string, SettingDefinition>;

/** A value refused by its definition; the message names the setting. */
export class SettingValueError extends Error {
  override readonly name = 'SettingValueError';
  readonly code: ErrorCode = 'SB_ERR_VALIDATION';
  readonly key: string;
  constructor(key: string, message: string) {
    super(`${key}: ${message}`);
    this.key = key;
  }
}

function storedKeys(definitions: Definitions): string[] {
  return Object.values(definitions)
    .filter((d) => !d.envOnly)
    .map((d) => d.key);
}

/** What a definition's value looks like in its row (JSON, sealed first when encrypted). */
function encodeSetting(definition: SettingDefinition, value: unknown, box: SecretBox): string {
  if (definition.envOnly) {
    throw new SettingValueError(definition.key, `is read from ${definition.env} only, never stored`);
  }
  const parsed = definition.schema.safeParse(value);
  if (!parsed.success) {
    throw new SettingValueError(definition.key, parsed.error.issues.map((i) => i.message).join('; '));
  }
  const data = parsed.data;
  if (definition.encrypted && typeof data === 'string') {
    return JSON.stringify(box.seal(data));
  }
  return JSON.stringify(data);
}

/**
 * A row's value for its definition. A value that no longer validates (written by an older version) reads as the
 * default; a sealed value that does not open throws (a wrong SECRET_KEY must not pass for "no secret").
 */
export function decodeSetting(definition: SettingDefinition, text: string, box: SecretBox): unknown {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return definition.default;
  }
  if (definition.encrypted && typeof raw === 'string') {
    raw = box.open(raw);
  }
  const parsed = definition.schema.safeParse(raw);
  return parsed.success ? parsed.data : definition.default;
}

/** Reads the values of `definitions` (stored over defaults; env-only ones at their default). */
export async function readSettingValues<D extends Definitions>(
  db: Kysely<Database>,
  box: SecretBox,
  definitions: D,
): Promise<SettingValues<D>> {
  const keys = storedKeys(definitions);
  // `in ()` is a syntax error on PostgreSQL: env-only sets read nothing.
  const rows =
    keys.length === 0
      ? []
      : await db.selectFrom('settings').select(['key', 'value']).where('key', 'in', keys).execute();
  const byKey = new Map(rows.map((r) => [r.key, r.value]));
  const values: Record<string, unknown> = {};
  for (const [name, definition] of Object.entries(definitions)) {
    const text = byKey.get(definition.key);
    values[name] = text === undefined ? definition.default : decodeSetting(definition, text, box);
  }
  return values as SettingValues<D>;
}

/** The settings version, 0 before the first write. */
export async function readSettingsVersion(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', SETTINGS_VERSION_KEY)
    .executeTakeFirst();
  return row ? Number(row.value) || 0 : 0;
}

/** Increments the version in the database (never read-modify-written: two writers both bump it). */
async function bumpVersion(db: Kysely<Database>, now: string): Promise<void> {
  await db
    .insertInto('settings')
    .values({ key: SETTINGS_VERSION_KEY, value: '1', updated_at: now })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        value: sql<string>`cast(cast(settings.value as integer) + 1 as text)`,
        updated_at: now,
      }),
    )
    .execute();
}

/**
 * Reads the current values and writes what `change` returns, with the version bump, in one transaction; resolves
 * with the values after the write. `change` runs inside the transaction and must not query through another
 * handle (SQLite: that would wait for the connection the transaction holds).
 * Why: a setting that depends on another (a rotated secret keeps its predecessor) is decided from what is
 * stored at that instant, and a reader never sees half a change.
 */
export async function writeSettingValues<D extends Definitions>(
  db: Kysely<Database>,
  box: SecretBox,
  definitions: D,
  change: (current: SettingValues<D>) => Partial<SettingValues<D>>,
  now: string,
): Promise<SettingValues<D>> {
  return db.transaction().execute((trx) => writeSettingValuesWithin(trx, box, definitions, change, now));
}

/**
 * `writeSettingValues` inside a transaction the caller holds (`trx`): the values, the change and the version bump
 * commit or roll back with the caller's work. Why: the demo seeds its company settings with its records.
 */
export async function writeSettingValuesWithin<D extends Definitions>(
  trx: Kysely<Database>,
  box: SecretBox,
  definitions: D,
  change: (current: SettingValues<D>) => Partial<SettingValues<D>>,
  now: string,
): Promise<SettingValues<D>> {
  {
    const current = await readSettingValues(trx, box, definitions);
    const patch = change(current);
    const rows: { key: string; value: string; updated_at: string }[] = [];
    for (const [name, value] of Object.entries(patch)) {
      const definition = definitions[name];
      if (!definition || value === undefined) {
        continue;
      }
      rows.push({ key: definition.key, value: encodeSetting(definition, value, box), updated_at: now });
    }
    if (rows.length > 0) {
      await trx
        .insertInto('settings')
        .values(rows)
        .onConflict((oc) =>
          oc.column('key').doUpdateSet((eb) => ({
            value: eb.ref('excluded.value'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
    }
    await bumpVersion(trx, now);
    return { ...current, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
  }
}

/**
 * Adds `count` to a counter setting without bumping the version, only while `whileSet` (a nullable setting) is
 * set. Why: a tally kept off the hot path (webhooks verified with a previous secret) is not a settings change,
 * so no instance should reload for it.
 */
export async function addToSettingCounter(
  db: Kysely<Database>,
  counter: SettingDefinition<number>,
  count: number,
  whileSet: SettingDefinition,
  now: string,
): Promise<void> {
  await db
    .updateTable('settings')
    .set({ value: sql<string>`cast(cast(settings.value as integer) + ${count} as text)`, updated_at: now })
    .where('key', '=', counter.key)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('settings as s')
          .select('s.key')
          .where('s.key', '=', whileSet.key)
          .where('s.value', '!=', 'null'),
      ),
    )
    .execute();
}
