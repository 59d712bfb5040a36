/**
 * The after-call jobs' contract: their names (what the webhook batch queues and the module's handlers run) and
 * the ports their use cases take. Apart from `after-call.ts` because it gathers ports of three files
 * (`webhook-path.ts` itself imports `after-call.ts`). (Part of the telephony ports; import them from `../ports.js`.)
 */
import type { JobQueue } from '../../../platform/jobs/job-queue.js';
import type { AfterCallSettingsReader, CallbackLoops, ClientDirectory, NewCallers } from './after-call.js';
import type { CallRepository } from './calls.js';
import type { CallTimeline, Clock, UnitOfWork } from './webhook-path.js';

/** The job that follows up one ended call (payload `{ callId }`, idempotency key per call). */
export const FOLLOW_UP_CALL_JOB = 'telephony.follow-up-call';

/** The job that escalates one overdue callback task (payload `{ taskId, clientE164 }`). */
export const ESCALATE_CALLBACK_TASK_JOB = 'telephony.escalate-callback-task';

/**
 * What one follow-up or escalation decides and writes with, every port bound to ONE transaction: the count, the
 * task, the trace and the escalation job commit together or not at all (a job enqueued here exists only if the
 * work commits). Why: written one after the other, a crash between them lost the trace and the escalation, and
 * the retry found the call counted and did nothing more.
 */
export interface AfterCallWork {
  readonly clients: Pick<ClientDirectory, 'ownersOf' | 'userOf'>;
  readonly loops: CallbackLoops;
  readonly newCallers: NewCallers;
  readonly timeline: Pick<CallTimeline, 'recordDecision'>;
  readonly jobs: JobQueue;
  readonly clock: Clock;
}

/** What the after-call use cases run on. */
export interface AfterCallPorts {
  readonly calls: Pick<CallRepository, 'getById'>;
  readonly settings: AfterCallSettingsReader;
  /**
   * Read before the unit of work: the owner chain, and whether a number is ours (which may ask Zadarma — never
   * while a transaction holds SQLite's write lock).
   */
  readonly clients: Pick<ClientDirectory, 'ownersOf' | 'isOwnNumber'>;
  readonly unitOfWork: UnitOfWork<AfterCallWork>;
}
