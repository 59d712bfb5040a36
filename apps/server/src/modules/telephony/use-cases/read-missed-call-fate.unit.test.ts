/**
 * What became of a missed call, read from the later calls with the same client on the in-memory call log: the
 * first connected one decides (the client's own call, or ours within N minutes, 24 h, later), unanswered
 * attempts and other clients' calls do not count, and only missed inbound calls have a fate.
 */
import { describe, expect, it } from 'vitest';
import { createInMemoryCallLogDetails } from '../adapters/in-memory-call-list.js';
import { createInMemoryCallRepository } from '../adapters/in-memory-call-store.js';
import type { CallEvent } from '../domain/call-event.js';
import type { StoredCall } from '../ports.js';
import {
  asAnotherCall,
  foldEvents,
  inboundAnswered,
  inboundMissed,
  outboundAnswered,
} from '../test-support/call-scenarios.js';
import { RETURN_WITHIN_MINUTES, readMissedCallFate } from './read-missed-call-fate.js';

const CLIENT = '+442037691880';
const MINUTE = 60_000;

async function world() {
  const calls = createInMemoryCallRepository();
  /** Folds `events` as call `id`, `shiftMs` after the scenario's time, linked to `client`. */
  const call = async (
    events: readonly CallEvent[],
    id: string,
    shiftMs: number,
    client: string | null = CLIENT,
  ) =>
    (await calls.link(await foldEvents(calls, asAnotherCall(events, id, shiftMs)), {
      clientE164: client,
    })) as StoredCall;
  const missed = await call(inboundMissed, 'in_missed', 0);
  const ports = { calls: createInMemoryCallLogDetails({ calls }) };
  return { calls, call, missed, ports };
}

describe('readMissedCallFate', () => {
  it('is not_returned while nobody has spoken to the client since', async () => {
    const { ports, missed, call } = await world();
    expect(await readMissedCallFate(ports, missed)).toEqual({
      classification: 'not_returned',
      secondsToCallBack: null,
    });
    // Another missed call from the client, and an answered call with someone else, settle nothing.
    await call(inboundMissed, 'in_missed_again', 5 * MINUTE);
    await call(outboundAnswered, 'out_other', 6 * MINUTE, '+33612345678');
    expect(await readMissedCallFate(ports, missed)).toEqual({
      classification: 'not_returned',
      secondsToCallBack: null,
    });
  });

  it('is returned_within_n when we called back and talked within N minutes', async () => {
    const { ports, missed, call } = await world();
    await call(outboundAnswered, 'out_1', 10 * MINUTE);
    expect(await readMissedCallFate(ports, missed)).toEqual({
      classification: 'returned_within_n',
      secondsToCallBack: 600,
    });
    // A shorter N makes the same call back a return within 24 h.
    expect(await readMissedCallFate(ports, missed, 5)).toEqual({
      classification: 'returned_within_24h',
      secondsToCallBack: 600,
    });
    expect(RETURN_WITHIN_MINUTES).toBe(30);
  });

  it('is returned_later after a day, and client_called_back when the client called first', async () => {
    const late = await world();
    await late.call(outboundAnswered, 'out_late', 25 * 60 * MINUTE);
    expect((await readMissedCallFate(late.ports, late.missed))?.classification).toBe('returned_later');

    const back = await world();
    await back.call(inboundAnswered, 'in_back', 3 * MINUTE);
    await back.call(outboundAnswered, 'out_after', 20 * MINUTE);
    expect(await readMissedCallFate(back.ports, back.missed)).toEqual({
      classification: 'client_called_back',
      secondsToCallBack: 180,
    });
  });

  it('has no fate for an answered call or an outbound one', async () => {
    const { ports, call } = await world();
    expect(await readMissedCallFate(ports, await call(inboundAnswered, 'in_ok', MINUTE))).toBeNull();
    expect(await readMissedCallFate(ports, await call(outboundAnswered, 'out_ok', MINUTE))).toBeNull();
  });

  it('is not_returned for a missed call from a hidden number, without reading the log', async () => {
    const { ports, call } = await world();
    const hidden = await call(inboundMissed, 'in_hidden', MINUTE, null);
    await call(outboundAnswered, 'out_2', 2 * MINUTE);
    const asked: string[] = [];
    const spy = {
      calls: {
        followUps: async (e164: string, after: string, limit: number) => {
          asked.push(e164);
          return ports.calls.followUps(e164, after, limit);
        },
      },
    };
    expect(await readMissedCallFate(spy, hidden)).toEqual({
      classification: 'not_returned',
      secondsToCallBack: null,
    });
    expect(asked).toEqual([]);
  });
});
