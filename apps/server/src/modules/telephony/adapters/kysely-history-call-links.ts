/** `HistoryCallLinks` over the webhook path's own lookups: the same E.164, contact and agent an imported call gets. */
import type {
  ContactLookup,
  ExtensionDirectory,
  HistoryCallLinks,
  TelephonySettingsReader,
} from '../ports.js';

export function createHistoryCallLinks(
  contacts: ContactLookup,
  directory: ExtensionDirectory,
  settings: Pick<TelephonySettingsReader, 'defaultCountry'>,
): HistoryCallLinks {
  return {
    async e164Of(rawNumber) {
      return contacts.e164Of(rawNumber, await settings.defaultCountry());
    },
    async contactIdOf(rawNumber) {
      return (await contacts.findCaller(rawNumber, await settings.defaultCountry())).contact?.id ?? null;
    },
    userOfExtension: (extension) => directory.userOf(extension),
  };
}
