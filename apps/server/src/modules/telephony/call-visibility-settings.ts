/**
 * The admins' "agents see all calls" switch through the one settings service (group `telephony`). Why a wiring
 * file: the route gets the service and never builds it over the database (routes only route).
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { createSecretBox } from '../../platform/crypto/secret-box.js';
import type { Database } from '../../platform/db/schema.js';
import { CALL_VISIBILITY_SETTINGS } from '../../platform/settings/setting-definitions.js';
import { createSettingsService, type SettingsService } from '../../platform/settings/settings-service.js';

export type CallVisibilitySettingsService = SettingsService<typeof CALL_VISIBILITY_SETTINGS>;

/** The switch over the app's database; `instanceId` names this instance in the change announcements. */
export function createCallVisibilitySettingsService(options: {
  readonly db: Kysely<Database>;
  readonly instanceId: string;
}): CallVisibilitySettingsService {
  return createSettingsService({
    db: options.db,
    // The switch is no secret: this box never opens anything.
    box: createSecretBox(randomBytes(32)),
    definitions: CALL_VISIBILITY_SETTINGS,
    instanceId: options.instanceId,
  });
}
