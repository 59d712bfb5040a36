/**
 * The real side of a port's contract suite: one entry per dialect, each opening a fresh test database, building
 * the adapters over it, and dropping it afterwards. Why: every `adapters/*.contract.test.ts` lists the same
 * dialects the same way.
 */
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../../test-support/test-database.js';

/** An adapter under contract, opened; `done` releases what it holds. */
export type Opened<T> = T & { readonly done: () => Promise<void> };

/** `build` over a fresh database of each dialect, named `${label} on ${dialect}`. */
export function onEveryDialect<T>(
  build: (database: TestDatabase) => Promise<T> | T,
  label = 'kysely',
): { name: string; open: () => Promise<Opened<T>> }[] {
  return TEST_DIALECTS.map((dialect) => ({
    name: `${label} on ${dialect}`,
    async open() {
      const database = await openTestDatabase(dialect);
      return { ...(await build(database)), done: () => database.cleanup() };
    },
  }));
}
