/**
 * The `WebhookActivity` contract: what the settings page shows of the webhooks (the newest accepted and rejected
 * arrivals, the newest error) reads alike from the inbox table (both dialects) and from the in-memory inbox, both
 * filled through the `InboxRepository` port.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboxRepository, NewInboxEntry, WebhookActivity } from '../ports.js';
import { type Opened, onEveryDialect } from '../test-support/contract-adapters.js';
import { createInMemoryInboxRepository } from './in-memory-call-store.js';
import { createInMemoryWebhookActivity } from './in-memory-settings.js';
import { createInboxRepository } from './kysely-inbox-repository.js';
import { createWebhookActivity } from './telephony-settings-store.js';

interface Activity {
  readonly activity: WebhookActivity;
  readonly inbox: InboxRepository;
}

const ADAPTERS = [
  ...onEveryDialect<Activity>(({ db }) => ({
    activity: createWebhookActivity(db),
    inbox: createInboxRepository(db),
  })),
  {
    name: 'in-memory',
    async open(): Promise<Opened<Activity>> {
      const inbox = createInMemoryInboxRepository();
      return { activity: createInMemoryWebhookActivity(inbox), inbox, done: async () => {} };
    },
  },
];

const at = (minute: number) => `2026-09-01T09:${String(minute).padStart(2, '0')}:00.000Z`;

function arrival(minute: number, over: Partial<NewInboxEntry> = {}): NewInboxEntry {
  return {
    receivedAt: at(minute),
    remoteIp: '185.45.152.42',
    event: 'NOTIFY_START',
    pbxCallId: `in_${minute}`,
    body: `event=NOTIFY_START&pbx_call_id=in_${minute}`,
    contentType: 'application/x-www-form-urlencoded',
    signatureValid: true,
    status: 'received',
    ...over,
  };
}

describe.each(ADAPTERS)('WebhookActivity contract: $name', ({ open }) => {
  let a: Opened<Activity>;
  beforeAll(async () => {
    a = await open();
  });
  afterAll(async () => {
    await a?.done();
  });

  it('knows of no webhook before the first, and passes the registration instant through', async () => {
    expect(await a.activity.status(null)).toEqual({
      lastEventAt: null,
      lastRejectedAt: null,
      lastError: null,
      registeredAt: null,
    });
    expect((await a.activity.status(at(0))).registeredAt).toBe(at(0));
  });

  it('gives the newest accepted arrival whatever became of it, and the newest rejected one apart', async () => {
    const processed = await a.inbox.append(arrival(1));
    await a.inbox.markProcessed(processed.id, at(2));
    await a.inbox.append(arrival(3, { status: 'rejected', signatureValid: false, error: 'bad signature' }));
    const failed = await a.inbox.append(arrival(5));
    await a.inbox.markFailed(failed.id, 'database is locked', at(6));
    await a.inbox.append(arrival(4, { status: 'rejected', signatureValid: false }));
    expect(await a.activity.status(null)).toEqual({
      lastEventAt: at(5),
      lastRejectedAt: at(4),
      // The newest entry that has an error: the failed one; the later rejection carried none.
      lastError: 'database is locked',
      registeredAt: null,
    });
  });

  it('forgets an error once its entry is processed after all, showing the one before', async () => {
    const retried = await a.inbox.append(arrival(7));
    await a.inbox.markFailed(retried.id, 'timeout', at(8));
    expect((await a.activity.status(null)).lastError).toBe('timeout');
    await a.inbox.markProcessed(retried.id, at(9));
    expect(await a.activity.status(null)).toMatchObject({
      lastEventAt: at(7),
      lastError: 'database is locked',
    });
  });
});
