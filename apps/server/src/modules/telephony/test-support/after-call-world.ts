/**
 * The after-call use cases' world on the in-memory adapters: a finished call as stored, the client directory,
 * loops, new callers, the timeline, an inline job queue that remembers what was enqueued, and a manual clock.
 * Why: each after-call step (count a miss, close a loop, decide a new caller) is unit-tested on its own.
 */
import { createInlineJobQueue } from '../../../platform/jobs/inline-job-queue.js';
import type { JobQueue } from '../../../platform/jobs/job-queue.js';
import {
  createInMemoryCallbackLoops,
  createInMemoryClientDirectory,
  createInMemoryNewCallers,
} from '../adapters/in-memory-after-call.js';
import { createInMemoryCallTimeline, createManualClock } from '../adapters/in-memory-telephony.js';
import { emptyCallRecord } from '../domain/fold-call.js';
import type { AfterCallSettings, ClientOwners, StoredCall } from '../ports.js';

export const CLIENT = '+33612345678';
const FIRST_CALL_AT = Date.parse('2026-01-15T09:00:00.000Z');

export const AFTER_CALL_SETTINGS: AfterCallSettings = {
  missedCallTasks: true,
  autoCreate: true,
  defaultResponsibleUserId: 'user-boss',
  missedCallDueMinutes: 15,
  newCallerRules: [],
  defaultCountry: 'FR',
};

let sequence = 0;
/** A finished call of `CLIENT` as stored, one minute after the previous one (inbound and missed unless told). */
export function finishedCall(partial: Partial<StoredCall> = {}): StoredCall {
  sequence += 1;
  return {
    ...emptyCallRecord(`pbx_${sequence}`),
    id: `call-${sequence}`,
    direction: 'inbound',
    status: 'missed',
    clientNumber: CLIENT.slice(1),
    clientE164: CLIENT,
    startedAt: new Date(FIRST_CALL_AT + sequence * 60_000).toISOString(),
    events: [],
    contactId: null,
    agentUserId: null,
    version: 1,
    createdAt: new Date(FIRST_CALL_AT).toISOString(),
    updatedAt: new Date(FIRST_CALL_AT).toISOString(),
    ...partial,
  };
}

/** The after-call ports on in-memory adapters; `enqueued` are the ids of the jobs the use case queued. */
export function afterCallWorld(
  options: { owners?: Record<string, Partial<ClientOwners>>; ownNumbers?: string[] } = {},
) {
  const clock = createManualClock(FIRST_CALL_AT + 3_600_000);
  const queue = createInlineJobQueue({ now: () => clock.now() });
  const enqueued: string[] = [];
  const jobs: JobQueue = {
    async enqueue(name, payload, enqueueOptions) {
      const job = await queue.enqueue(name, payload, enqueueOptions);
      enqueued.push(job.id);
      return job;
    },
  };
  const timeline = createInMemoryCallTimeline();
  const ports = {
    clients: createInMemoryClientDirectory({
      owners: options.owners ?? {},
      users: {
        'user-olga': { name: 'Olga', locale: 'ru' },
        'user-boss': { name: 'Boss', locale: 'en' },
        'user-tom': { name: 'Tom', locale: 'fr' },
      },
      ownNumbers: options.ownNumbers ?? [],
    }),
    loops: createInMemoryCallbackLoops(),
    newCallers: createInMemoryNewCallers(),
    timeline,
    jobs,
    clock,
  };
  /** The decisions on the trace (of `callId` when given): code and parameters. */
  const decisions = (callId?: string) =>
    timeline
      .decisions()
      .filter((d) => callId === undefined || d.callId === callId)
      .map((d) => ({ code: d.code, params: d.params }));
  return { ports, clock, queue, enqueued, decisions };
}
