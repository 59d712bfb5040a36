import { describe, expect, it } from 'vitest';
import type { CallEvent } from '../domain/call-event.js';
import { foldCall } from '../domain/fold-call.js';
import { inboundAnswered } from '../test-support/call-scenarios.js';
import {
  createInMemoryBlacklistRepository,
  createInMemoryCallRepository,
  createInMemoryExtensionAssignmentRepository,
  createInMemoryInboxRepository,
  createInMemoryTelephonySettingsRepository,
} from './in-memory-telephony.js';

describe('in-memory telephony adapters', () => {
  it('fold calls idempotently like the database adapter', async () => {
    const calls = createInMemoryCallRepository();
    for (const event of [...inboundAnswered].reverse()) {
      await calls.applyEvent(event);
    }
    const again = await calls.applyEvent(inboundAnswered[2] as CallEvent);
    expect(again.duplicate).toBe(true);
    expect(again.call).toMatchObject({ ...foldCall(inboundAnswered), version: inboundAnswered.length });
    const linked = await calls.link(again.call, { agentUserId: 'u1' });
    expect(linked?.agentUserId).toBe('u1');
    expect(await calls.getById(again.call.id)).toEqual(linked);
    expect((await calls.list({ agentUserId: 'u1' })).map((c) => c.pbxCallId)).toEqual([again.call.pbxCallId]);
  });

  it('keep inbox entries with their status', async () => {
    const inbox = createInMemoryInboxRepository();
    const entry = await inbox.append({
      receivedAt: '2024-01-01T00:00:00.000Z',
      remoteIp: null,
      event: 'NOTIFY_START',
      pbxCallId: 'in_1',
      body: 'x',
      contentType: null,
      signatureValid: true,
      status: 'received',
    });
    await inbox.markFailed(entry.id, 'boom', '2024-01-01T00:00:01.000Z');
    expect(await inbox.get(entry.id)).toMatchObject({ status: 'failed', error: 'boom' });
    expect(await inbox.list({ status: 'failed' })).toHaveLength(1);
  });

  it('keep one extension per user, a unique blacklist and settings patches', async () => {
    const extensions = createInMemoryExtensionAssignmentRepository();
    await extensions.assign('101', 'u1');
    expect(await extensions.assign('102', 'u1')).toBeNull();
    expect(await extensions.assign('101', 'u2')).toBeNull();
    expect(await extensions.findUserId('101')).toBe('u1');
    expect(await extensions.findExtension('u1')).toBe('101');
    const blacklist = createInMemoryBlacklistRepository();
    const first = await blacklist.add({ e164: '+331', reason: 'a' });
    expect(await blacklist.add({ e164: '+331', reason: 'b' })).toEqual(first);
    const settings = createInMemoryTelephonySettingsRepository({ timezone: 'UTC+3' });
    expect((await settings.update({ callerName: false })).timezone).toBe('UTC+3');
  });
});
