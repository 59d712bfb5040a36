/**
 * The ports of the call-reading routes (`/api/calls`, `/api/call-log`, `/api/statistics`), built once per app
 * by the module file. Why a wiring file: routes only route — they get these ports and never build an adapter.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { createKyselyCallListPages, createKyselyCallNotes } from './adapters/kysely-call-list.js';
import { createKyselyCallLog } from './adapters/kysely-call-log.js';
import { createKyselyCallReadModel } from './adapters/kysely-call-read-model.js';
import { createKyselyCallStatistics } from './adapters/kysely-call-statistics.js';
import { createKyselyCallVisibility, readCallReadPolicy } from './adapters/kysely-call-visibility.js';
import { createExtensionAssignmentRepository } from './adapters/kysely-extension-assignment-repository.js';
import { createKyselyTranscriptRepository } from './adapters/kysely-recording-repository.js';
import { systemClock } from './adapters/system-clock.js';
import type { CallRepository } from './ports.js';

export function createCallReadingPorts(db: Kysely<Database>, calls: Pick<CallRepository, 'getById'>) {
  return {
    calls,
    pages: createKyselyCallListPages(db),
    notes: createKyselyCallNotes(db),
    readModel: createKyselyCallReadModel(db),
    visibility: createKyselyCallVisibility(db),
    log: createKyselyCallLog(db),
    statistics: createKyselyCallStatistics(db),
    transcripts: createKyselyTranscriptRepository(db),
    policy: () => readCallReadPolicy(db),
    assignments: createExtensionAssignmentRepository(db),
    clock: systemClock,
  };
}
