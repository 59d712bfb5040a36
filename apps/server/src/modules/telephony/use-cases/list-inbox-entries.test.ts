import { describe, expect, it } from 'vitest';
import { systemActor, userActor } from '../../../platform/auth/actor.js';
import {
  createInMemoryInboxBrowser,
  createInMemoryInboxRepository,
} from '../adapters/in-memory-telephony.js';
import { listInboxEntries } from './list-inbox-entries.js';

const admin = userActor({ id: 'u-admin', role: 'admin', name: 'Ada', locale: 'en' });
const agent = userActor({ id: 'u-agent', role: 'agent', name: 'Olga', locale: 'en' });

async function seeded() {
  const inbox = createInMemoryInboxRepository();
  for (let i = 0; i < 5; i++) {
    await inbox.append({
      receivedAt: `2026-01-15T09:00:0${i}.000Z`,
      remoteIp: null,
      event: i % 2 === 0 ? 'NOTIFY_START' : 'NOTIFY_END',
      pbxCallId: `in_${i}`,
      body: `event=${i}`,
      contentType: 'application/x-www-form-urlencoded',
      signatureValid: i !== 4,
      status: i === 4 ? 'rejected' : 'received',
    });
  }
  return createInMemoryInboxBrowser(inbox);
}

describe('list-inbox-entries', () => {
  it('gives an admin one page, newest first, filtered, with the total', async () => {
    const inbox = await seeded();
    const page = await listInboxEntries({ inbox, actor: admin, query: { page: 1, pageSize: 2 } });
    expect(page).toMatchObject({ total: 5, page: 1, pageSize: 2 });
    expect(page.items.map((e) => e.pbxCallId)).toEqual(['in_4', 'in_3']);
    const starts = await listInboxEntries({
      inbox,
      actor: systemActor('test'),
      query: { event: 'NOTIFY_START', status: 'received', page: 1, pageSize: 10 },
    });
    expect(starts.items.map((e) => e.pbxCallId)).toEqual(['in_2', 'in_0']);
    expect(starts.total).toBe(2);
  });

  it('refuses an agent', async () => {
    const inbox = await seeded();
    await expect(
      listInboxEntries({ inbox, actor: agent, query: { page: 1, pageSize: 10 } }),
    ).rejects.toMatchObject({ code: 'SB_ERR_FORBIDDEN' });
  });
});
