/**
 * The after-call settings over the one settings service (AFTER_CALL_SETTINGS): the options the settings page edits
 * (`AfterCallOptionsStore`) and what the after-call job reads (`AfterCallSettingsReader`: those options beside the
 * telephony switches and the company's default country). Why named adapters: both are held to a contract suite
 * against their in-memory twins (after-call-settings.contract.test.ts).
 */
import type { AFTER_CALL_SETTINGS } from '../../../platform/settings/setting-definitions.js';
import type { SettingsService } from '../../../platform/settings/settings-service.js';
import type {
  AfterCallOptions,
  AfterCallOptionsStore,
  AfterCallSettingsReader,
  StoredTelephonySettings,
} from '../ports.js';

type AfterCallSettingsService = SettingsService<typeof AFTER_CALL_SETTINGS>;

/** The options as the settings service keeps them: a patch changes what it names, each value checked. */
export function createAfterCallOptionsStore(settings: AfterCallSettingsService): AfterCallOptionsStore {
  return {
    read: () => settings.read(),
    update: (patch) => settings.update(() => ({ ...patch })),
  };
}

/**
 * What the after-call job reads: the options beside the telephony switches and the company's default country.
 * Holds no state, so the unit tests run it over in-memory sources.
 */
export function createAfterCallSettingsReader(sources: {
  readonly options: () => Promise<AfterCallOptions>;
  readonly telephony: () => Promise<Pick<StoredTelephonySettings, 'features' | 'defaultResponsibleUserId'>>;
  readonly defaultCountry: () => Promise<string>;
}): AfterCallSettingsReader {
  return {
    async read() {
      const [telephony, options, defaultCountry] = await Promise.all([
        sources.telephony(),
        sources.options(),
        sources.defaultCountry(),
      ]);
      return {
        missedCallTasks: telephony.features.missedCallTasks,
        autoCreate: telephony.features.autoCreate,
        defaultResponsibleUserId: telephony.defaultResponsibleUserId,
        missedCallDueMinutes: options.missedCallDueMinutes,
        newCallerRules: options.newCallerRules,
        defaultCountry,
      };
    },
  };
}

/**
 * The options as the after-call job needs them, fresh: it may run on any instance, so a change saved on another one
 * is looked for first (the service's version check).
 */
export function freshAfterCallOptions(settings: AfterCallSettingsService): () => Promise<AfterCallOptions> {
  return async () => {
    await settings.checkForChanges();
    return settings.read();
  };
}
