import type { TWebhookEvent } from '@switchboard/zadarma';
import { describe, expect, it } from 'vitest';
import {
  createInMemoryWebhookPorts,
  createUnitCountingWebhookPorts,
} from '../test-support/in-memory-webhook-ports.js';
import {
  FAILING_EXTENSION,
  failingOnExtension,
  notifyInternal as internal,
  storedJob,
  unansweredEnd as unanswered,
} from '../test-support/webhook-fixtures.js';
import { createBatchProcessor } from './process-webhook-batch.js';

function setUp() {
  const t = createInMemoryWebhookPorts({ processing: failingOnExtension });
  t.directory.assign('101', 'user-olga', 'Olga');
  const stored = (event: TWebhookEvent) => storedJob(t.inbox, event, '2026-01-15T09:00:01.000Z');
  const popups = () =>
    t.publisher.events.map(
      (e) => `${e.topic} ${(e.payload as { data: { pbxCallId: string } }).data.pbxCallId}`,
    );
  return { ...t, stored, popups };
}

/** `count` NOTIFY_INTERNALs to extension 101 (`in_<tag>_<i>`), stored in `inbox` as processing jobs. */
async function storedJobs(inbox: Parameters<typeof storedJob>[0], tag: string, count: number, at: string) {
  const jobs: Awaited<ReturnType<typeof storedJob>>[] = [];
  for (let i = 0; i < count; i++) {
    jobs.push(await storedJob(inbox, internal(`in_${tag}_${i}`, '101'), at));
  }
  return jobs;
}

/** Stores `count` jobs (`storedJobs`), hands them to `processor` at once and waits until all are processed. */
async function processStored(
  inbox: Parameters<typeof storedJob>[0],
  processor: ReturnType<typeof createBatchProcessor>,
  tag: string,
  count: number,
  at = '2026-01-15T09:00:01.000Z',
): Promise<void> {
  const jobs = await storedJobs(inbox, tag, count, at);
  await Promise.all(jobs.map((job) => processor.submit(job)));
}

/** 3 ms slices on clocks that stand still (no slice is ever spent), counting the work clock's reads. */
function stoppedClocks() {
  let reads = 0;
  return {
    workReads: () => reads,
    options: {
      sliceMs: 3,
      maxBatch: 64,
      wallClockMs: () => 0,
      workClockMs: () => {
        reads += 1;
        return 0;
      },
    },
  };
}

describe('process-webhook-batch', () => {
  it('processes a batch in one unit of work, and when one event fails, lands the others and marks only it', async () => {
    const t = setUp();
    const processor = createBatchProcessor(t.ports);
    const jobs = [
      await t.stored(internal('in_ok_1', '101')),
      await t.stored(internal('in_bad', FAILING_EXTENSION)),
      await t.stored(internal('in_ok_2', '101')),
    ];
    await Promise.all(jobs.map((job) => processor.submit(job)));
    const status = async (i: number) => t.inbox.get(jobs[i]?.entryId ?? '');
    expect(await status(0)).toMatchObject({ status: 'processed', error: null });
    expect(await status(1)).toMatchObject({ status: 'failed', error: 'extension lookup failed on purpose' });
    expect(await status(2)).toMatchObject({ status: 'processed', error: null });
    // The failed event's writes were rolled back with it; each popup told once, none from the rolled-back try.
    expect((await t.calls.list()).map((c) => c.pbxCallId).sort()).toEqual(['in_ok_1', 'in_ok_2']);
    expect(t.popups()).toEqual(['call.ringing in_ok_1', 'call.ringing in_ok_2']);
    // One try for the batch, then one per event.
    expect(t.unitOfWork.runs()).toBe(4);
  });

  it('keeps a call’s events in arrival order across batches', async () => {
    const t = setUp();
    const processor = createBatchProcessor(t.ports, { maxBatch: 2 });
    const jobs = [
      await t.stored(internal('in_order', '101')),
      await t.stored(internal('in_other', '101')),
      await t.stored(unanswered('in_order')),
    ];
    await Promise.all(jobs.map((job) => processor.submit(job)));
    expect(t.popups()).toEqual([
      'call.ringing in_order',
      'call.ringing in_other',
      'call.ended in_order',
      'call.missed in_order',
    ]);
    expect((await t.calls.get('in_order'))?.status).toBe('missed');
  });

  it('has the inbox commit the appends waiting for their turn before every batch takes the connection', async () => {
    const t = setUp();
    const steps: string[] = [];
    const processor = createBatchProcessor({
      ...t.ports,
      commitQueuedAppends: async () => {
        steps.push('appends committed');
      },
      unitOfWork: {
        ...t.ports.unitOfWork,
        run: (work) => {
          steps.push('batch');
          return t.ports.unitOfWork.run(work);
        },
      },
    });
    await processor.submit(await t.stored(internal('in_first', '101')));
    await processor.submit(await t.stored(internal('in_second', '101')));
    expect(steps).toEqual(['appends committed', 'batch', 'appends committed', 'batch']);
  });

  it('marks every event of a batch failed when its context cannot be read', async () => {
    const t = setUp();
    const ports = {
      ...t.ports,
      settings: { ...t.ports.settings, defaultCountry: () => Promise.reject(new Error('settings down')) },
    };
    const errors: string[] = [];
    const processor = createBatchProcessor(ports, { onError: (_e, context) => errors.push(context) });
    const job = await t.stored(internal('in_no_context', '101'));
    await processor.submit(job);
    expect(await t.inbox.get(job.entryId)).toMatchObject({ status: 'failed', error: 'settings down' });
    expect(errors).toHaveLength(1);
    await processor.idle();
  });

  it('cuts batches to the time slice at the measured cost per job, and lets the event loop turn between them', async () => {
    // A fake monotonic clock: each event folded costs 0.5 ms of it.
    let now = 0;
    const t = createUnitCountingWebhookPorts({
      onEvent: () => {
        now += 0.5;
      },
    });
    const sizes = t.sizes;
    const processor = createBatchProcessor(t.ports, {
      sliceMs: 1,
      maxSliceMs: 1,
      maxBatch: 64,
      workClockMs: () => now,
      wallClockMs: () => now,
    });
    const jobs = await storedJobs(t.inbox, 'slice', 30, '2026-01-15T09:00:01.000Z');
    // Counts the event-loop turns taken while the queue drains: a batch after another waits for one.
    let turns = 0;
    let draining = true;
    const tick = () => {
      if (draining) {
        turns += 1;
        setImmediate(tick);
      }
    };
    setImmediate(tick);
    await Promise.all(jobs.map((job) => processor.submit(job)));
    draining = false;
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(30);
    // Unknown cost: an eighth of the slice assumed, so 8 gathered at first; but no unit of work takes a job once
    // the slice is spent: 1 ms / 0.5 ms = 2 jobs each, from the first batch on.
    expect(sizes.every((size) => size === 2)).toBe(true);
    expect(turns).toBeGreaterThanOrEqual(sizes.length - 1);
    expect((await t.calls.list()).length).toBe(30);
  });

  it('stops a unit of work once its slice is spent, however wrong the forecast, and keeps arrival order', async () => {
    // A fake monotonic clock: cheap events (0.05 ms) make the forecast large, then each costs 2 ms.
    let now = 0;
    let cost = 0.05;
    const folded: string[] = [];
    const units: number[] = [];
    const t = createInMemoryWebhookPorts({
      processing: (ports) => ({
        ...ports,
        calls: {
          ...ports.calls,
          applyEvent: (...args: Parameters<typeof ports.calls.applyEvent>) => {
            now += cost;
            folded.push(args[0].pbxCallId);
            return ports.calls.applyEvent(...args);
          },
        },
      }),
    });
    t.directory.assign('101', 'user-olga', 'Olga');
    const unitOfWork = {
      ...t.ports.unitOfWork,
      run: async <T>(work: Parameters<typeof t.ports.unitOfWork.run<T>>[0]) => {
        const before = now;
        const result = await t.ports.unitOfWork.run(work);
        units.push(now - before);
        return result;
      },
    };
    const processor = createBatchProcessor(
      { ...t.ports, unitOfWork },
      { sliceMs: 3, maxSliceMs: 3, maxBatch: 64, workClockMs: () => now, wallClockMs: () => now },
    );
    const submitAll = async (from: number, to: number) => {
      const jobs = [];
      for (let i = from; i < to; i++) {
        jobs.push(await storedJob(t.inbox, internal(`in_cut_${i}`, '101'), '2026-01-15T09:00:01.000Z'));
      }
      await Promise.all(jobs.map((job) => processor.submit(job)));
      return jobs;
    };
    await submitAll(0, 40);
    units.length = 0;
    cost = 2;
    const cut = await submitAll(40, 80);
    // The forecast (0.05 ms a job) gathered all 40 at once; each unit stopped one job past its 3 ms slice.
    expect(Math.max(...units)).toBeLessThanOrEqual(3 + 2);
    expect(units.length).toBeGreaterThanOrEqual(20);
    // Every job processed once, in arrival order, and each submit resolved (the awaits above returned).
    expect(folded).toEqual(Array.from({ length: 80 }, (_, i) => `in_cut_${i}`));
    for (const job of cut) {
      expect(await t.inbox.get(job.entryId)).toMatchObject({ status: 'processed' });
    }
    await processor.idle();
  });

  it('works through a backlog longer than its compaction point in cut batches: each job once, in arrival order, late ones behind', async () => {
    // Each job costs 1 ms on a fake clock and the slice is 3 ms: batches of about 3 over 1,500 jobs, so the
    // queue's processed head is dropped (past 1,024 jobs) while jobs keep arriving.
    let now = 0;
    const folded: string[] = [];
    const late: Promise<void>[] = [];
    const t = createInMemoryWebhookPorts({
      processing: (ports) => ({
        ...ports,
        calls: {
          ...ports.calls,
          applyEvent: (...args: Parameters<typeof ports.calls.applyEvent>) => {
            now += 1;
            folded.push(args[0].pbxCallId);
            return ports.calls.applyEvent(...args);
          },
        },
      }),
    });
    t.directory.assign('101', 'user-olga', 'Olga');
    const backlog = await storedJobs(t.inbox, 'backlog', 1_500, '2026-01-15T09:00:01.000Z');
    const lateJobs = await storedJobs(t.inbox, 'late', 50, '2026-01-15T09:00:01.000Z');
    const processor = createBatchProcessor(t.ports, {
      sliceMs: 3,
      maxBatch: 64,
      workClockMs: () => now,
      wallClockMs: () => now,
    });
    const submitted = backlog.map((b) => processor.submit(b));
    // Half-way through, the late ones arrive, one per processed job.
    const arriving = setInterval(() => {
      if (folded.length >= 700 && lateJobs.length > 0) {
        late.push(processor.submit(lateJobs.shift() as (typeof lateJobs)[0]));
      }
    }, 0);
    await Promise.all(submitted);
    while (lateJobs.length > 0) {
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await Promise.all(late);
    clearInterval(arriving);
    await processor.idle();
    const expected = [
      ...Array.from({ length: 1_500 }, (_, i) => `in_backlog_${i}`),
      ...Array.from({ length: 50 }, (_, i) => `in_late_${i}`),
    ];
    expect(folded.filter((id) => id.startsWith('in_backlog_'))).toEqual(expected.slice(0, 1_500));
    expect(folded.filter((id) => id.startsWith('in_late_'))).toEqual(expected.slice(1_500));
    expect(folded).toHaveLength(1_550);
    // The late ones were processed after the backlog they joined, not ahead of it.
    expect(folded.indexOf('in_late_0')).toBeGreaterThan(folded.indexOf('in_backlog_699'));
    expect(processor.busy()).toBe(false);
  });

  it('grows the slice up to maxSliceMs while processing is behind, and is back at sliceMs once the backlog fits', async () => {
    // Each event costs 0.5 ms of a fake clock; slices of 1 ms, growing to 4 ms (the default, 4x).
    let now = 0;
    const t = createUnitCountingWebhookPorts({
      onEvent: () => {
        now += 0.5;
      },
    });
    const processor = createBatchProcessor(t.ports, {
      sliceMs: 1,
      maxBatch: 64,
      workClockMs: () => now,
      wallClockMs: () => now,
    });
    await processStored(t.inbox, processor, 'behind', 200);
    const sizes = t.sizes;
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(200);
    // Behind (more waiting than a 1 ms slice takes): slices doubled to 4 ms, 8 events — never more.
    expect(Math.max(...sizes)).toBe(8);
    expect(sizes.filter((n) => n === 8).length).toBeGreaterThan(20);
    // Two more, which fit in one slice: a 1 ms one again. Then six: the first batch sized as the first came (a
    // 1 ms slice), the four behind it in a grown one (2 ms).
    const before = sizes.length;
    await processStored(t.inbox, processor, 'caught_up', 2);
    expect(sizes.slice(before)).toEqual([2]);
    await processStored(t.inbox, processor, 'six', 6);
    expect(sizes.slice(before + 1)).toEqual([2, 4]);
  });

  it('brings a forecast blown up by one stall back down, and never counts work the wall clock did not see', async () => {
    // Each event costs 0.5 ms on both fake clocks; once, the work clock alone jumps 40 ms (another thread's work:
    // a checkpoint), and once both do (a real stall, as a GC pause).
    let wall = 0;
    let work = 0;
    let events = 0;
    const t = createUnitCountingWebhookPorts({
      onEvent: () => {
        events += 1;
        wall += 0.5;
        work += events === 20 ? 40.5 : 0.5;
        if (events === 100) {
          wall += 40;
          work += 40;
        }
      },
    });
    const processor = createBatchProcessor(t.ports, {
      sliceMs: 2,
      maxSliceMs: 2,
      maxBatch: 64,
      workClockMs: () => work,
      wallClockMs: () => wall,
    });
    await processStored(t.inbox, processor, 'stall', 300);
    const sizes = t.sizes;
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(300);
    // The work clock's lone jump (event 20) was bounded by the wall clock: batches stayed at 2 ms ÷ 0.5 ms = 4
    // events until the real stall (event 100), which shrank them to one event each.
    const firstLone = sizes.indexOf(1);
    expect(sizes.slice(0, firstLone).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(100);
    expect(sizes.slice(0, firstLone).every((n) => n === 4)).toBe(true);
    // Timed even alone (others waited behind them), the forecast came back down: batches of 3–4 again.
    expect(sizes.slice(-10, -1).every((n) => n >= 3)).toBe(true);
  });

  it('keeps batches whole while sliceWhile says no one waits, and cuts them again once it says someone does', async () => {
    let now = 0;
    let workReads = 0;
    let ringing = false;
    const t = createUnitCountingWebhookPorts({
      onEvent: () => {
        now += 0.5;
      },
    });
    const sizes = t.sizes;
    const processor = createBatchProcessor(t.ports, {
      sliceMs: 1,
      maxSliceMs: 1,
      maxBatch: 64,
      workClockMs: () => {
        workReads += 1;
        return now;
      },
      wallClockMs: () => now,
      sliceWhile: () => ringing,
    });
    const submitAll = async (tag: string) => {
      const jobs = await storedJobs(t.inbox, tag, 30, '2026-01-15T09:00:01.000Z');
      await Promise.all(jobs.map((job) => processor.submit(job)));
    };
    await submitAll('quiet');
    // 30 jobs of 0.5 ms against a 1 ms slice, but nobody waits: one unit of work for all of them, not timed.
    expect(sizes).toEqual([30]);
    expect(workReads).toBe(0);
    sizes.length = 0;
    ringing = true;
    await submitAll('ringing');
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(30);
    expect(sizes.every((size) => size <= 2)).toBe(true);
  });

  it('reads the work clock (a system call) only once a slice of wall time has gone by, not after every job', async () => {
    // The wall clock stands still: no slice can be spent, so the work clock is read only at the batches' edges.
    let units = 0;
    const t = setUp();
    const unitOfWork = {
      ...t.ports.unitOfWork,
      run: <T>(work: Parameters<typeof t.ports.unitOfWork.run<T>>[0]) => {
        units += 1;
        return t.ports.unitOfWork.run(work);
      },
    };
    const clock = stoppedClocks();
    const processor = createBatchProcessor({ ...t.ports, unitOfWork }, clock.options);
    const jobs = await storedJobs(t.inbox, 'clock', 40, '2026-01-15T09:00:01.000Z');
    await Promise.all(jobs.map((job) => processor.submit(job)));
    await processor.idle();
    expect((await t.calls.list()).length).toBe(40);
    // Two reads a batch of several jobs (its start and its measured cost), whatever the number of jobs in it; none
    // for a batch of one.
    expect(clock.workReads()).toBeGreaterThan(0);
    expect(clock.workReads()).toBeLessThanOrEqual(2 * units);
    expect(units).toBeLessThan(40);
  });

  it('never reads the work clock for a batch of one job: events processed one by one as they come', async () => {
    const t = setUp();
    const clock = stoppedClocks();
    const processor = createBatchProcessor(t.ports, clock.options);
    for (let i = 0; i < 10; i++) {
      await processor.submit(await t.stored(internal(`in_single_${i}`, '101')));
    }
    expect((await t.calls.list()).length).toBe(10);
    expect(clock.workReads()).toBe(0);
  });

  it('keeps batches whole (up to maxBatch) without a slice: PostgreSQL, where each commit is an fsync', async () => {
    const t = setUp();
    let runs = 0;
    const unitOfWork = {
      ...t.ports.unitOfWork,
      run: <T>(work: Parameters<typeof t.ports.unitOfWork.run<T>>[0]) => {
        runs += 1;
        return t.ports.unitOfWork.run(work);
      },
    };
    const processor = createBatchProcessor({ ...t.ports, unitOfWork }, { maxBatch: 64 });
    const jobs = [];
    for (let i = 0; i < 20; i++) {
      jobs.push(await t.stored(internal(`in_whole_${i}`, '101')));
    }
    await Promise.all(jobs.map((job) => processor.submit(job)));
    expect(runs).toBe(1);
  });
});
