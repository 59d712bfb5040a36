/**
 * A Kysely query built and compiled once per dialect, then run with new parameters. Why: Kysely builds an
 * operation tree and compiles it to SQL on every call (~0.1 ms for a small query on this machine, more than
 * SQLite takes to run it), which was most of the after-call job's CPU; the SQL text is the same each time, and on
 * SQLite `database.ts` then reuses the native prepared statement too. Works on both dialects and inside
 * transactions (the compiled query runs through the given `db` or transaction).
 */
import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import type { Database } from './schema.js';

/** A placeholder standing for the i-th argument while the query is built (a string no caller would send). */
const slot = (index: number) => `\u0000sb-prepared-${index}\u0000`;

type Args = readonly unknown[];

/**
 * `build` receives placeholders (typed as the arguments) and returns the query; each placeholder must be used as
 * a plain value (a comparison's right side, an inserted or SET value), never in an `in (…)` list, never as a
 * column name. The returned function runs the query with real arguments and returns its rows and counts.
 */
export function preparedQuery<A extends Args, R>(
  build: (db: Kysely<Database>, ...args: A) => Compilable<R>,
): (db: Kysely<Database>, ...args: A) => Promise<{ rows: R[]; numAffectedRows?: bigint }> {
  const compiled = new WeakMap<object, { query: CompiledQuery<R>; slots: (number | null)[] }>();
  return async (db, ...args) => {
    const key = db.getExecutor().adapter;
    let entry = compiled.get(key);
    if (!entry) {
      const placeholders = args.map((_, index) => slot(index)) as unknown as A;
      const query = build(db, ...placeholders).compile();
      // Which parameter is which argument; the others are the query's own constants.
      const slots = query.parameters.map((value) => {
        const index = placeholders.indexOf(value);
        return index >= 0 ? index : null;
      });
      entry = { query, slots };
      compiled.set(key, entry);
    }
    const { query, slots } = entry;
    const parameters = query.parameters.map((value, i) => {
      const index = slots[i];
      return index === null || index === undefined ? value : args[index];
    });
    const result = await db.executeQuery<R>({ ...query, parameters });
    return {
      rows: result.rows,
      ...(result.numAffectedRows !== undefined ? { numAffectedRows: result.numAffectedRows } : {}),
    };
  };
}
