/** The legal hold on a call's recording, on the in-memory vault: admins only, on the call's latest recording. */
import { describe, expect, it } from 'vitest';
import { systemActor, userActor } from '../../../platform/auth/actor.js';
import { createInMemoryRecordingRepository } from '../adapters/in-memory-recordings.js';
import { setRecordingLegalHold } from './set-recording-legal-hold.js';

const admin = userActor({ id: 'u-admin', role: 'admin', name: 'Ada', locale: 'en' });
const agent = userActor({ id: 'u-olga', role: 'agent', name: 'Olga', locale: 'en' });

function vault() {
  const recordings = createInMemoryRecordingRepository();
  recordings.add({ id: 'r-old', callId: 'c-1', recordingId: 'z-old', createdAt: '2026-01-15T09:00:00.000Z' });
  recordings.add({ id: 'r-new', callId: 'c-1', recordingId: 'z-new', createdAt: '2026-01-15T09:05:00.000Z' });
  return recordings;
}

describe('setRecordingLegalHold', () => {
  it('puts the latest recording of the call on hold and lifts it again', async () => {
    const recordings = vault();
    await expect(setRecordingLegalHold(recordings, admin, { callId: 'c-1', hold: true })).resolves.toEqual({
      legalHold: true,
    });
    expect((await recordings.get('r-new'))?.legalHold).toBe(true);
    expect((await recordings.get('r-old'))?.legalHold).toBe(false);
    await setRecordingLegalHold(recordings, admin, { callId: 'c-1', hold: false });
    expect((await recordings.get('r-new'))?.legalHold).toBe(false);
  });

  it('is idempotent: setting the hold twice leaves it set', async () => {
    const recordings = vault();
    await setRecordingLegalHold(recordings, admin, { callId: 'c-1', hold: true });
    await setRecordingLegalHold(recordings, admin, { callId: 'c-1', hold: true });
    expect((await recordings.get('r-new'))?.legalHold).toBe(true);
  });

  it('refuses an agent and the system with SB_ERR_FORBIDDEN, changing nothing', async () => {
    const recordings = vault();
    for (const actor of [agent, systemActor('test')]) {
      await expect(
        setRecordingLegalHold(recordings, actor, { callId: 'c-1', hold: true }),
      ).rejects.toMatchObject({
        code: 'SB_ERR_FORBIDDEN',
      });
    }
    expect((await recordings.get('r-new'))?.legalHold).toBe(false);
  });

  it('answers SB_ERR_NO_RECORDING for a call without a recording, or whose recording was erased', async () => {
    const recordings = vault();
    await expect(
      setRecordingLegalHold(recordings, admin, { callId: 'c-none', hold: true }),
    ).rejects.toMatchObject({
      code: 'SB_ERR_NO_RECORDING',
    });
    recordings.add({ id: 'r-gone', callId: 'c-2', recordingId: 'z-gone', status: 'deleted' });
    await expect(
      setRecordingLegalHold(recordings, admin, { callId: 'c-2', hold: true }),
    ).rejects.toMatchObject({
      code: 'SB_ERR_NO_RECORDING',
    });
  });
});
