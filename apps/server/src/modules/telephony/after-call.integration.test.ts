/**
 * After the call on both dialects, end to end from the webhook batch: the follow-up job is written in the batch's
 * transaction and run by the real queue of the dialect (the SQLite table queue, pg-boss on PostgreSQL), which
 * creates and closes the CRM's tasks and records through the Kysely adapters.
 */
import { randomBytes } from 'node:crypto';
import type { TWebhookEvent } from '@switchboard/zadarma';
import { createSimulator, type Simulator } from '@switchboard/zadarma-sim';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemActor } from '../../platform/auth/actor.js';
import { loadConfig } from '../../platform/config/config.js';
import { createSecretBox } from '../../platform/crypto/secret-box.js';
import type { EventBus } from '../../platform/events/event-bus.js';
import { createInProcessEventBus } from '../../platform/events/in-process-event-bus.js';
import type { JobQueueDriver } from '../../platform/jobs/job-queue.js';
import { createPgBossJobQueue } from '../../platform/jobs/pg-boss-job-queue.js';
import { createSqliteJobQueue } from '../../platform/jobs/sqlite-job-queue.js';
import { insertTestUser } from '../../test-support/insert-user.js';
import {
  openTestDatabase,
  TEST_DATABASE_URL,
  TEST_DIALECTS,
  type TestDatabase,
} from '../../test-support/test-database.js';
import { untilMatching } from '../../test-support/until.js';
import { createExtensionAssignmentRepository } from './adapters/kysely-extension-assignment-repository.js';
import { createKyselyNewCallerInbox } from './adapters/kysely-new-caller-inbox.js';
import {
  createTelephonyRuntime,
  type TelephonyRuntimeControl,
} from './adapters/zadarma/telephony-runtime.js';
import {
  type AfterCallSettingsService,
  createAfterCallPorts,
  createAfterCallSettingsService,
  handleAfterCallJobs,
} from './after-call-ports.js';
import { ESCALATE_CALLBACK_TASK_JOB, FOLLOW_UP_CALL_JOB } from './ports.js';
import { createTelephonyAdapters } from './telephony-module.js';
import { escalateCallbackTask } from './use-cases/escalate-callback-task.js';
import { followUpEndedCall } from './use-cases/follow-up-ended-call.js';
import { type BatchProcessor, createBatchProcessor } from './use-cases/process-webhook-batch.js';
import { createWebhookPorts, type TelephonyAdapters } from './webhook-ports.js';

// The real queues of both dialects on a shared machine: a run may take a few seconds (no timing is asserted).
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

const CLIENT_DIGITS = '33612345678';
const CLIENT = `+${CLIENT_DIGITS}`;
/** CLIENT as a task's title writes it: the one display format. */
const CLIENT_SHOWN = '+33 6 12 34 56 78';
const OUR_NUMBER = '442037691999';

/** Waits (bounded) for `check` to hold: the queue runs jobs in the background. No timing is asserted. */
function missedEnd(pbxCallId: string, callStart: string, caller = CLIENT_DIGITS): TWebhookEvent {
  return {
    event: 'NOTIFY_END',
    call_start: callStart,
    pbx_call_id: pbxCallId,
    caller_id: caller,
    called_did: OUR_NUMBER,
    internal: '101',
    duration: '0',
    status_code: '19',
    is_recorded: '0',
    calltype: 'normal',
    disposition: 'no answer',
  } as TWebhookEvent;
}

function answeredOutEnd(pbxCallId: string, callStart: string): TWebhookEvent {
  return {
    event: 'NOTIFY_OUT_END',
    call_start: callStart,
    pbx_call_id: pbxCallId,
    caller_id: OUR_NUMBER,
    destination: CLIENT_DIGITS,
    internal: '101',
    duration: '35',
    status_code: '16',
    is_recorded: '0',
    calltype: 'normal',
    disposition: 'answered',
  } as TWebhookEvent;
}

describe.each(TEST_DIALECTS)('after the call on %s', (dialect) => {
  let database: TestDatabase;
  let runtime: TelephonyRuntimeControl;
  let bus: EventBus;
  let services: TelephonyAdapters;
  let jobs: JobQueueDriver;
  let processor: BatchProcessor;
  let afterCallSettings: AfterCallSettingsService;
  let boss: string | null = null;
  /** Zadarma for the runtime's API calls: our own numbers are the account's direct numbers. */
  let zadarma: Simulator;
  let agent: string;
  let chief: string;

  beforeEach(async () => {
    database = await openTestDatabase(dialect);
    zadarma = await createSimulator({ key: 'k', secret: 's', host: '127.0.0.1' });
    runtime = createTelephonyRuntime({
      db: database.db,
      box: createSecretBox(randomBytes(32)),
      config: loadConfig({ LOG_LEVEL: 'silent' }),
      clientOptions: { retry: false, timeoutMs: 200 },
    });
    agent = await insertTestUser(database.db, 'Olga');
    chief = await insertTestUser(database.db, 'Chief');
    await runtime.update({
      apiKey: 'k',
      apiSecret: 's',
      apiBaseUrl: zadarma.url,
      defaultResponsibleUserId: chief,
      features: { missedCallTasks: true, autoCreate: false },
    });
    await createExtensionAssignmentRepository(database.db).assign('101', agent);
    bus = createInProcessEventBus({ db: database.db, sqlite: database.sqlite });
    services = createTelephonyAdapters({ database, runtime, bus });
    if (dialect === 'sqlite') {
      jobs = createSqliteJobQueue({ database, pollMs: 10 });
    } else {
      boss = `pgboss_${randomBytes(5).toString('hex')}`;
      jobs = await createPgBossJobQueue({
        connectionString: TEST_DATABASE_URL,
        schema: boss,
        poolSize: 3,
        retryDelaySeconds: 0,
        pollingIntervalSeconds: 0.5,
      });
    }
    afterCallSettings = createAfterCallSettingsService(services);
    handleAfterCallJobs(jobs, createAfterCallPorts(services, { jobs, settings: afterCallSettings }));
    await jobs.start();
    processor = createBatchProcessor(createWebhookPorts(services, { jobs }));
  });

  afterEach(async () => {
    await processor.idle();
    await jobs.close();
    await bus.close();
    await runtime.close();
    await zadarma.close();
    await database.cleanup();
    if (boss) {
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${boss} CASCADE`);
      await client.end();
      boss = null;
    }
  });

  async function deliver(event: TWebhookEvent) {
    const entry = await services.inbox.append({
      receivedAt: new Date().toISOString(),
      remoteIp: '127.0.0.1',
      event: event.event,
      pbxCallId: (event as { pbx_call_id: string }).pbx_call_id,
      body: '',
      contentType: null,
      signatureValid: true,
      status: 'received',
    });
    await processor.submit({ entryId: entry.id, event, receivedAt: entry.receivedAt });
  }

  /** Jobs named `name` stored by the dialect's queue (the jobs table, or pg-boss's own). */
  async function queuedJobs(name: string): Promise<number> {
    if (dialect === 'sqlite') {
      const rows = await database.db.selectFrom('jobs').select('id').where('name', '=', name).execute();
      return rows.length;
    }
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    try {
      const result = await client.query(`SELECT count(*)::int AS n FROM ${boss}.job WHERE name = $1`, [name]);
      return (result.rows[0] as { n: number }).n;
    } finally {
      await client.end();
    }
  }

  const callbackTasks = () =>
    database.db
      .selectFrom('tasks')
      .select(['id', 'title', 'status', 'assignee_id', 'created_by_id', 'due_at'])
      .execute();

  const traceOf = async (pbxCallId: string) => {
    const call = await services.calls.get(pbxCallId);
    const rows = await database.db
      .selectFrom('activities')
      .select(['title', 'payload'])
      .where('subject_type', '=', 'call')
      .where('subject_id', '=', call?.id ?? '')
      .orderBy('at')
      .orderBy('id')
      .execute();
    return rows.map((r) => (JSON.parse(r.payload ?? '{}') as { event: { type: string } }).event.type);
  };

  it('turns three missed calls into one task "called 3×", closed by the answered callback', async () => {
    await deliver(missedEnd('in_after_1', '2026-11-25 10:00:00'));
    await deliver(missedEnd('in_after_2', '2026-11-25 10:05:00'));
    await deliver(missedEnd('in_after_3', '2026-11-25 10:10:00'));
    const [task] = await untilMatching(
      callbackTasks,
      (tasks) => tasks.length === 1 && tasks[0]?.title.endsWith('3×') === true,
      'one task counting three calls',
    );
    expect(task).toMatchObject({
      status: 'open',
      assignee_id: chief,
      created_by_id: null,
      title: `Call back ${CLIENT_SHOWN} — called 3×`,
    });
    // The queue may run the three follow-ups in any order (pg-boss does): one opens the task, two count into it.
    const counted = ['in_after_1', 'in_after_2', 'in_after_3'];
    const traces = await Promise.all(counted.map(traceOf));
    expect(traces.flat().sort()).toEqual([
      'callback.task_grouped',
      'callback.task_grouped',
      'callback.task_opened',
    ]);
    const [loop] = await database.db.selectFrom('callback_loops').selectAll().execute();
    const latest = await services.calls.get('in_after_3');
    expect(loop?.last_call_id).toBe(latest?.id);

    await deliver(answeredOutEnd('out_after_callback', '2026-11-25 10:20:00'));
    await untilMatching(
      callbackTasks,
      (tasks) => tasks[0]?.status === 'done',
      'the task closed by the callback',
    );
    // The task and its decision commit together, but the job commits in the background: wait for it.
    await untilMatching(
      () => traceOf('in_after_3'),
      (trace) => trace.at(-1) === 'callback.task_closed',
      'the closing on the missed call',
    );
    expect(await traceOf('out_after_callback')).toEqual(['callback.task_closed']);
    expect((await traceOf('in_after_3')).at(-1)).toBe('callback.task_closed');
    const loops = await database.db.selectFrom('callback_loops').selectAll().execute();
    expect(loops).toEqual([]);
  });

  it('leaves nothing half done when the follow-up fails after the count is written, and its retry does it all once', async () => {
    await jobs.stop();
    await deliver(missedEnd('in_after_crash', '2026-11-25 10:00:00'));
    const callId = (await services.calls.get('in_after_crash'))?.id ?? '';
    const ports = createAfterCallPorts(services, { jobs, settings: afterCallSettings });
    // The trace is written after the loop's count, its task and the escalation job: fail there, as a crash would.
    const failing: typeof ports = {
      ...ports,
      unitOfWork: {
        ...ports.unitOfWork,
        run: (work) =>
          ports.unitOfWork.run((bound) =>
            work({
              ...bound,
              timeline: {
                recordDecision: async () => {
                  throw new Error('the process died here');
                },
              },
            }),
          ),
      },
    };
    await expect(followUpEndedCall(failing, { callId, actor: systemActor('test') })).rejects.toThrow(
      'the process died here',
    );
    expect(await database.db.selectFrom('callback_loop_calls').selectAll().execute()).toEqual([]);
    expect(await database.db.selectFrom('callback_loops').selectAll().execute()).toEqual([]);
    expect(await callbackTasks()).toEqual([]);
    expect(await traceOf('in_after_crash')).toEqual([]);
    expect(await queuedJobs(ESCALATE_CALLBACK_TASK_JOB)).toBe(0);

    // The queue's retry runs the same follow-up: everything, once — and a second run adds nothing.
    await followUpEndedCall(ports, { callId, actor: systemActor('test') });
    await followUpEndedCall(ports, { callId, actor: systemActor('test') });
    const loops = await database.db.selectFrom('callback_loops').selectAll().execute();
    expect(loops).toHaveLength(1);
    expect(Number(loops[0]?.missed_calls)).toBe(1);
    expect(await callbackTasks()).toHaveLength(1);
    expect(await traceOf('in_after_crash')).toEqual(['callback.task_opened']);
    expect(await queuedJobs(ESCALATE_CALLBACK_TASK_JOB)).toBe(1);
  });

  if (dialect === 'sqlite') {
    // Issue 12 suspected the after-call unit of work of holding SQLite's one connection across awaits, so that
    // a ringing caller's inbox append waited for the whole transaction's wall time. It does not: better-sqlite3
    // answers synchronously and Kysely's promises resolve as microtasks, so BEGIN … COMMIT is one stretch of the
    // event loop. This holds it: a check run at every turn of the loop never finds the connection in a transaction.
    it('holds SQLite’s connection for one stretch of the event loop: no turn of the loop meets its transaction open', async () => {
      const sqlite = database.sqlite;
      if (!sqlite) {
        throw new Error('expected SQLite');
      }
      await runtime.update({ features: { missedCallTasks: true, autoCreate: true } });
      await afterCallSettings.update(() => ({
        newCallerRules: [
          {
            direction: 'any',
            outcome: 'any',
            minTalkSeconds: 0,
            action: 'deal',
            pipelineId: null,
            stageId: null,
            assignTo: 'agent',
          },
        ],
      }));
      await jobs.stop();
      await deliver(missedEnd('in_stretch_1', '2026-11-25 13:00:00'));
      await deliver(missedEnd('in_stretch_2', '2026-11-25 13:05:00'));
      await deliver(answeredOutEnd('out_stretch', '2026-11-25 13:10:00'));
      await processor.idle();
      const ports = createAfterCallPorts(services, { jobs, settings: afterCallSettings });
      const callIdOf = async (pbx: string) => (await services.calls.get(pbx))?.id ?? '';
      const actor = systemActor('test');

      /** Runs `work` with a check at every turn of the event loop: how many turns met a transaction open. */
      async function turnsDuring(work: () => Promise<unknown>): Promise<{ turns: number; open: number }> {
        const seen = { turns: 0, open: 0 };
        let running = true;
        const check = () => {
          if (running) {
            seen.turns++;
            seen.open += sqlite?.inTransaction ? 1 : 0;
            setImmediate(check);
          }
        };
        setImmediate(check);
        try {
          await work();
        } finally {
          running = false;
        }
        return seen;
      }

      // The check sees a transaction that lets the loop turn while open (a timer awaited inside it).
      const control = await turnsDuring(() =>
        database.db.transaction().execute(() => new Promise((resolve) => setTimeout(resolve, 5))),
      );
      expect(control.open).toBeGreaterThan(0);

      // The longest units: a new number's deal and contact, its callback task, trace and escalation job; the
      // second call counted into that task; its escalation; the answered callback closing it.
      const seen = await turnsDuring(async () => {
        await followUpEndedCall(ports, { callId: await callIdOf('in_stretch_1'), actor });
        await followUpEndedCall(ports, { callId: await callIdOf('in_stretch_2'), actor });
        const [task] = await callbackTasks();
        await escalateCallbackTask(ports, { taskId: task?.id ?? '', clientE164: CLIENT, actor });
        await followUpEndedCall(ports, { callId: await callIdOf('out_stretch'), actor });
      });
      expect(seen.open).toBe(0);
      // The work was done, so the check above watched every unit of it.
      expect(await traceOf('in_stretch_1')).toEqual(['new_caller.created', 'callback.task_opened']);
      expect((await traceOf('in_stretch_2'))[0]).toBe('callback.task_grouped');
      expect(await traceOf('out_stretch')).toEqual(['callback.task_closed']);
      expect(await database.db.selectFrom('deals').select('id').execute()).toHaveLength(1);
      expect(await callbackTasks()).toMatchObject([{ status: 'done', assignee_id: chief }]);
    });
  }

  it('queues nothing with both switches off', async () => {
    await runtime.update({ features: { missedCallTasks: false, autoCreate: false } });
    await deliver(missedEnd('in_after_off', '2026-11-25 10:00:00'));
    await processor.idle();
    expect(await queuedJobs(FOLLOW_UP_CALL_JOB)).toBe(0);
    // Switched on, the same call's end queues its follow-up (once, however often it is delivered).
    await runtime.update({ features: { missedCallTasks: true } });
    await jobs.stop();
    await deliver(missedEnd('in_after_on', '2026-11-25 10:01:00'));
    await deliver(missedEnd('in_after_on', '2026-11-25 10:01:00'));
    expect(await queuedJobs(FOLLOW_UP_CALL_JOB)).toBe(1);
    expect(await callbackTasks()).toEqual([]);
  });

  it('escalates an overdue task to the default responsible', async () => {
    await afterCallSettings.update(() => ({ missedCallDueMinutes: 1 }));
    const ports = createAfterCallPorts(services, {
      jobs,
      settings: afterCallSettings,
      // The job is due a minute later: the escalation runs it by hand instead of waiting.
      clock: { now: () => Date.now() },
    });
    const contact = await database.db
      .insertInto('contacts')
      .values({
        id: 'contact-anna',
        first_name: 'Anna',
        last_name: '',
        display_name: 'Anna',
        sort_key: 'anna',
        company_id: null,
        responsible_user_id: agent,
        notes: '',
        do_not_call: 0,
        created_at: new Date().toISOString(),
        updated_at: new Date().toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await database.db
      .insertInto('contact_phones')
      .values({ id: 'phone-anna', contact_id: contact.id, raw: CLIENT, e164: CLIENT, label: '', position: 0 })
      .execute();
    await deliver(missedEnd('in_after_escalate', '2026-11-25 10:00:00'));
    const [task] = await untilMatching(callbackTasks, (tasks) => tasks.length === 1, 'the callback task');
    expect(task).toMatchObject({
      assignee_id: agent,
      title: `Call back Anna (${CLIENT_SHOWN}) — missed call`,
    });
    await escalateCallbackTask(ports, {
      taskId: task?.id ?? '',
      clientE164: CLIENT,
      actor: systemActor('test'),
    });
    expect((await callbackTasks())[0]).toMatchObject({ assignee_id: chief, status: 'open' });
    expect(await traceOf('in_after_escalate')).toEqual(['callback.task_opened', 'callback.task_escalated']);
  });

  it('makes one contact when two calls from one new number are followed up at once', async () => {
    await runtime.update({ features: { missedCallTasks: false, autoCreate: true } });
    await afterCallSettings.update(() => ({
      newCallerRules: [
        {
          direction: 'any',
          outcome: 'any',
          minTalkSeconds: 0,
          action: 'lead',
          pipelineId: null,
          stageId: null,
          assignTo: 'agent',
        },
      ],
    }));
    // Both calls stored with the queue stopped, then both follow-ups at once.
    await jobs.stop();
    await deliver(missedEnd('in_new_1', '2026-11-25 11:00:00', '33698765432'));
    await deliver(missedEnd('in_new_2', '2026-11-25 11:00:01', '33698765432'));
    const ports = createAfterCallPorts(services, { jobs, settings: afterCallSettings });
    const ids = await Promise.all(
      ['in_new_1', 'in_new_2'].map(async (id) => (await services.calls.get(id))?.id ?? ''),
    );
    await Promise.all(ids.map((callId) => followUpEndedCall(ports, { callId, actor: systemActor('test') })));
    const contacts = await database.db
      .selectFrom('contact_phones')
      .select('contact_id')
      .where('e164', '=', '+33698765432')
      .execute();
    expect(contacts).toHaveLength(1);
    const leads = await database.db.selectFrom('leads').select(['contact_id', 'source', 'title']).execute();
    expect(leads).toEqual([{ contact_id: contacts[0]?.contact_id, source: 'call', title: '+33698765432' }]);
    const traces = [...(await traceOf('in_new_1')), ...(await traceOf('in_new_2'))].sort();
    expect(traces).toEqual(['new_caller.already_decided', 'new_caller.created']);
  });

  it('makes no record for a call from one of the account’s direct numbers, as Zadarma lists them', async () => {
    await runtime.update({ features: { missedCallTasks: false, autoCreate: true } });
    await afterCallSettings.update(() => ({
      newCallerRules: [
        {
          direction: 'any',
          outcome: 'any',
          minTalkSeconds: 0,
          action: 'contact',
          pipelineId: null,
          stageId: null,
          assignTo: 'agent',
        },
      ],
    }));
    await jobs.stop();
    // 33187654321 is the account's Paris number (GET /v1/direct_numbers/), never a DID of any call stored here.
    await deliver(missedEnd('in_own_paris', '2026-11-25 12:00:00', '33187654321'));
    // A number the account does not have: a new caller.
    await deliver(missedEnd('in_stranger', '2026-11-25 12:00:01', '33698700001'));
    const ports = createAfterCallPorts(services, { jobs, settings: afterCallSettings });
    for (const pbx of ['in_own_paris', 'in_stranger']) {
      const callId = (await services.calls.get(pbx))?.id ?? '';
      await followUpEndedCall(ports, { callId, actor: systemActor('test') });
    }
    expect(await traceOf('in_own_paris')).toEqual(['new_caller.own_number']);
    expect(await traceOf('in_stranger')).toEqual(['new_caller.created']);
    const phones = await database.db.selectFrom('contact_phones').select('e164').execute();
    expect(phones.map((p) => p.e164)).toEqual(['+33698700001']);
  });

  it('lets a person accept, merge or decline a waiting number, each once', async () => {
    await runtime.update({ features: { missedCallTasks: false, autoCreate: true } });
    await jobs.stop();
    for (const [index, digits] of ['33611111111', '33622222222', '33633333333'].entries()) {
      await deliver(missedEnd(`in_inbox_${index}`, `2026-11-25 12:0${index}:00`, digits));
    }
    const ports = createAfterCallPorts(services, { jobs, settings: afterCallSettings });
    for (const index of [0, 1, 2]) {
      const call = await services.calls.get(`in_inbox_${index}`);
      await followUpEndedCall(ports, { callId: call?.id ?? '', actor: systemActor('test') });
    }
    const inbox = createKyselyNewCallerInbox(database.db, async () => 'FR');
    expect((await inbox.listPending(10)).map((c) => c.clientE164)).toEqual([
      '+33633333333',
      '+33622222222',
      '+33611111111',
    ]);
    const admin = {
      kind: 'user' as const,
      id: chief,
      role: 'admin' as const,
      name: 'Chief',
      locale: 'en' as const,
    };
    const at = new Date().toISOString();
    const accepted = await inbox.accept({
      clientE164: '+33611111111',
      kind: 'contact',
      name: 'Anna',
      actor: admin,
      at,
    });
    expect(accepted?.type).toBe('contact');
    expect(
      await inbox.accept({ clientE164: '+33611111111', kind: 'lead', name: null, actor: admin, at }),
    ).toBeNull();
    expect(
      await inbox.merge({ clientE164: '+33622222222', contactId: accepted?.id ?? '', actor: admin, at }),
    ).toBe(true);
    expect(await inbox.decline({ clientE164: '+33633333333', actor: admin, at })).toBe(true);
    expect(await inbox.decline({ clientE164: '+33633333333', actor: admin, at })).toBe(false);
    expect(await inbox.listPending(10)).toEqual([]);
    const phones = await database.db
      .selectFrom('contact_phones')
      .select('e164')
      .where('contact_id', '=', accepted?.id ?? '')
      .orderBy('position')
      .execute();
    expect(phones.map((p) => p.e164)).toEqual(['+33611111111', '+33622222222']);
  });
});
