/**
 * The settings page's stores: `ExtensionAssignmentRepository`, `UserDirectory` and `TelephonySettingsRepository`
 * behave alike on the Kysely adapters (both dialects; the secret sealed in the one settings table) and in memory —
 * one extension per user and one user per extension, disabled users not found, partial updates keeping the rest,
 * and bad values refused.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecretBox } from '../../../platform/crypto/secret-box.js';
import { newId } from '../../../platform/ids.js';
import { insertTestUser } from '../../../test-support/insert-user.js';
import type { ExtensionAssignmentRepository, TelephonySettingsRepository, UserDirectory } from '../ports.js';
import { type Opened, onEveryDialect } from '../test-support/contract-adapters.js';
import {
  createInMemoryExtensionAssignmentRepository,
  createInMemoryTelephonySettingsRepository,
  createInMemoryUserDirectory,
} from './in-memory-settings.js';
import { createExtensionAssignmentRepository } from './kysely-extension-assignment-repository.js';
import {
  createTelephonySettingsRepository,
  DEFAULT_TELEPHONY_SETTINGS,
} from './kysely-telephony-settings-repository.js';
import { createUserDirectory } from './kysely-user-directory.js';

interface World {
  readonly extensions: ExtensionAssignmentRepository;
  readonly users: UserDirectory;
  readonly settings: TelephonySettingsRepository;
  user(name: string): Promise<string>;
  disable(userId: string): Promise<void>;
}

const ADAPTERS = [
  ...onEveryDialect<World>(({ db }) => ({
    extensions: createExtensionAssignmentRepository(db),
    users: createUserDirectory(db),
    settings: createTelephonySettingsRepository(db, createSecretBox(randomBytes(32))),
    user: (name) => insertTestUser(db, name),
    async disable(userId) {
      await db.updateTable('users').set({ disabled: 1 }).where('id', '=', userId).execute();
    },
  })),
  {
    name: 'in-memory',
    async open(): Promise<Opened<World>> {
      const people: { id: string; name: string; disabled?: boolean }[] = [];
      return {
        extensions: createInMemoryExtensionAssignmentRepository(
          (userId) => people.find((p) => p.id === userId)?.name ?? userId,
        ),
        users: createInMemoryUserDirectory(people),
        settings: createInMemoryTelephonySettingsRepository(),
        async user(name) {
          const id = newId();
          people.push({ id, name });
          return id;
        },
        async disable(userId) {
          const person = people.find((p) => p.id === userId);
          if (person) {
            person.disabled = true;
          }
        },
        done: async () => {},
      };
    },
  },
];

describe.each(ADAPTERS)('ExtensionAssignmentRepository and UserDirectory contract: $name', ({ open }) => {
  let w: Opened<World>;
  beforeAll(async () => {
    w = await open();
  });
  afterAll(async () => {
    await w?.done();
  });

  it('assigns an extension to one user and a user to one extension, never taking one from its holder', async () => {
    const [olga, ivan, zoe] = [await w.user('Olga'), await w.user('Ivan'), await w.user('Zoé')];
    expect(await w.extensions.assign('102', ivan, '2026-09-01T09:00:00.000Z')).toEqual({
      extension: '102',
      userId: ivan,
      createdAt: '2026-09-01T09:00:00.000Z',
    });
    expect(await w.extensions.assign('101', olga, '2026-09-01T09:01:00.000Z')).not.toBeNull();
    // Taken either way: the extension, or the user.
    expect(await w.extensions.assign('101', zoe)).toBeNull();
    expect(await w.extensions.assign('103', olga)).toBeNull();
    expect(await w.extensions.assign('101', olga)).toBeNull();
    expect(await w.extensions.findUserId('101')).toBe(olga);
    expect(await w.extensions.findExtension(ivan)).toBe('102');
    expect(await w.extensions.findUserId('109')).toBeNull();
    expect(await w.extensions.findExtension(zoe)).toBeNull();
    expect(await w.extensions.list()).toEqual([
      { extension: '101', userId: olga, createdAt: '2026-09-01T09:01:00.000Z' },
      { extension: '102', userId: ivan, createdAt: '2026-09-01T09:00:00.000Z' },
    ]);
    expect(await w.extensions.listHoldings()).toEqual([
      { extension: '101', userId: olga, userName: 'Olga' },
      { extension: '102', userId: ivan, userName: 'Ivan' },
    ]);
  });

  it('frees an extension once, after which both it and its user may be assigned again', async () => {
    const olga = (await w.extensions.findUserId('101')) as string;
    const zoe = await w.user('Zoé');
    expect(await w.extensions.unassign('101')).toBe(true);
    expect(await w.extensions.unassign('101')).toBe(false);
    expect(await w.extensions.unassign('109')).toBe(false);
    expect(await w.extensions.findUserId('101')).toBeNull();
    expect(await w.extensions.findExtension(olga)).toBeNull();
    expect(await w.extensions.assign('101', zoe)).not.toBeNull();
    expect(await w.extensions.assign('103', olga)).not.toBeNull();
    expect((await w.extensions.list()).map((a) => a.extension)).toEqual(['101', '102', '103']);
  });

  it('finds an active user by id, not a disabled or unknown one', async () => {
    const [anna, boris] = [await w.user('Anna'), await w.user('Boris')];
    await w.disable(boris);
    expect(await w.users.findActive(anna)).toEqual({ id: anna, name: 'Anna' });
    expect(await w.users.findActive(boris)).toBeNull();
    expect(await w.users.findActive(newId())).toBeNull();
  });
});

describe.each(ADAPTERS)('TelephonySettingsRepository contract: $name', ({ open }) => {
  let w: Opened<World>;
  beforeAll(async () => {
    w = await open();
  });
  afterAll(async () => {
    await w?.done();
  });

  it('reads the defaults, every switch off, before anything is saved', async () => {
    expect(await w.settings.read()).toEqual(DEFAULT_TELEPHONY_SETTINGS);
  });

  it('saves a patch, keeps what it leaves out, and reads back what it answered', async () => {
    const saved = await w.settings.update(
      { apiKey: 'key123', apiSecret: 'f0e1d2c3b4a5968778f9', timezone: 'UTC+3', returnTimeout: 15 },
      '2026-09-02T09:00:00.000Z',
    );
    expect(saved).toEqual({
      ...DEFAULT_TELEPHONY_SETTINGS,
      apiKey: 'key123',
      apiSecret: 'f0e1d2c3b4a5968778f9',
      timezone: 'UTC+3',
      returnTimeout: 15,
      updatedAt: '2026-09-02T09:00:00.000Z',
    });
    const next = await w.settings.update(
      { routeToResponsible: true, blacklistEnabled: true, callerName: undefined },
      '2026-09-02T10:00:00.000Z',
    );
    expect(next).toEqual({
      ...saved,
      routeToResponsible: true,
      blacklistEnabled: true,
      callerName: false,
      updatedAt: '2026-09-02T10:00:00.000Z',
    });
    expect(await w.settings.read()).toEqual(next);
  });

  it.each([
    [{ returnTimeout: 2 }, /returnTimeout must be 0 or an integer from 3 to 600/],
    [{ returnTimeout: 601 }, /returnTimeout/],
    [{ returnTimeout: 4.5 }, /returnTimeout/],
    [{ timezone: 'Europe/Paris' }, /timezone/],
  ])('refuses %j naming the field, changing nothing', async (patch, message) => {
    const before = await w.settings.read();
    await expect(w.settings.update({ ...patch, callerName: true })).rejects.toThrow(message);
    expect(await w.settings.read()).toEqual(before);
  });

  it('takes 0 to switch the return timeout off', async () => {
    expect((await w.settings.update({ returnTimeout: 0 }, '2026-09-02T11:00:00.000Z')).returnTimeout).toBe(0);
  });
});
