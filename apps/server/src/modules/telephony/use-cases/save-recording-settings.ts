/** Changing the recordings vault's settings: only what the admin sent changes; the rest stays as stored. */
import type { RecordingStorage } from './apply-recording-retention.js';
import {
  type RecordingSettingsPorts,
  type RecordingSettingValues,
  readRecordingSettings,
} from './read-recording-settings.js';

/** Stores the fields given and returns the settings as they now apply, with the vault's fill against the new cap. */
export async function saveRecordingSettings(
  ports: RecordingSettingsPorts,
  change: Partial<RecordingSettingValues>,
): Promise<RecordingSettingValues & { readonly storage: RecordingStorage }> {
  const { mode, retentionDays, maxStorageMb } = change;
  await ports.settings.update(() => ({
    ...(mode !== undefined ? { mode } : {}),
    ...(retentionDays !== undefined ? { retentionDays } : {}),
    ...(maxStorageMb !== undefined ? { maxStorageMb } : {}),
  }));
  return readRecordingSettings(ports);
}
