/**
 * The `InboxClaims` contract: the Kysely adapter (both dialects) and the in-memory one take over stranded
 * inbox entries alike — oldest first, each once, only `received` ones from before the cut-off.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, TEST_DIALECTS } from '../../../test-support/test-database.js';
import type { InboxClaims, InboxRepository } from '../ports.js';
import { createInMemoryInboxClaims, createInMemoryInboxRepository } from './in-memory-telephony.js';
import { createInboxRepository } from './kysely-inbox-repository.js';
import { createKyselyInboxClaims } from './server-instances.js';

interface Opened {
  /** Where a previous run (no owner) stored its entries. */
  readonly inbox: InboxRepository;
  readonly claims: InboxClaims;
  readonly done: () => Promise<void>;
}

const ADAPTERS = [
  ...TEST_DIALECTS.map((dialect) => ({
    name: `kysely on ${dialect}`,
    async open(): Promise<Opened> {
      const database = await openTestDatabase(dialect);
      return {
        inbox: createInboxRepository(database.db),
        claims: createKyselyInboxClaims(database.db, 'instance-b'),
        done: () => database.cleanup(),
      };
    },
  })),
  {
    name: 'in-memory',
    async open(): Promise<Opened> {
      const inbox = createInMemoryInboxRepository();
      return { inbox, claims: createInMemoryInboxClaims(inbox, 'instance-b'), done: async () => {} };
    },
  },
];

const at = (second: number) => new Date(Date.parse('2026-01-15T09:00:00.000Z') + second * 1000).toISOString();

describe.each(ADAPTERS)('InboxClaims contract: $name', ({ open }) => {
  let o: Opened;
  const ids: string[] = [];
  beforeAll(async () => {
    o = await open();
    for (let i = 0; i < 5; i++) {
      const entry = await o.inbox.append({
        receivedAt: at(i),
        remoteIp: null,
        event: 'NOTIFY_END',
        pbxCallId: `in_${i}`,
        body: `event=NOTIFY_END&pbx_call_id=in_${i}`,
        contentType: 'application/x-www-form-urlencoded',
        signatureValid: i !== 3,
        status: i === 3 ? 'rejected' : 'received',
      });
      ids.push(entry.id);
    }
    await o.inbox.markProcessed(ids[1] ?? '', at(10));
  });
  afterAll(async () => {
    await o?.done();
  });

  it('names its instance and a lease, and beats', async () => {
    expect(o.claims.instanceId).toBe('instance-b');
    expect(o.claims.leaseMs).toBeGreaterThan(0);
    await expect(o.claims.beat(at(20))).resolves.toBeUndefined();
  });

  it('claims unprocessed entries received before the cut-off, oldest first, at most `limit`, each once', async () => {
    const query = { leaseExpiredBefore: at(0), receivedBefore: at(4), limit: 1 };
    const first = await o.claims.claim(query);
    expect(first.map((e) => e.id)).toEqual([ids[0]]);
    const rest = await o.claims.claim({ ...query, limit: 10 });
    // Not the processed one, not the refused one, not the one received after the cut-off.
    expect(rest.map((e) => e.id)).toEqual([ids[2]]);
    expect(rest[0]).toMatchObject({ status: 'received', pbxCallId: 'in_2' });
    expect(await o.claims.claim({ ...query, limit: 10 })).toEqual([]);
  });
});
