/** `HistoryCallLinks` over the webhook path's own lookups: the same E.164, contact and agent an imported call gets. */
import type { ContactLookup, ExtensionDirectory, HistoryCallLinks } from '../ports.js';

export function createHistoryCallLinks(
  contacts: ContactLookup,
  directory: ExtensionDirectory,
): HistoryCallLinks {
  return {
    e164Of: async (rawNumber, country) => contacts.e164Of(rawNumber, country),
    contactIdOf: async (rawNumber, country) =>
      (await contacts.findCaller(rawNumber, country)).contact?.id ?? null,
    userOfExtension: (extension) => directory.userOf(extension),
  };
}
