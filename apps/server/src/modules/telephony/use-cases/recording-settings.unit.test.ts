/** Reading and saving the vault's settings on an in-memory store and the in-memory recordings repository. */
import { describe, expect, it } from 'vitest';
import { createInMemoryRecordingRepository } from '../adapters/in-memory-recordings.js';
import { recordingStorage } from './apply-recording-retention.js';
import {
  type RecordingSettingsPorts,
  type RecordingSettingValues,
  readRecordingSettings,
} from './read-recording-settings.js';
import { saveRecordingSettings } from './save-recording-settings.js';

function world(): RecordingSettingsPorts & { stored: () => RecordingSettingValues } {
  let stored: RecordingSettingValues = { mode: 'copy', retentionDays: 365, maxStorageMb: 10_000 };
  let cached = stored;
  const recordings = createInMemoryRecordingRepository();
  return {
    stored: () => stored,
    settings: {
      async checkForChanges() {
        const changed = cached !== stored;
        cached = stored;
        return changed;
      },
      read: async () => cached,
      async update(change) {
        stored = { ...stored, ...change(stored) };
        return stored;
      },
    },
    storage: async () =>
      recordingStorage(recordings, {
        retentionDays: stored.retentionDays,
        maxStorageBytes: stored.maxStorageMb * 1024 * 1024,
      }),
  };
}

describe('the recordings settings', () => {
  it('read the values and the vault’s fill against its cap', async () => {
    const ports = world();
    expect(await readRecordingSettings(ports)).toEqual({
      mode: 'copy',
      retentionDays: 365,
      maxStorageMb: 10_000,
      storage: { storedBytes: 0, maxStorageBytes: 10_000 * 1024 * 1024, nearCap: false },
    });
  });

  it('change only the fields sent and answer what now applies', async () => {
    const ports = world();
    const saved = await saveRecordingSettings(ports, { mode: 'link', maxStorageMb: 1 });
    expect(saved).toMatchObject({ mode: 'link', retentionDays: 365, maxStorageMb: 1 });
    expect(saved.storage.maxStorageBytes).toBe(1024 * 1024);
    expect(ports.stored()).toEqual({ mode: 'link', retentionDays: 365, maxStorageMb: 1 });
  });
});
