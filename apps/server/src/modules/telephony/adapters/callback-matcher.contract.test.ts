/**
 * The `CallbackMatcher` contract (with `remember`, the `CallbackRequestLog`): the adapter on the event bus and
 * the events table (both dialects) and the in-memory one match a callback's legs to the click alike.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInProcessEventBus } from '../../../platform/events/in-process-event-bus.js';
import { insertTestUser } from '../../../test-support/insert-user.js';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../../test-support/test-database.js';
import type { CallbackRequest, CallbackRequestLog } from '../ports.js';
import { createCallbackRequests } from './callback-requests.js';
import { createInMemoryCallbackRequests } from './in-memory-telephony.js';

interface Opened {
  readonly log: CallbackRequestLog;
  readonly userId: string;
  readonly done: () => Promise<void>;
}

async function openKysely(dialect: 'sqlite' | 'postgres') {
  const database = await openTestDatabase(dialect);
  const bus = createInProcessEventBus({ db: database.db, sqlite: database.sqlite });
  return { database, bus, userId: await insertTestUser(database.db, 'Olga') };
}

const ADAPTERS = [
  ...TEST_DIALECTS.map((dialect) => ({
    name: `events table on ${dialect}`,
    async open(): Promise<Opened> {
      const { database, bus, userId } = await openKysely(dialect);
      return {
        log: createCallbackRequests({ database, bus }),
        userId,
        done: async () => {
          await bus.close();
          await database.cleanup();
        },
      };
    },
  })),
  {
    name: 'in-memory',
    open: async (): Promise<Opened> => ({
      log: createInMemoryCallbackRequests(),
      userId: 'u-olga',
      done: async () => {},
    }),
  },
];

const CLICK = '2026-01-15T09:00:00.000Z';
const after = (ms: number) => new Date(Date.parse(CLICK) + ms).toISOString();

describe.each(ADAPTERS)('CallbackMatcher and CallbackRequestLog contract: $name', ({ open }) => {
  let o: Opened;
  let request: CallbackRequest;
  beforeAll(async () => {
    o = await open();
    request = {
      requestId: 'req-1',
      userId: o.userId,
      extension: '101',
      to: '+33612345678',
      contactId: null,
      at: CLICK,
    };
    await o.log.remember(request);
  });
  afterAll(async () => {
    await o?.done();
  });

  const leg = (pbxCallId: string, extension: string | null, to: string | null, firstSeenAt: string) =>
    o.log.match({ pbxCallId, extension, destinationE164: to, firstSeenAt });

  it('matches a leg from the extension to the number, first seen shortly after the click', async () => {
    expect(await leg('cb-1', '101', '+33612345678', after(3_000))).toEqual(request);
    // The extension may not be known yet on the first leg.
    expect(await leg('cb-2', null, '+33612345678', after(1_000))).toEqual(request);
    // Two machines' clocks: a leg stamped a little before the click still belongs to it.
    expect(await leg('cb-3', '101', '+33612345678', after(-4_000))).toEqual(request);
  });

  it('matches nothing for another extension, another number, or a leg long after the click', async () => {
    expect(await leg('cb-4', '102', '+33612345678', after(3_000))).toBeNull();
    expect(await leg('cb-5', '101', '+33698765432', after(3_000))).toBeNull();
    expect(await leg('cb-6', '101', '+33612345678', after(121_000))).toBeNull();
    expect(await leg('cb-7', '101', '+33612345678', after(-6_000))).toBeNull();
  });

  it('keeps a call matched once, whatever its later legs say', async () => {
    expect(await leg('cb-1', '105', null, after(500_000))).toEqual(request);
  });

  it('prefers the latest click when two fit', async () => {
    const again = { ...request, requestId: 'req-2', at: after(10_000) };
    await o.log.remember(again);
    expect(await leg('cb-8', '101', '+33612345678', after(12_000))).toEqual(again);
  });
});

describe.each(TEST_DIALECTS)('CallbackMatcher on the events table (%s)', (dialect) => {
  let k: Awaited<ReturnType<typeof openKysely>>;
  let database: TestDatabase;
  beforeAll(async () => {
    k = await openKysely(dialect);
    database = k.database;
  });
  afterAll(async () => {
    await k?.bus.close();
    await database?.cleanup();
  });

  it('matches a click another instance remembered', async () => {
    const request = {
      requestId: 'req-other',
      userId: k.userId,
      extension: '103',
      to: '+442037691880',
      contactId: null,
      at: new Date().toISOString(),
    };
    await createCallbackRequests({ database, bus: k.bus }).remember(request);
    const here = createCallbackRequests({ database, bus: k.bus });
    expect(
      await here.match({
        pbxCallId: 'cb-other',
        extension: '103',
        destinationE164: '+442037691880',
        firstSeenAt: new Date(Date.parse(request.at) + 2_000).toISOString(),
      }),
    ).toEqual(request);
  });
});
