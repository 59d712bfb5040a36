/**
 * Issue 12 §6 and §9 end to end: the simulator plays the calls to this server, the real job queue of the dialect
 * runs the after-call job, and the simulator's trace shows where each call went and what the phones displayed —
 * each switch off (a new install) and on, on both dialects. The same client calling three times while nobody
 * answers yields one task, closed by the answered call back; a call from one of the account's direct numbers,
 * or from a number the blacklist refused, never becomes a new caller.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { TEST_DIALECTS } from '../../../test-support/test-database.js';
import { untilMatching } from '../../../test-support/until.js';
import { formatPhoneInternational } from '../../crm/phones/normalize-phone.js';
import { eventFromPayload } from '../../crm/timeline/record-activity.js';
import { useTelephonyTest } from '../test-support/test-telephony.js';

// The real queues on a shared machine: a run may take seconds (no timing is asserted).
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const OUR_LONDON = '442037691999';
/** The account's other direct number (the simulator's Paris line). */
const OUR_PARIS = '+33187654321';

/** Waits (bounded) for `check` to hold: the queue runs jobs in the background. */
describe.each(TEST_DIALECTS)('after the call, against the simulator, on %s', (dialect) => {
  const t = useTelephonyTest(dialect, { jobs: true });

  beforeAll(async () => {
    // A new install: both after-call switches off.
    expect((await t.runtime.settings()).features).toMatchObject({
      missedCallTasks: false,
      autoCreate: false,
    });
    await t.runtime.update({ defaultResponsibleUserId: t.agent1.id });
  });

  /** A call from `from` nobody answers, played to its end and processed; the simulator's trace. */
  async function missed(from: string) {
    const { pbxCallId } = t.sim.placeInbound({
      from,
      to: OUR_LONDON,
      answer: null,
      outcome: 'cancel',
      ringSeconds: 1,
    });
    await t.settle(t.sim, pbxCallId);
    const trace = t.sim.getCall(pbxCallId);
    if (!trace) {
      throw new Error(`no trace for ${pbxCallId}`);
    }
    return trace;
  }

  /** Where the PBX sent the call: its "ringing 100, 101, …" step. */
  const rang = (trace: { routing: { action: string }[] }) =>
    trace.routing.map((r) => r.action).find((a) => a.startsWith('ringing')) ?? '(never rang)';

  const tasksOf = (e164: string) =>
    t.database.db
      .selectFrom('tasks')
      .select(['id', 'title', 'status', 'assignee_id'])
      .where('title', 'like', `%${formatPhoneInternational(e164)}%`)
      .execute();

  const inboxHas = async (e164: string) =>
    (
      await t.database.db.selectFrom('new_callers').select('status').where('client_e164', '=', e164).execute()
    ).map((r) => r.status);

  /** The after-call decisions on our call's trace (codes). */
  async function decisionsOf(pbxCallId: string): Promise<string[]> {
    const call = await t.live.adapters.calls.get(pbxCallId);
    const rows = await t.database.db
      .selectFrom('activities')
      .select('payload')
      .where('subject_type', '=', 'call')
      .where('subject_id', '=', call?.id ?? '')
      .orderBy('at')
      .execute();
    return rows
      .map((r) => eventFromPayload(r.payload)?.type ?? '')
      .filter((type) => type.startsWith('callback.') || type.startsWith('new_caller.'));
  }

  it('9 — three unanswered calls of one client make one task "called 3×", closed by the answered call back; nothing when off', async () => {
    const quiet = '+33611110001';
    const off = await missed(quiet);
    // Where the call went and what the phones displayed: the PBX's own group, the bare number (no CRM decision).
    expect(rang(off)).toMatch(/^ringing /);
    expect(off.displayName).toContain('33611110001');
    expect(off.outcome?.disposition).toBe('cancel');
    await t.live.ingest.idle();
    expect(await tasksOf(quiet)).toEqual([]);
    expect(await decisionsOf(off.pbxCallId)).toEqual([]);

    await t.runtime.update({ features: { missedCallTasks: true } });
    const client = '+33611110002';
    const calls = [await missed(client), await missed(client), await missed(client)];
    for (const call of calls) {
      expect(rang(call)).toMatch(/^ringing /);
      expect(call.outcome?.answeredBy).toBeNull();
    }
    const [task] = await untilMatching(
      () => tasksOf(client),
      (tasks) => tasks.length === 1 && tasks[0]?.title.endsWith('3×') === true,
      'one task counting three calls',
    );
    expect(task).toMatchObject({ status: 'open', assignee_id: t.agent1.id });
    // The task's count and the call's trace are written one after the other: wait for the third trace.
    const traces = await untilMatching(
      async () => (await Promise.all(calls.map((c) => decisionsOf(c.pbxCallId)))).flat().sort(),
      (found) => found.length >= 3,
      'a decision on each of the three calls',
    );
    expect(traces).toEqual(['callback.task_grouped', 'callback.task_grouped', 'callback.task_opened']);

    // Agent 1 calls the client back from extension 101; the client answers.
    const { pbxCallId: back } = t.sim.placeOutbound({
      extension: '101',
      to: client,
      outcome: 'answered',
      talkSeconds: 5,
    });
    await t.settle(t.sim, back);
    expect(t.sim.getCall(back)?.outcome?.disposition).toBe('answered');
    await untilMatching(
      () => tasksOf(client),
      (tasks) => tasks[0]?.status === 'done',
      'the task closed by the call back',
    );
    expect(
      await untilMatching(
        () => decisionsOf(back),
        (d) => d.length > 0,
        'the closing decision',
      ),
    ).toEqual(['callback.task_closed']);
    await t.runtime.update({ features: { missedCallTasks: false } });
  });

  it('6 — a new number waits in the new-callers inbox, one of our numbers never does; nothing when off', async () => {
    const stranger = '+33611110003';
    const off = await missed(stranger);
    await t.live.ingest.idle();
    expect(off.displayName).toContain('33611110003');
    expect(await inboxHas(stranger)).toEqual([]);

    await t.runtime.update({ features: { autoCreate: true } });
    const on = await missed(stranger);
    expect(rang(on)).toMatch(/^ringing /);
    await untilMatching(
      () => inboxHas(stranger),
      (s) => s.length === 1,
      'the number in the inbox',
    );
    expect(await inboxHas(stranger)).toEqual(['pending']);
    expect(
      await untilMatching(
        () => decisionsOf(on.pbxCallId),
        (d) => d.length > 0,
        'the decision',
      ),
    ).toEqual(['new_caller.inbox']);

    // Our Paris line calling our London line (a transfer test, a colleague): never a new caller.
    const own = await missed(OUR_PARIS);
    expect(
      await untilMatching(
        () => decisionsOf(own.pbxCallId),
        (d) => d.length > 0,
        'the decision',
      ),
    ).toEqual(['new_caller.own_number']);
    expect(await inboxHas(OUR_PARIS)).toEqual([]);
    await t.runtime.update({ features: { autoCreate: false } });
  });

  it('6 and 10 — a caller the blacklist refused never becomes a new caller, nor a callback task', async () => {
    const spammer = '+33611110004';
    const added = await t.as(t.agent1, {
      method: 'POST',
      url: '/api/telephony/blacklist',
      payload: { number: spammer },
    });
    expect(added.statusCode, added.body).toBe(201);
    await t.runtime.update({ features: { autoCreate: true, missedCallTasks: true, blacklist: true } });
    try {
      const refused = await missed(spammer);
      // The PBX played the busy tone our reply asked for: the phones never rang.
      expect(refused.routing.map((r) => `${r.action}: ${r.why}`)).toContain(
        'blacklisted: the CRM replied redirect=blacklist: busy tone',
      );
      expect(rang(refused)).toBe('(never rang)');
      expect(
        await untilMatching(
          () => decisionsOf(refused.pbxCallId),
          (d) => d.length > 0,
          'the decision',
        ),
      ).toEqual(['new_caller.blacklisted']);
      expect(await inboxHas(spammer)).toEqual([]);
      expect(await tasksOf(spammer)).toEqual([]);
    } finally {
      await t.runtime.update({ features: { autoCreate: false, missedCallTasks: false, blacklist: false } });
    }
  });
});
