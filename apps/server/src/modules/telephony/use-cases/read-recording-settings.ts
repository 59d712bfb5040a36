/** The recordings vault's settings as admins see them: the mode, the retention, the size cap and how full it is. */
import type { RecordingMode } from '../ports.js';
import type { RecordingStorage } from './apply-recording-retention.js';

/** The vault's settings an admin chooses. */
export interface RecordingSettingValues {
  readonly mode: RecordingMode;
  readonly retentionDays: number;
  readonly maxStorageMb: number;
}

/** Where they are kept (the one settings service, group `recordings`), and how full the vault is against its cap. */
export interface RecordingSettingsPorts {
  readonly settings: {
    /** Picks up a change another instance made (one version check). */
    checkForChanges(): Promise<boolean>;
    read(): Promise<RecordingSettingValues>;
    update(
      change: (current: RecordingSettingValues) => Partial<RecordingSettingValues>,
    ): Promise<RecordingSettingValues>;
  };
  storage(): Promise<RecordingStorage>;
}

/** The settings and the vault's fill. Why the version check first: an admin sees what every instance applies. */
export async function readRecordingSettings(
  ports: RecordingSettingsPorts,
): Promise<RecordingSettingValues & { readonly storage: RecordingStorage }> {
  await ports.settings.checkForChanges();
  const { mode, retentionDays, maxStorageMb } = await ports.settings.read();
  return { mode, retentionDays, maxStorageMb, storage: await ports.storage() };
}
