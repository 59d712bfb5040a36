import type { ZadarmaClient } from '@switchboard/zadarma';
import { describe, expect, it } from 'vitest';
import { userActor } from '../../../platform/auth/actor.js';
import { AppError } from '../../../platform/errors/errors.js';
import {
  createInMemoryBlacklistRepository,
  createInMemoryExtensionAssignmentRepository,
  createInMemoryTelephonySettingsStore,
  createInMemoryUserDirectory,
  createInMemoryWebhookActivity,
} from '../adapters/in-memory-telephony.js';
import type { TelephonyDeployment, ZadarmaAccount } from '../ports.js';
import { assignExtension } from './assign-extension.js';
import { blockNumber } from './block-number.js';
import { freeExtension } from './free-extension.js';
import { listBlockedNumbers } from './list-blocked-numbers.js';
import { listExtensions } from './list-extensions.js';
import { readMyTelephony } from './read-my-telephony.js';
import { readTelephonySettings } from './read-telephony-settings.js';
import { readZadarmaBalance } from './read-zadarma-balance.js';
import { registerWebhook } from './register-webhook.js';
import { saveTelephonySettings } from './save-telephony-settings.js';
import { testZadarmaConnection } from './test-zadarma-connection.js';
import { unblockNumber } from './unblock-number.js';

const NOW = Date.parse('2026-12-01T10:00:00.000Z');
const deployment: TelephonyDeployment = {
  mode: 'live',
  publicBaseUrl: 'https://crm.example.test',
  webhookUrl: 'https://crm.example.test/zadarma',
  trustedProxies: ['10.0.0.1'],
};
const people = [
  { id: 'ada', name: 'Ada Admin' },
  { id: 'julien', name: 'Julien Moreau' },
  { id: 'gone', name: 'Gone Away', disabled: true },
];

/** A Zadarma account answering like the simulator's defaults, recording what it was asked. */
function fakeZadarma(calls: string[] = [], timezone = 'UTC+3'): ZadarmaAccount {
  const client = {
    getBalance: async () => ({ balance: 12.5, currency: 'EUR' }),
    getTimezone: async () => ({ timezone }),
    getPbxInternal: async () => ({ numbers: ['100', '101', '102'] }),
    getPbxInternalStatus: async (ext: string) => {
      if (ext === '102') {
        throw new Error('status unavailable');
      }
      return { is_online: ext === '100' };
    },
    setCallInfoUrl: async ({ url }: { url: string }) => {
      calls.push(`url ${url}`);
      return { url };
    },
    setCallInfoNotifications: async (n: Record<string, boolean>) => ({ notifications: n }),
    setWebhooksUrl: async ({ url }: { url: string }) => {
      calls.push(`events url ${url}`);
      return { url };
    },
    setWebhookHooks: async (hooks: Record<string, boolean>) => {
      calls.push(`hooks ${JSON.stringify(hooks)}`);
      return { hooks };
    },
  };
  return { client: async () => client as unknown as ZadarmaClient };
}
const unconfigured: ZadarmaAccount = { client: async () => null };

function code(error: unknown): string | undefined {
  return error instanceof AppError ? error.code : undefined;
}

function setup() {
  const settings = createInMemoryTelephonySettingsStore();
  const reading = { settings, deployment, webhooks: createInMemoryWebhookActivity(), now: () => NOW };
  return { settings, reading, users: createInMemoryUserDirectory(people) };
}

describe('saving the telephony settings', () => {
  it('stores the credentials and shows a hint of the secret, never the secret', async () => {
    const { reading, users } = setup();
    const view = await saveTelephonySettings({
      ...reading,
      users,
      zadarma: unconfigured,
      change: { apiKey: 'key-1', apiSecret: 'secret-0123456789', features: { blacklist: true } },
    });
    expect(view).toMatchObject({
      configured: true,
      apiKey: 'key-1',
      secretSet: true,
      secretHint: '••••••6789',
    });
    expect(view.features.blacklist).toBe(true);
    expect(JSON.stringify(view)).not.toContain('secret-0123456789');
  });

  it('learns the account timezone when the credentials change, and answers null when Zadarma fails', async () => {
    const { reading, users, settings } = setup();
    const saved = await saveTelephonySettings({
      ...reading,
      users,
      zadarma: fakeZadarma(),
      change: { apiKey: 'key-1', apiSecret: 'secret-0123456789' },
    });
    expect(saved.timezone).toBe('UTC+3');
    expect((await settings.stored()).timezone).toBe('UTC+3');
    const failing: ZadarmaAccount = {
      client: async () =>
        ({
          getTimezone: async () => {
            throw new Error('Zadarma is down');
          },
        }) as unknown as ZadarmaClient,
    };
    const down = await saveTelephonySettings({
      ...reading,
      users,
      zadarma: failing,
      change: { apiSecret: 'secret-9876543210' },
    });
    expect(down.timezone).toBeNull();
    expect((await settings.stored()).apiSecret).toBe('secret-9876543210');
    // A change that leaves the credentials alone asks nothing: the failing account is not called.
    expect(
      (await saveTelephonySettings({ ...reading, users, zadarma: failing, change: { returnTimeout: 15 } }))
        .timezone,
    ).toBe('UTC+3');
  });

  it('confirms an account in UTC+0, whose label is also the default a never-asked account shows', async () => {
    const { reading, users, settings } = setup();
    expect((await readTelephonySettings(reading)).timezone).toBeNull();
    const saved = await saveTelephonySettings({
      ...reading,
      users,
      zadarma: fakeZadarma([], 'UTC+0'),
      change: { apiKey: 'key-1', apiSecret: 'secret-0123456789' },
    });
    expect(saved.timezone).toBe('UTC+0');
    expect((await readTelephonySettings(reading)).timezone).toBe('UTC+0');
    expect((await settings.stored()).timezoneLearnedAt).not.toBeNull();
    // Testing the connection confirms it as well, on a store that was never told.
    const fresh = setup();
    expect((await readTelephonySettings(fresh.reading)).timezone).toBeNull();
    await testZadarmaConnection({ zadarma: fakeZadarma([], 'UTC+0'), settings: fresh.settings });
    expect((await readTelephonySettings(fresh.reading)).timezone).toBe('UTC+0');
  });

  it("forgets the previous account's timezone when another account's key is saved, kept for the same key", async () => {
    const { reading, users, settings } = setup();
    await saveTelephonySettings({
      ...reading,
      users,
      zadarma: fakeZadarma(),
      change: { apiKey: 'key-1', apiSecret: 'secret-0123456789' },
    });
    const silent: ZadarmaAccount = {
      client: async () =>
        ({
          getTimezone: async () => {
            throw new Error('no answer');
          },
        }) as unknown as ZadarmaClient,
    };
    // A new secret for the same key: the same account, its timezone still confirmed on the page.
    await saveTelephonySettings({
      ...reading,
      users,
      zadarma: silent,
      change: { apiSecret: 'secret-rotated-0001' },
    });
    expect((await readTelephonySettings(reading)).timezone).toBe('UTC+3');
    // Another account that does not answer: unconfirmed, not the previous account's UTC+3.
    const other = await saveTelephonySettings({
      ...reading,
      users,
      zadarma: silent,
      change: { apiKey: 'key-2', apiSecret: 'secret-9876543210' },
    });
    expect(other.timezone).toBeNull();
    expect((await readTelephonySettings(reading)).timezone).toBeNull();
    expect(await settings.stored()).toMatchObject({ timezone: 'UTC+0', timezoneLearnedAt: null });
    // Once it answers (here UTC+0, the default's label), confirmed.
    await saveTelephonySettings({
      ...reading,
      users,
      zadarma: fakeZadarma([], 'UTC+0'),
      change: { apiSecret: 'secret-9876543211' },
    });
    expect((await readTelephonySettings(reading)).timezone).toBe('UTC+0');
  });

  it('clears the key with an empty string', async () => {
    const { reading, users, settings } = setup();
    await settings.update({ apiKey: 'key-1' });
    expect(
      (await saveTelephonySettings({ ...reading, users, zadarma: unconfigured, change: { apiKey: '' } }))
        .apiKey,
    ).toBeNull();
  });

  it('keeps the previous secret through a planned rotation', async () => {
    const { reading, users, settings } = setup();
    await settings.update({ apiKey: 'k', apiSecret: 'old-secret-aaaa1111' });
    await saveTelephonySettings({
      ...reading,
      users,
      zadarma: unconfigured,
      change: { apiSecret: 'new-secret-bbbb2222' },
    });
    const view = await readTelephonySettings({ ...reading, now: () => Date.now() });
    expect(view.previousSecretGrace?.hint).toBe('••••••1111');
  });

  it('refuses an invalid CIDR, naming the field', async () => {
    const { reading, users } = setup();
    const saving = saveTelephonySettings({
      ...reading,
      users,
      zadarma: unconfigured,
      change: { ipAllowList: { cidrs: ['10.0.0.0/99'] } },
    });
    await expect(saving).rejects.toMatchObject({
      code: 'SB_ERR_VALIDATION',
      details: [{ path: 'ipAllowList.cidrs' }],
    });
  });

  it('refuses an edit of the env-only trusted proxies and accepts them sent back unchanged', async () => {
    const { reading, users } = setup();
    await expect(
      saveTelephonySettings({
        ...reading,
        users,
        zadarma: unconfigured,
        change: { ipAllowList: { trustedProxies: ['10.0.0.2'] } },
      }),
    ).rejects.toMatchObject({ code: 'SB_ERR_VALIDATION' });
    const view = await saveTelephonySettings({
      ...reading,
      users,
      zadarma: unconfigured,
      change: { ipAllowList: { enabled: true, trustedProxies: ['10.0.0.1'] } },
    });
    expect(view.ipAllowList).toEqual({ enabled: true, cidrs: [], trustedProxies: ['10.0.0.1'] });
  });

  it('chooses only an active user as the default responsible', async () => {
    const { reading, users } = setup();
    for (const id of ['gone', 'nobody']) {
      await expect(
        saveTelephonySettings({
          ...reading,
          users,
          zadarma: unconfigured,
          change: { defaultResponsibleUserId: id },
        }),
      ).rejects.toMatchObject({ code: 'SB_ERR_VALIDATION', details: [{ path: 'defaultResponsibleUserId' }] });
    }
    const view = await saveTelephonySettings({
      ...reading,
      users,
      zadarma: unconfigured,
      change: { defaultResponsibleUserId: 'julien' },
    });
    expect(view.defaultResponsibleUserId).toBe('julien');
    expect(
      (
        await saveTelephonySettings({
          ...reading,
          users,
          zadarma: unconfigured,
          change: { defaultResponsibleUserId: null },
        })
      ).defaultResponsibleUserId,
    ).toBeNull();
  });
});

describe('talking to Zadarma from the settings page', () => {
  it('tests the connection and stores the account timezone it learnt', async () => {
    const { settings } = setup();
    const result = await testZadarmaConnection({ zadarma: fakeZadarma(), settings });
    expect(result).toEqual({ ok: true, balance: 12.5, currency: 'EUR', timezone: 'UTC+3' });
    expect((await settings.stored()).timezone).toBe('UTC+3');
  });

  it('says telephony is not configured before credentials are set', async () => {
    const { settings } = setup();
    for (const run of [
      () => testZadarmaConnection({ zadarma: unconfigured, settings }),
      () => readZadarmaBalance({ zadarma: unconfigured }),
      () => registerWebhook({ zadarma: unconfigured, settings, deployment, now: () => 'x' }),
      () =>
        listExtensions({ zadarma: unconfigured, assignments: createInMemoryExtensionAssignmentRepository() }),
    ]) {
      expect(code(await run().catch((e: unknown) => e))).toBe('SB_ERR_TELEPHONY_NOT_CONFIGURED');
    }
  });

  it('registers this server’s /zadarma with every notification and records when', async () => {
    const { settings } = setup();
    const calls: string[] = [];
    const result = await registerWebhook({
      zadarma: fakeZadarma(calls),
      settings,
      deployment,
      now: () => '2026-12-01T10:00:00.000Z',
    });
    expect(calls).toEqual([
      'url https://crm.example.test/zadarma',
      'events url https://crm.example.test/zadarma',
      'hooks {"speech_recognition":true}',
    ]);
    expect(result.url).toBe('https://crm.example.test/zadarma');
    expect(Object.values(result.notifications)).toEqual(Array(6).fill('true'));
    expect((await settings.stored()).webhookRegisteredAt).toBe('2026-12-01T10:00:00.000Z');
  });

  it('reads the balance', async () => {
    expect(await readZadarmaBalance({ zadarma: fakeZadarma() })).toEqual({ balance: 12.5, currency: 'EUR' });
  });
});

describe('assigning extensions', () => {
  function extensions() {
    const assignments = createInMemoryExtensionAssignmentRepository(
      (id) => people.find((p) => p.id === id)?.name ?? id,
    );
    const users = createInMemoryUserDirectory([...people, { id: 'olga', name: 'Olga Smirnova' }]);
    const assign = (extension: string, userId: string) =>
      assignExtension({ assignments, users, extension, userId, now: () => '2026-12-01T10:00:00.000Z' });
    return { assignments, assign };
  }

  it('gives a free extension to an active user, and again is no change', async () => {
    const { assign, assignments } = extensions();
    expect(await assign('101', 'julien')).toEqual({
      extension: '101',
      online: null,
      userId: 'julien',
      userName: 'Julien Moreau',
    });
    expect(await assign('101', 'julien')).toMatchObject({ userId: 'julien' });
    expect(await assignments.findExtension('julien')).toBe('101');
  });

  it('refuses a taken extension or a user who has one, naming the holder', async () => {
    const { assign } = extensions();
    await assign('101', 'julien');
    await expect(assign('101', 'ada')).rejects.toMatchObject({
      code: 'SB_ERR_CONFLICT',
      message: 'extension 101 is already assigned to Julien Moreau',
    });
    await expect(assign('102', 'julien')).rejects.toMatchObject({
      code: 'SB_ERR_CONFLICT',
      message: 'Julien Moreau already has extension 101',
    });
  });

  it('refuses a disabled or unknown user', async () => {
    const { assign } = extensions();
    expect(code(await assign('103', 'gone').catch((e: unknown) => e))).toBe('SB_ERR_NOT_FOUND');
    expect(code(await assign('103', 'nobody').catch((e: unknown) => e))).toBe('SB_ERR_NOT_FOUND');
  });

  it('refuses when another admin assigned meanwhile (the store refuses the write)', async () => {
    const { assignments } = extensions();
    const users = createInMemoryUserDirectory(people);
    const racing = { ...assignments, listHoldings: async () => [] };
    await assignments.assign('101', 'julien');
    await expect(
      assignExtension({ assignments: racing, users, extension: '101', userId: 'ada', now: () => 'x' }),
    ).rejects.toMatchObject({
      code: 'SB_ERR_CONFLICT',
      message: 'extension 101 or Ada Admin was assigned meanwhile',
    });
  });

  it('frees an extension for another user', async () => {
    const { assign, assignments } = extensions();
    await assign('101', 'julien');
    expect(await freeExtension({ assignments, extension: '101' })).toMatchObject({ userId: null });
    expect(await assign('101', 'olga')).toMatchObject({ userName: 'Olga Smirnova' });
  });

  it('lists the PBX extensions with presence and holders; a failed status is unknown', async () => {
    const { assign, assignments } = extensions();
    await assign('101', 'julien');
    expect(await listExtensions({ zadarma: fakeZadarma(), assignments })).toEqual([
      { extension: '100', online: true, userId: null, userName: null },
      { extension: '101', online: false, userId: 'julien', userName: 'Julien Moreau' },
      { extension: '102', online: null, userId: null, userName: null },
    ]);
  });

  it('tells the signed-in user their extension and whether telephony is on', async () => {
    const { assign, assignments } = extensions();
    const { settings } = setup();
    await assign('101', 'julien');
    const mine = (mode: 'demo' | 'live') =>
      readMyTelephony({ settings, assignments, mode, userId: 'julien' });
    expect(await mine('live')).toEqual({ enabled: false, extension: '101', predictedCallback: false });
    expect((await mine('demo')).enabled).toBe(true);
    await settings.update({ apiKey: 'k', apiSecret: 's' });
    expect((await mine('live')).enabled).toBe(true);
  });
});

describe('the blacklist', () => {
  const defaultCountry = async () => 'FR';
  const NOW = '2026-01-15T09:00:00.000Z';
  const ADA = userActor({ id: 'ada', role: 'admin', name: 'Ada', locale: 'en' });
  const AGENT = userActor({ id: 'olga', role: 'agent', name: 'Olga', locale: 'en' });
  const base = {
    defaultCountry,
    ownNumbers: async () => ['+442037691999', '+33170000000'],
    actor: ADA,
    reason: '',
    now: NOW,
  };

  it('blocks a national number as E.164, once, saying who did', async () => {
    const blacklist = createInMemoryBlacklistRepository();
    const block = (number: string) => blockNumber({ ...base, blacklist, number, reason: 'spam' });
    const entry = await block('06 12 34 56 78');
    expect(entry).toMatchObject({ e164: '+33612345678', reason: 'spam', createdBy: 'ada', isPrefix: false });
    expect(await block('+33 6 12 34 56 78')).toEqual(entry);
  });

  it('refuses what is not a phone number, an extension, and a number of our own', async () => {
    const blacklist = createInMemoryBlacklistRepository();
    for (const [number, message] of [
      ['hello', /not a valid phone number/],
      ['101', /extension of our PBX/],
      ['+44 20 3769 1999', /one of our own numbers/],
    ] as const) {
      await expect(blockNumber({ ...base, blacklist, number })).rejects.toMatchObject({
        code: 'SB_ERR_VALIDATION',
        details: [{ path: 'number', message: expect.stringMatching(message) }],
      });
    }
  });

  it('blocks a prefix (admins only), refusing an invalid one and one that covers our own numbers', async () => {
    const blacklist = createInMemoryBlacklistRepository();
    const entry = await blockNumber({ ...base, blacklist, number: '+7 800', isPrefix: true });
    expect(entry).toMatchObject({ e164: '+7800', isPrefix: true });
    expect(await blacklist.matchCaller('+78001234567', NOW)).toBe('+7800');
    expect(await blacklist.matchCaller('+79001234567', NOW)).toBeNull();
    for (const number of ['+7', '08 00', '+7 abc']) {
      await expect(blockNumber({ ...base, blacklist, number, isPrefix: true })).rejects.toMatchObject({
        code: 'SB_ERR_VALIDATION',
      });
    }
    await expect(blockNumber({ ...base, blacklist, number: '+44 203', isPrefix: true })).rejects.toThrow(
      /\+442037691999 is one of our own numbers/,
    );
    await expect(
      blockNumber({ ...base, actor: AGENT, blacklist, number: '+7 900', isPrefix: true }),
    ).rejects.toMatchObject({ code: 'SB_ERR_FORBIDDEN' });
    expect(await blockNumber({ ...base, actor: AGENT, blacklist, number: '0699999999' })).toMatchObject({
      createdBy: 'olga',
    });
  });

  it('refuses an expiry in the past, and an entry stops blocking when it expires', async () => {
    const blacklist = createInMemoryBlacklistRepository();
    await expect(
      blockNumber({ ...base, blacklist, number: '0612345678', expiresAt: '2026-01-15T08:59:59.000Z' }),
    ).rejects.toMatchObject({ code: 'SB_ERR_VALIDATION', details: [{ path: 'expiresAt' }] });
    await blockNumber({ ...base, blacklist, number: '0612345678', expiresAt: '2026-01-16T09:00:00.000Z' });
    expect(await blacklist.matchCaller('+33612345678', NOW)).toBe('+33612345678');
    expect(await blacklist.matchCaller('+33612345678', '2026-01-16T09:00:00.000Z')).toBeNull();
  });

  it('pages in number order, filters by prefix and unblocks by id', async () => {
    const blacklist = createInMemoryBlacklistRepository();
    for (const number of ['+33612345679', '+442079460000', '+33612345678']) {
      await blockNumber({ ...base, blacklist, number });
    }
    const first = await listBlockedNumbers({ blacklist, query: { limit: 2 } });
    expect(first.items.map((e) => e.e164)).toEqual(['+33612345678', '+33612345679']);
    const rest = await listBlockedNumbers({ blacklist, query: { limit: 2, after: first.nextCursor ?? '' } });
    expect(rest).toEqual({
      items: [expect.objectContaining({ e164: '+442079460000' })],
      nextCursor: null,
      blockedCalls: 0,
    });
    const uk = await listBlockedNumbers({ blacklist, query: { limit: 10, prefix: '+44 20' } });
    expect(uk.items).toHaveLength(1);
    await unblockNumber({ blacklist, id: uk.items[0]?.id ?? '' });
    expect(await blacklist.isBlacklisted('+442079460000')).toBe(false);
    expect(code(await unblockNumber({ blacklist, id: 'nope' }).catch((e: unknown) => e))).toBe(
      'SB_ERR_NOT_FOUND',
    );
  });
});
