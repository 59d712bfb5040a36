/**
 * click-to-call on the in-memory adapters: who may call, what is refused before the PBX is asked, and the
 * request remembered before the callback is placed.
 */
import { describe, expect, it } from 'vitest';
import { systemActor, userActor } from '../../../platform/auth/actor.js';
import { AppError } from '../../../platform/errors/errors.js';
import {
  createInMemoryCallbackRequests,
  createInMemoryContactLookup,
  createInMemoryExtensionDirectory,
  createInMemoryTelephonyProvider,
  createInMemoryTelephonySettingsReader,
  createManualClock,
} from '../adapters/in-memory-telephony.js';
import { type ClickToCallInput, clickToCall } from './click-to-call.js';

const olga = userActor({ id: 'u-olga', role: 'agent', name: 'Olga', locale: 'en' });
const base = { responsibleUserId: null, companyName: null };

function setUp(provider = createInMemoryTelephonyProvider()) {
  const directory = createInMemoryExtensionDirectory();
  directory.assign('101', olga.id, 'Olga');
  const callbacks = createInMemoryCallbackRequests();
  const ports = {
    directory,
    settings: createInMemoryTelephonySettingsReader({ defaultCountry: 'FR' }),
    contacts: createInMemoryContactLookup([
      { ...base, id: 'c-jean', displayName: 'Jean Dupont', doNotCall: false, phones: ['+33612345678'] },
      { ...base, id: 'c-zoe', displayName: 'Zoé Martin', doNotCall: true, phones: ['+33698765432'] },
    ]),
    callbacks,
    provider,
    clock: createManualClock(Date.parse('2026-01-15T09:00:00.000Z')),
  };
  const call = (input: ClickToCallInput, actor = olga as Parameters<typeof clickToCall>[0]['actor']) =>
    clickToCall({ ...ports, actor, input });
  const codeOf = (input: ClickToCallInput, actor?: Parameters<typeof clickToCall>[0]['actor']) =>
    call(input, actor).then(
      () => null,
      (error: unknown) => (error instanceof AppError ? error.code : String(error)),
    );
  return { call, codeOf, callbacks, provider };
}

describe('click-to-call', () => {
  it('rings the user’s extension, then the number in E.164, and remembers the request first', async () => {
    const t = setUp();
    const result = await t.call({ phone: '06 12 34 56 78' });
    expect(result).toEqual({ requestId: expect.any(String), from: '101', to: '+33612345678' });
    expect(t.provider.placed).toEqual([{ from: '101', to: '+33612345678' }]);
    expect(t.callbacks.requests).toEqual([
      {
        requestId: result.requestId,
        userId: olga.id,
        extension: '101',
        to: '+33612345678',
        contactId: 'c-jean',
        at: '2026-01-15T09:00:00.000Z',
      },
    ]);
  });

  it('refuses a do-not-call contact unless confirmed, found by number or named by id', async () => {
    const t = setUp();
    expect(await t.codeOf({ phone: '+33 6 98 76 54 32' })).toBe('SB_ERR_DO_NOT_CALL');
    expect(await t.codeOf({ phone: '0612345678', contactId: 'c-zoe' })).toBe('SB_ERR_DO_NOT_CALL');
    expect(t.provider.placed).toEqual([]);
    await t.call({ phone: '+33 6 98 76 54 32', confirmDoNotCall: true });
    expect(t.provider.placed).toEqual([{ from: '101', to: '+33698765432' }]);
    expect(t.callbacks.requests.at(-1)?.contactId).toBe('c-zoe');
  });

  it('refuses before asking the PBX: no extension, the system, an API client, a bad number, an unknown contact', async () => {
    const t = setUp();
    const stranger = userActor({ id: 'u-none', role: 'admin', name: 'Ada', locale: 'en' });
    const apiClient = { kind: 'api-client', id: 'key-1', scopes: [] } as const;
    expect(await t.codeOf({ phone: '0612345678' }, stranger)).toBe('SB_ERR_NO_EXTENSION');
    expect(await t.codeOf({ phone: '0612345678' }, systemActor('test'))).toBe('SB_ERR_NO_EXTENSION');
    expect(await t.codeOf({ phone: '0612345678' }, apiClient)).toBe('SB_ERR_FORBIDDEN');
    expect(await t.codeOf({ phone: '101' })).toBe('SB_ERR_VALIDATION');
    expect(await t.codeOf({ phone: '0612345678', contactId: 'c-gone' })).toBe('SB_ERR_NOT_FOUND');
    expect(t.provider.placed).toEqual([]);
    expect(t.callbacks.requests).toEqual([]);
  });

  it('says telephony is not configured, remembering nothing', async () => {
    const t = setUp(createInMemoryTelephonyProvider({ configured: false }));
    expect(await t.codeOf({ phone: '0612345678' })).toBe('SB_ERR_TELEPHONY_NOT_CONFIGURED');
    expect(t.callbacks.requests).toEqual([]);
  });

  it('passes the provider’s refusal on to the caller', async () => {
    const refused = new AppError('SB_ERR_INSUFFICIENT_BALANCE', 'not enough money');
    const t = setUp(createInMemoryTelephonyProvider({ failWith: refused }));
    expect(await t.codeOf({ phone: '0612345678' })).toBe('SB_ERR_INSUFFICIENT_BALANCE');
  });
});
