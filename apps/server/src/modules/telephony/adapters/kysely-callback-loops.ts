/**
 * The `CallbackLoops` port on `callback_loops` (one row per client number with an open callback task) and
 * `callback_loop_calls` (each missed call counted once), the task itself created and changed through the CRM's
 * task use cases. Race-safe on both dialects: the call's row and the loop's key are primary keys written first
 * in the transaction, so two jobs for one number serialise on them (PostgreSQL's upsert waits for the first
 * writer; SQLite has one writer), and the second counts into the first one's task.
 */
import type { Kysely } from 'kysely';
import type { Actor } from '../../../platform/auth/actor.js';
import { inTransaction } from '../../../platform/db/in-transaction.js';
import { preparedQuery } from '../../../platform/db/prepared-query.js';
import type { CallbackLoopsTable } from '../../../platform/db/schema/after-call.js';
import type { Database } from '../../../platform/db/schema.js';
import { newId } from '../../../platform/ids.js';
import { createTask } from '../../crm/tasks/create-task.js';
import { updateTask } from '../../crm/tasks/update-task.js';
import type { CallbackLoop, CallbackLoops } from '../ports.js';

type LoopRow = CallbackLoopsTable & { assignee_id: string | null; task_status: string | null };

function toLoop(row: LoopRow): CallbackLoop {
  return {
    clientE164: row.client_e164,
    taskId: row.task_id,
    missedCalls: Number(row.missed_calls),
    firstCallId: row.first_call_id,
    lastCallId: row.last_call_id,
    firstMissedAt: row.first_missed_at,
    dueAt: row.due_at,
    assigneeId: row.assignee_id,
    escalatedAt: row.escalated_at,
  };
}

const selectLoopQuery = preparedQuery((db, clientE164: string) =>
  db
    .selectFrom('callback_loops as l')
    .leftJoin('tasks as t', 't.id', 'l.task_id')
    .selectAll('l')
    .select(['t.assignee_id as assignee_id', 't.status as task_status'])
    .where('l.client_e164', '=', clientE164),
);

async function selectLoop(db: Kysely<Database>, clientE164: string): Promise<LoopRow | undefined> {
  return (await selectLoopQuery(db, clientE164)).rows[0] as LoopRow | undefined;
}

/** Counts the call once (its primary key): the claim two jobs for one call race on. */
const countCall = preparedQuery((db, callId: string, clientE164: string, at: string) =>
  db
    .insertInto('callback_loop_calls')
    .values({ call_id: callId, client_e164: clientE164, task_id: '', at })
    .onConflict((oc) => oc.column('call_id').doNothing()),
);

/**
 * One upsert counts the call into the number's loop and, since jobs may run out of order, keeps the earliest and
 * the latest missed call whatever came first (SET reads the row as it was, on both dialects).
 */
const upsertLoop = preparedQuery(
  (db, clientE164: string, taskId: string, callId: string, at: string, dueAt: string) =>
    db
      .insertInto('callback_loops')
      .values({
        client_e164: clientE164,
        task_id: taskId,
        missed_calls: 1,
        first_call_id: callId,
        last_call_id: callId,
        first_missed_at: at,
        last_missed_at: at,
        due_at: dueAt,
        escalated_at: null,
      })
      .onConflict((oc) =>
        oc.column('client_e164').doUpdateSet((eb) => {
          const earlier = eb('callback_loops.first_missed_at', '>', eb.ref('excluded.first_missed_at'));
          const later = eb('callback_loops.last_missed_at', '<', eb.ref('excluded.last_missed_at'));
          return {
            missed_calls: eb('callback_loops.missed_calls', '+', 1),
            first_call_id: eb
              .case()
              .when(earlier)
              .then(eb.ref('excluded.first_call_id'))
              .else(eb.ref('callback_loops.first_call_id'))
              .end(),
            first_missed_at: eb
              .case()
              .when(earlier)
              .then(eb.ref('excluded.first_missed_at'))
              .else(eb.ref('callback_loops.first_missed_at'))
              .end(),
            last_call_id: eb
              .case()
              .when(later)
              .then(eb.ref('excluded.last_call_id'))
              .else(eb.ref('callback_loops.last_call_id'))
              .end(),
            last_missed_at: eb
              .case()
              .when(later)
              .then(eb.ref('excluded.last_missed_at'))
              .else(eb.ref('callback_loops.last_missed_at'))
              .end(),
          };
        }),
      )
      .returningAll(),
);

/**
 * Only the title of the open task changes ("called 3×"): one UPDATE, not the CRM's whole update use case (which
 * reads the task twice and checks rights the system has) — that was the job's costliest part.
 */
const retitleOpenTask = preparedQuery((db, taskId: string, title: string, at: string) =>
  db
    .updateTable('tasks')
    .set({ title, updated_at: at })
    .where('id', '=', taskId)
    .where('status', '=', 'open'),
);

const setCallTask = preparedQuery((db, callId: string, taskId: string) =>
  db.updateTable('callback_loop_calls').set({ task_id: taskId }).where('call_id', '=', callId),
);

/** Changes the task as `actor` (the system): its title, and its assignee or status when given. */
async function changeTask(
  db: Kysely<Database>,
  actor: Actor,
  taskId: string,
  patch: { title?: string; assigneeId?: string; status?: 'done' },
  at: string,
): Promise<void> {
  await updateTask({ db, actor, id: taskId, patch, now: new Date(at) });
}

/** The loops over the app's database. Why: the after-call job counts, closes and escalates through them. */
export function createKyselyCallbackLoops(db: Kysely<Database>): CallbackLoops {
  return {
    countMissedCall(input) {
      return inTransaction(db, async (trx) => {
        const counted = await countCall(trx, input.callId, input.clientE164, input.at);
        if (Number(counted.numAffectedRows ?? 0) === 0) {
          // Counted before: its loop may be closed and gone by now (a replayed event), which is no error.
          return { counted: false as const };
        }
        // A loop whose task a person closed or deleted is over: the next missed call opens a new one.
        const existing = await selectLoop(trx, input.clientE164);
        if (existing && existing.task_status !== 'open') {
          await trx.deleteFrom('callback_loops').where('client_e164', '=', input.clientE164).execute();
        }
        const placeholder = `pending:${newId()}`;
        const [row] = (
          await upsertLoop(trx, input.clientE164, placeholder, input.callId, input.at, input.dueAt)
        ).rows;
        if (!row) {
          throw new Error(`callback loop of ${input.clientE164} not written`);
        }
        const opened = row.task_id === placeholder;
        let taskId = row.task_id;
        let assigneeId: string | null;
        if (opened) {
          const task = await createTask({
            db: trx,
            actor: input.actor,
            input: {
              title: input.title(1),
              description: '',
              status: 'open',
              dueAt: input.dueAt,
              assigneeId: input.assigneeId,
              ...(input.contactId ? { subjectType: 'contact' as const, subjectId: input.contactId } : {}),
            },
            now: new Date(input.at),
          });
          taskId = task.id;
          assigneeId = input.assigneeId;
          await trx
            .updateTable('callback_loops')
            .set({ task_id: taskId })
            .where('client_e164', '=', input.clientE164)
            .execute();
        } else {
          await retitleOpenTask(trx, taskId, input.title(Number(row.missed_calls)), input.at);
          // Another job opened the loop after this one read it (PostgreSQL, two calls at once): read its assignee.
          assigneeId =
            existing?.task_id === taskId
              ? existing.assignee_id
              : ((await selectLoop(trx, input.clientE164))?.assignee_id ?? null);
        }
        await setCallTask(trx, input.callId, taskId);
        return {
          loop: toLoop({ ...row, task_id: taskId, assignee_id: assigneeId, task_status: 'open' }),
          opened,
          counted: true as const,
        };
      });
    },
    async openFor(clientE164) {
      const row = await selectLoop(db, clientE164);
      return row && row.task_status === 'open' ? toLoop(row) : null;
    },
    close(input) {
      return inTransaction(db, async (trx) => {
        const gone = await trx
          .deleteFrom('callback_loops')
          .where('client_e164', '=', input.clientE164)
          .where('task_id', '=', input.taskId)
          .executeTakeFirst();
        if (Number(gone.numDeletedRows) === 0) {
          return false;
        }
        await changeTask(trx, input.actor, input.taskId, { status: 'done' }, input.at);
        return true;
      });
    },
    escalate(input) {
      return inTransaction(db, async (trx) => {
        const marked = await trx
          .updateTable('callback_loops')
          .set({ escalated_at: input.at })
          .where('client_e164', '=', input.clientE164)
          .where('task_id', '=', input.taskId)
          .where('escalated_at', 'is', null)
          // A task a person completed ended the loop (`openFor` says so): it is not handed on, done, to someone else.
          .where((eb) =>
            eb.exists(
              eb
                .selectFrom('tasks')
                .select('tasks.id')
                .where('tasks.id', '=', input.taskId)
                .where('tasks.status', '=', 'open'),
            ),
          )
          .executeTakeFirst();
        if (Number(marked.numUpdatedRows) === 0) {
          return false;
        }
        await changeTask(
          trx,
          input.actor,
          input.taskId,
          { title: input.title, assigneeId: input.toUserId },
          input.at,
        );
        return true;
      });
    },
  };
}
