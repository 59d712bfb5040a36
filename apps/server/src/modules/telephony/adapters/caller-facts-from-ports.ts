/**
 * `CallerFactsReader` composed of the separate ports it stands for — `ContactLookup`, `Blacklist`, `CallerHistory`,
 * `ExtensionDirectory` — read one after the other, each part only when its switch asks for it, as the PostgreSQL
 * statement cuts it (kysely-caller-facts.ts). Why: the in-memory twin of that one statement, over the in-memory
 * ports; caller-facts-reader.contract.test.ts holds the two equal, so the statement answers what the ports answer.
 */
import type {
  Blacklist,
  CallerFacts,
  CallerFactsQuery,
  CallerFactsReader,
  CallerHistory,
  ContactLookup,
  ExtensionDirectory,
} from '../ports.js';

/** An E.164 number (`+…`) parses alike whatever the default country; the lookup asks for one. */
const ANY_COUNTRY = 'FR';

/** The reader over the separate ports. */
export function createCallerFactsFromPorts(ports: {
  readonly contacts: Pick<ContactLookup, 'findCaller'>;
  readonly blacklist: Blacklist;
  readonly history: CallerHistory;
  readonly directory: Pick<ExtensionDirectory, 'extensionOf' | 'nameOf'>;
}): CallerFactsReader {
  const { contacts, blacklist, history, directory } = ports;
  return {
    async read(query: CallerFactsQuery): Promise<CallerFacts> {
      const { contact } = await contacts.findCaller(query.e164, ANY_COUNTRY);
      const blacklistedBy =
        query.blacklistAt === null ? null : await blacklist.matchCaller(query.e164, query.blacklistAt);
      const deal = contact && query.deal ? await history.openDealOf(contact.id) : null;
      const lead = contact && query.lead ? await history.openLeadOf(contact.id) : null;
      const lastAgent =
        contact && query.lastAgentSince !== null
          ? await history.lastAgentOf(contact.id, query.lastAgentSince)
          : null;
      // Missed calls are counted for a number no contact owns only.
      const missed =
        contact === null && query.missedSince !== null
          ? await history.missedFrom(query.e164, query.missedSince)
          : 0;
      const users = new Set(
        [
          contact?.responsibleUserId,
          deal?.responsibleUserId,
          lead?.responsibleUserId,
          lastAgent,
          query.alsoUser,
        ].filter((id): id is string => typeof id === 'string'),
      );
      const extensions = new Map<string, string>();
      const names = new Map<string, string>();
      for (const user of users) {
        const extension = await directory.extensionOf(user);
        if (extension !== null) {
          extensions.set(user, extension);
        }
        const name = query.names ? await directory.nameOf(user) : null;
        if (name !== null) {
          names.set(user, name);
        }
      }
      return { contact, blacklistedBy, deal, lead, lastAgent, missed, extensions, names };
    },
  };
}
