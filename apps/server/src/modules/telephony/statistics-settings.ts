/**
 * The statistics' own setting — the return window N of "returned within N minutes" — through the one settings
 * service (group `statistics`). Why its own service: the statistics route reads it on every request from the
 * cache, coherent across instances, without touching the telephony runtime's settings.
 */
import type { Kysely } from 'kysely';
import type { SecretBox } from '../../platform/crypto/secret-box.js';
import type { Database } from '../../platform/db/schema.js';
import { STATISTICS_SETTINGS } from '../../platform/settings/setting-definitions.js';
import { createSettingsService, type SettingsService } from '../../platform/settings/settings-service.js';

const NO_SECRETS: SecretBox = {
  seal() {
    throw new Error('the statistics settings hold no secret');
  },
  open() {
    throw new Error('the statistics settings hold no secret');
  },
};

export type StatisticsSettingsService = SettingsService<typeof STATISTICS_SETTINGS>;

/** The statistics settings over the app's database. */
export function createStatisticsSettingsService(options: {
  readonly db: Kysely<Database>;
  readonly instanceId: string;
}): StatisticsSettingsService {
  return createSettingsService({
    db: options.db,
    box: NO_SECRETS,
    definitions: STATISTICS_SETTINGS,
    instanceId: options.instanceId,
  });
}
