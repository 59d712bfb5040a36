/**
 * The `ExtensionDirectory` contract: the Kysely/SQLite adapter (both dialects) and the in-memory one answer alike.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertTestUser } from '../../../test-support/insert-user.js';
import { openTestDatabase, TEST_DIALECTS } from '../../../test-support/test-database.js';
import type { ExtensionDirectory } from '../ports.js';
import { createInMemoryExtensionDirectory } from './in-memory-telephony.js';
import { createExtensionAssignmentRepository } from './kysely-extension-assignment-repository.js';
import { createKyselyExtensionDirectory } from './kysely-extension-directory.js';

interface Seeded {
  readonly directory: ExtensionDirectory;
  readonly olga: string;
  readonly tom: string;
  readonly done: () => Promise<void>;
}

const ADAPTERS = [
  ...TEST_DIALECTS.flatMap((dialect) =>
    [true, false].map((prepared) => ({
      name: `kysely on ${dialect}${dialect === 'sqlite' ? (prepared ? ' (prepared statements)' : ' (query builder)') : ''}`,
      skipDuplicate: dialect === 'postgres' && !prepared,
      async open(): Promise<Seeded> {
        const database = await openTestDatabase(dialect);
        const olga = await insertTestUser(database.db, 'Olga');
        const tom = await insertTestUser(database.db, 'Tom');
        const assignments = createExtensionAssignmentRepository(database.db);
        await assignments.assign('101', olga);
        await assignments.assign('102', tom);
        return {
          directory: createKyselyExtensionDirectory(database.db, prepared ? database.sqlite : null),
          olga,
          tom,
          done: () => database.cleanup(),
        };
      },
    })),
  ).filter((adapter) => !adapter.skipDuplicate),
  {
    name: 'in-memory',
    async open(): Promise<Seeded> {
      const directory = createInMemoryExtensionDirectory();
      directory.assign('101', 'u-olga', 'Olga');
      directory.assign('102', 'u-tom', 'Tom');
      return { directory, olga: 'u-olga', tom: 'u-tom', done: async () => {} };
    },
  },
];

describe.each(ADAPTERS)('ExtensionDirectory contract: $name', ({ open }) => {
  let s: Seeded;
  beforeAll(async () => {
    s = await open();
  });
  afterAll(async () => {
    await s?.done();
  });

  it('maps extensions to users and back, and names users', async () => {
    expect(await s.directory.userOf('101')).toBe(s.olga);
    expect(await s.directory.userOf('999')).toBeNull();
    expect(await s.directory.extensionOf(s.tom)).toBe('102');
    expect(await s.directory.extensionOf('nobody')).toBeNull();
    expect(await s.directory.nameOf(s.olga)).toBe('Olga');
    expect(await s.directory.nameOf('nobody')).toBeNull();
  });

  it('maps several extensions at once, leaving out those nobody holds', async () => {
    const users = await s.directory.usersOf(['101', '102', '999']);
    expect(Object.fromEntries(users)).toEqual({ '101': s.olga, '102': s.tom });
    expect((await s.directory.usersOf([])).size).toBe(0);
  });
});
