/**
 * Wires the call workspace's ports (ports.ts) to their Kysely adapters: what restore-live-calls,
 * record-call-outcome, link-call-to-contact and missed-calls run on in the app.
 */
import type { DatabaseHandle } from '../../platform/db/database.js';
import { createKyselyCallTimeline } from './adapters/kysely-call-timeline.js';
import { createKyselyCallWorkspaceStore } from './adapters/kysely-call-workspace-store.js';
import { createKyselyCrmCardReader } from './adapters/kysely-crm-card-reader.js';
import { createKyselyExtensionDirectory } from './adapters/kysely-extension-directory.js';
import { createKyselyWrapUpCards } from './adapters/kysely-wrap-up-cards.js';
import type {
  CallRepository,
  CallTimeline,
  CallWorkspaceStore,
  CrmCardReader,
  ExtensionDirectory,
  WrapUpCards,
} from './ports.js';

/** Every port a workspace use case may take. */
export interface CallWorkspacePorts {
  readonly store: CallWorkspaceStore;
  readonly calls: Pick<CallRepository, 'getById' | 'link'>;
  readonly directory: ExtensionDirectory;
  readonly cards: CrmCardReader;
  readonly timeline: CallTimeline;
  readonly wrapUps: WrapUpCards;
}

/** The workspace's ports over the app's database and its call repository. */
export function createCallWorkspacePorts(
  database: DatabaseHandle,
  calls: Pick<CallRepository, 'getById' | 'link'>,
): CallWorkspacePorts {
  const { db, sqlite } = database;
  return {
    store: createKyselyCallWorkspaceStore(db),
    calls,
    directory: createKyselyExtensionDirectory(db, sqlite),
    cards: createKyselyCrmCardReader(db),
    timeline: createKyselyCallTimeline(db),
    wrapUps: createKyselyWrapUpCards(db),
  };
}
