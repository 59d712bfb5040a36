/**
 * The `UnitOfWork` contract: the Kysely adapter (both dialects, a transaction and the bus's staging) and the
 * in-memory one keep all of a unit or none of it, and deliver its events only once it is kept.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventBus } from '../../../platform/events/event-bus.js';
import { createInProcessEventBus } from '../../../platform/events/in-process-event-bus.js';
import { openTestDatabase, TEST_DIALECTS } from '../../../test-support/test-database.js';
import type { CallEvent } from '../domain/call-event.js';
import type { CallRepository, EventPublisher, UnitOfWork } from '../ports.js';
import { inboundAnswered, outboundAnswered } from '../test-support/call-scenarios.js';
import {
  createInMemoryCallRepository,
  createInMemoryEventPublisher,
  createInMemoryUnitOfWork,
} from './in-memory-telephony.js';
import { createCallRepository } from './kysely-call-repository.js';
import { createKyselyUnitOfWork } from './kysely-unit-of-work.js';

interface Ports {
  readonly calls: CallRepository;
  readonly publisher: EventPublisher;
}

interface Seeded {
  readonly unit: UnitOfWork<Ports>;
  readonly calls: CallRepository;
  readonly delivered: string[];
  readonly done: () => Promise<void>;
}

// On PostgreSQL also the units that commit without waiting for their WAL flush (the webhook batches').
const KYSELY_VARIANTS = [
  ...TEST_DIALECTS.map((dialect) => ({ dialect, commitWithoutFlush: false })),
  { dialect: 'postgres' as const, commitWithoutFlush: true },
];

const ADAPTERS = [
  ...KYSELY_VARIANTS.map(({ dialect, commitWithoutFlush }) => ({
    name: `kysely on ${dialect}${commitWithoutFlush ? ', commits without flush' : ''}`,
    async open(): Promise<Seeded> {
      const database = await openTestDatabase(dialect);
      const bus: EventBus = createInProcessEventBus({ db: database.db, sqlite: database.sqlite });
      const calls = createCallRepository(database.db, { sqlite: database.sqlite });
      const delivered: string[] = [];
      bus.subscribe((event) => delivered.push(event.topic));
      return {
        unit: createKyselyUnitOfWork<Ports>({
          db: database.db,
          bus,
          bind: (trx, publisher, beforeCommit) => ({ calls: calls.within(trx, beforeCommit), publisher }),
          commitWithoutFlush,
        }),
        calls,
        delivered,
        done: async () => {
          await bus.close();
          await database.cleanup();
        },
      };
    },
  })),
  {
    name: 'in-memory',
    async open(): Promise<Seeded> {
      const calls = createInMemoryCallRepository();
      const publisher = createInMemoryEventPublisher();
      const delivered: string[] = [];
      const recording: EventPublisher = {
        publish(topic, payload) {
          delivered.push(topic);
          return publisher.publish(topic, payload);
        },
      };
      return {
        unit: createInMemoryUnitOfWork<Ports>({
          publisher: recording,
          stores: [calls],
          bind: (staging) => ({ calls, publisher: staging }),
        }),
        calls,
        delivered,
        done: async () => {},
      };
    },
  },
];

describe.each(ADAPTERS)('UnitOfWork contract: $name', ({ open }) => {
  let s: Seeded;
  beforeAll(async () => {
    s = await open();
  });
  afterAll(async () => {
    await s?.done();
  });

  it('keeps a unit’s writes and delivers its events once it has finished, in order', async () => {
    const result = await s.unit.run(async (ports) => {
      await ports.calls.applyEvent(inboundAnswered[0] as CallEvent);
      await ports.publisher.publish('call.ringing', { n: 1 });
      await ports.publisher.publish('call.ended', { n: 2 });
      // Not delivered while the unit runs.
      expect(s.delivered).toEqual([]);
      return 'done';
    });
    expect(result).toBe('done');
    expect(s.delivered).toEqual(['call.ringing', 'call.ended']);
    expect(await s.calls.get(inboundAnswered[0]?.pbxCallId ?? '')).not.toBeNull();
  });

  it('keeps nothing and tells no one of a unit that throws', async () => {
    s.delivered.length = 0;
    const failed = s.unit.run(async (ports) => {
      await ports.calls.applyEvent(outboundAnswered[0] as CallEvent);
      await ports.publisher.publish('call.ringing', {});
      throw new Error('boom');
    });
    await expect(failed).rejects.toThrow('boom');
    expect(s.delivered).toEqual([]);
    expect(await s.calls.get(outboundAnswered[0]?.pbxCallId ?? '')).toBeNull();
  });

  it('gathers at once when nothing more arrives', async () => {
    await s.unit.gather(() => 0, 64);
  });
});
