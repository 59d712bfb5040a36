import { formatZadarmaDate } from '@switchboard/zadarma-sim';
import { describe, expect, it } from 'vitest';
import { createUnitCountingWebhookPorts } from '../test-support/in-memory-webhook-ports.js';
import { signedWebhookRequest } from '../test-support/webhook-fixtures.js';
import { createIngest } from './receive-webhook.js';

const SECRET = 'in-memory-secret';
/**
 * Each event's fold costs at least this much, both of the process's CPU time (the processor's work clock) and of
 * wall time (which it asks first): a busy loop on both clocks, so the slice is spent after two jobs however busy
 * the machine or the process's other threads are.
 */
const JOB_CPU_MS = 0.6;

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function burnCpu(ms: number): void {
  const cpuUntil = cpuMs() + ms;
  const wallUntil = performance.now() + ms;
  while (cpuMs() < cpuUntil || performance.now() < wallUntil) {
    // spin
  }
}

function setUp() {
  const t = createUnitCountingWebhookPorts({ timezone: 'UTC+3', onEvent: () => burnCpu(JOB_CPU_MS) });
  // The slice held at 1 ms (it grows while a backlog waits: process-webhook-batch.unit.test.ts).
  const ingest = createIngest(t.ports, { batchSliceMs: 1, batchMaxSliceMs: 1 });
  return { t, ingest, units: t.sizes };
}

/** Stores `count` NOTIFY_INTERNALs, then hands them to processing all at once (one queue). */
async function ringAgents(setup: ReturnType<typeof setUp>, tag: string, count: number): Promise<void> {
  const afters: (() => Promise<void>)[] = [];
  for (let i = 0; i < count; i++) {
    const outcome = await setup.ingest.handle(
      signedWebhookRequest(
        {
          event: 'NOTIFY_INTERNAL',
          call_start: formatZadarmaDate(setup.t.pbxClock.now(), 180),
          pbx_call_id: `in_${tag}_${i}`,
          caller_id: `3361234${String(i).padStart(4, '0')}`,
          called_did: '442037691999',
          internal: '101',
        },
        SECRET,
      ),
    );
    if (outcome.kind !== 'accepted') {
      throw new Error(`not accepted: ${JSON.stringify(outcome)}`);
    }
    afters.push(outcome.after);
  }
  await Promise.all(afters.map((after) => after()));
  await setup.ingest.idle();
}

describe('receive-webhook: batches are sliced while callers ring', () => {
  it('processes a backlog in whole batches when no NOTIFY_START came within the last second', async () => {
    const setup = setUp();
    await ringAgents(setup, 'quiet', 12);
    // 12 jobs of 0.6 ms of CPU against a 1 ms slice: nobody is ringing, so one unit of work takes them all.
    expect(setup.units).toEqual([12]);
  });

  it('cuts the backlog to the slice for a second after a NOTIFY_START, then keeps batches whole again', async () => {
    const setup = setUp();
    const start = {
      event: 'NOTIFY_START',
      call_start: formatZadarmaDate(setup.t.pbxClock.now(), 180),
      pbx_call_id: 'in_ringing_start',
      caller_id: '33612349999',
      called_did: '442037691999',
    };
    const outcome = await setup.ingest.handle(signedWebhookRequest(start, SECRET));
    expect(outcome.kind).toBe('accepted');
    if (outcome.kind === 'accepted') {
      await outcome.after();
    }
    await setup.ingest.idle();
    setup.units.length = 0;
    setup.t.clock.advance(900);
    await ringAgents(setup, 'ringing', 12);
    expect(setup.units.reduce((a, b) => a + b, 0)).toBe(12);
    // A job past the slice at most: 2 jobs of 0.6 ms against 1 ms.
    expect(Math.max(...setup.units)).toBeLessThanOrEqual(2);
    setup.units.length = 0;
    setup.t.clock.advance(200);
    await ringAgents(setup, 'after', 12);
    expect(setup.units).toEqual([12]);
  });
});
