import { describe, expect, it } from 'vitest';
import { systemActor, userActor } from '../../../platform/auth/actor.js';
import type { AppError } from '../../../platform/errors/errors.js';
import { createInMemoryInboxRepository } from '../adapters/in-memory-telephony.js';
import { replayInboxEntry } from './replay-inbox-entry.js';

const ENTRY = {
  receivedAt: '2026-01-15T09:00:00.000Z',
  remoteIp: null,
  event: 'NOTIFY_START',
  pbxCallId: 'in_replayed',
  body: 'event=NOTIFY_START&call_start=2026-01-15+12%3A00%3A00&pbx_call_id=in_replayed&caller_id=33612345678&called_did=442037691999',
  contentType: 'application/x-www-form-urlencoded',
};

const admin = userActor({ id: 'u-admin', role: 'admin', name: 'Ada', locale: 'en' });
const agent = userActor({ id: 'u-agent', role: 'agent', name: 'Olga', locale: 'en' });

function setUp() {
  const inbox = createInMemoryInboxRepository();
  const processed: string[] = [];
  const ingest = {
    async process(entryId: string) {
      processed.push(entryId);
      await inbox.markProcessed(entryId, '2026-01-15T09:05:00.000Z');
    },
  };
  return { inbox, ingest, processed };
}

describe('replay-inbox-entry', () => {
  it('runs a verified entry through processing again and returns it as stored afterwards', async () => {
    const t = setUp();
    const entry = await t.inbox.append({ ...ENTRY, signatureValid: true, status: 'received' });
    await t.inbox.markFailed(entry.id, 'database down', '2026-01-15T09:00:01.000Z');
    const replayed = await replayInboxEntry({
      inbox: t.inbox,
      ingest: t.ingest,
      actor: admin,
      entryId: entry.id,
    });
    expect(t.processed).toEqual([entry.id]);
    expect(replayed).toMatchObject({ status: 'processed', error: null });
  });

  it('refuses a rejected entry, one that no longer parses, and an unknown id', async () => {
    const t = setUp();
    const rejected = await t.inbox.append({ ...ENTRY, signatureValid: false, status: 'rejected' });
    const garbled = await t.inbox.append({
      ...ENTRY,
      body: 'event=NOPE',
      signatureValid: true,
      status: 'received',
    });
    const codeOf = (entryId: string) =>
      replayInboxEntry({ inbox: t.inbox, ingest: t.ingest, actor: admin, entryId }).then(
        () => null,
        (error: AppError) => error.code,
      );
    expect(await codeOf(rejected.id)).toBe('SB_ERR_CONFLICT');
    expect(await codeOf(garbled.id)).toBe('SB_ERR_CONFLICT');
    expect(await codeOf('no-such-entry')).toBe('SB_ERR_NOT_FOUND');
    expect(t.processed).toEqual([]);
  });

  it('refuses an agent and an API client, and lets the system replay', async () => {
    const t = setUp();
    const entry = await t.inbox.append({ ...ENTRY, signatureValid: true, status: 'received' });
    const apiClient = { kind: 'api-client', id: 'key-1', scopes: [] } as const;
    for (const actor of [agent, apiClient]) {
      await expect(
        replayInboxEntry({ inbox: t.inbox, ingest: t.ingest, actor, entryId: entry.id }),
      ).rejects.toMatchObject({ code: 'SB_ERR_FORBIDDEN' });
    }
    expect(t.processed).toEqual([]);
    const replayed = await replayInboxEntry({
      inbox: t.inbox,
      ingest: t.ingest,
      actor: systemActor('test: replay'),
      entryId: entry.id,
    });
    expect(replayed.status).toBe('processed');
  });
});
