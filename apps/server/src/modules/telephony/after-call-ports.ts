import { z } from 'zod';
import { systemActor } from '../../platform/auth/actor.js';
import type { SecretBox } from '../../platform/crypto/secret-box.js';
import type { JobQueue, JobQueueDriver } from '../../platform/jobs/job-queue.js';
import { enqueueingIn } from '../../platform/jobs/kysely-job-transaction.js';
import { AFTER_CALL_SETTINGS } from '../../platform/settings/setting-definitions.js';
import { createSettingsService, type SettingsService } from '../../platform/settings/settings-service.js';
import { readSettings } from '../crm/settings/company-settings-store.js';
import {
  createAfterCallSettingsReader,
  freshAfterCallOptions,
} from './adapters/after-call-settings-store.js';
import { createKyselyCallTimeline } from './adapters/kysely-call-timeline.js';
import { createKyselyCallbackLoops } from './adapters/kysely-callback-loops.js';
import { createKyselyClientDirectory } from './adapters/kysely-client-directory.js';
import { createKyselyNewCallers } from './adapters/kysely-new-callers.js';
import { createKyselyUnitOfWork } from './adapters/kysely-unit-of-work.js';
import { systemClock } from './adapters/system-clock.js';
import { ownNumbersOf } from './adapters/zadarma/own-numbers.js';
import type { AfterCallPacing } from './after-call-pacing.js';
import {
  type AfterCallPorts,
  type AfterCallWork,
  type Clock,
  ESCALATE_CALLBACK_TASK_JOB,
  FOLLOW_UP_CALL_JOB,
} from './ports.js';
import { escalateCallbackTask } from './use-cases/escalate-callback-task.js';
import { followUpEndedCall } from './use-cases/follow-up-ended-call.js';
import type { TelephonyAdapters } from './webhook-ports.js';

/** None of the after-call settings is a secret: a box that is never asked to seal or open anything. */
const NO_SECRETS: SecretBox = {
  seal() {
    throw new Error('the after-call settings hold no secret');
  },
  open() {
    throw new Error('the after-call settings hold no secret');
  },
};

export type AfterCallSettingsService = SettingsService<typeof AFTER_CALL_SETTINGS>;

/** The after-call settings through the one settings service (a write drops every instance's cache). */
export function createAfterCallSettingsService(
  adapters: Pick<TelephonyAdapters, 'database' | 'runtime'>,
): AfterCallSettingsService {
  return createSettingsService({
    db: adapters.database.db,
    box: NO_SECRETS,
    definitions: AFTER_CALL_SETTINGS,
    instanceId: adapters.runtime.instanceId,
  });
}

/**
 * The after-call use cases' ports over the app's database: reads before the work through the app's handle, the
 * work itself in one transaction (`createKyselyUnitOfWork`), every port of it bound to that transaction — on
 * SQLite a read through the app's handle inside it would wait for the transaction's own connection, so even the
 * default country a new contact's phone needs is read through it.
 */
export function createAfterCallPorts(
  adapters: TelephonyAdapters,
  options: { readonly jobs: JobQueue; readonly settings: AfterCallSettingsService; readonly clock?: Clock },
): AfterCallPorts {
  const { runtime } = adapters;
  const { db } = adapters.database;
  const ownNumbers = ownNumbersOf(runtime);
  const clock = options.clock ?? systemClock;
  return {
    calls: adapters.calls,
    settings: createAfterCallSettingsReader({
      options: freshAfterCallOptions(options.settings),
      telephony: () => runtime.settings(),
      defaultCountry: () => adapters.settings.defaultCountry(),
    }),
    clients: createKyselyClientDirectory(db, { ownNumbers }),
    unitOfWork: createKyselyUnitOfWork<AfterCallWork>({
      db,
      bus: adapters.bus,
      bind: (trx) => ({
        clients: createKyselyClientDirectory(trx, { ownNumbers }),
        loops: createKyselyCallbackLoops(trx),
        newCallers: createKyselyNewCallers(trx, async () => (await readSettings(trx)).defaultCountry),
        timeline: createKyselyCallTimeline(trx),
        jobs: enqueueingIn(options.jobs, trx),
        clock,
      }),
    }),
  };
}

const ZFollowUpPayload = z.object({ callId: z.string().min(1).max(64) });
const ZEscalatePayload = z.object({
  taskId: z.string().min(1).max(64),
  clientE164: z.string().min(2).max(20),
});

/**
 * Registers the after-call jobs' handlers. Why: they run wherever the queue runs them, as the system.
 * `pacing` (after-call-pacing.ts) gives each job its turn behind this instance's webhook processing, so the
 * webhook path (which shares the event loop and, on SQLite, the one connection) always goes first; under a
 * sustained flood the jobs wait, durable, and take a bounded share in the gaps.
 */
export function handleAfterCallJobs(
  jobs: JobQueueDriver,
  ports: AfterCallPorts,
  options: { readonly pacing?: AfterCallPacing } = {},
): void {
  const pacing = options.pacing ?? { turn: async () => () => {} };
  jobs.handle(FOLLOW_UP_CALL_JOB, async (job) => {
    const { callId } = ZFollowUpPayload.parse(job.payload);
    const done = await pacing.turn();
    try {
      await followUpEndedCall(ports, { callId, actor: systemActor('after the call') });
    } finally {
      done();
    }
  });
  jobs.handle(ESCALATE_CALLBACK_TASK_JOB, async (job) => {
    const payload = ZEscalatePayload.parse(job.payload);
    const done = await pacing.turn();
    try {
      await escalateCallbackTask(ports, { ...payload, actor: systemActor('overdue callback task') });
    } finally {
      done();
    }
  });
}
