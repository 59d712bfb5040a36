/**
 * The statistics' test calls and periods: the protocol's scenarios spread over fourteen months on three clients,
 * and generated ranges of hours and runs of local hours over them. Why shared: kysely-call-statistics.test.ts
 * holds the Kysely reader's grains to its hourly cells over them, and call-statistics-reader.contract.test.ts
 * holds every adapter to the figures computed from the calls.
 */
import fc from 'fast-check';
import type { CallEvent } from '../domain/call-event.js';
import { CallEventRefusedError } from '../domain/call-event.js';
import type { CallRepository } from '../ports.js';
import { asAnotherCall, SCENARIOS } from './call-scenarios.js';

const SCENARIO_LIST = Object.values(SCENARIOS);
const CLIENTS = ['+442037691880', '+33612345678', '+79161234567'];
const HOUR_MS = 3_600_000;
/** The scenarios start on 2024-05-14; the calls are spread over the next 14 months. */
export const FIRST_HOUR = Math.floor(Date.parse('2024-05-14T00:00:00Z') / HOUR_MS);
const SPREAD_HOURS = 14 * 30 * 24;

/** A deterministic spread: call k's scenario, hour shift and client. */
function seeded(k: number) {
  const s = k % SCENARIO_LIST.length;
  const shiftHours = (k * 7919 + (k % 5) * 13) % SPREAD_HOURS;
  const events = SCENARIO_LIST[s] as readonly CallEvent[];
  const prefix = (events[0] as { pbxCallId: string }).pbxCallId.startsWith('out_') ? 'out_' : 'in_';
  const pbxCallId = `${prefix}stats_${k}`;
  return {
    pbxCallId,
    client: CLIENTS[k % CLIENTS.length] as string,
    events: asAnotherCall(events, pbxCallId, shiftHours * HOUR_MS),
  };
}

/** The first `count` spread calls: their events in order, and each call's client. */
export function spreadCalls(count: number): {
  readonly events: CallEvent[];
  readonly clients: ReadonlyMap<string, string>;
} {
  const calls = Array.from({ length: count }, (_, k) => seeded(k));
  return {
    events: calls.flatMap((c) => c.events),
    clients: new Map(calls.map((c) => [c.pbxCallId, c.client])),
  };
}

/** Folds the spread calls through `calls` (a refused event skipped, as the inbox would). */
export async function foldSpreadCalls(
  calls: Pick<CallRepository, 'applyEvent'>,
  count: number,
): Promise<void> {
  const { events, clients } = spreadCalls(count);
  for (const event of events) {
    const client = clients.get(event.pbxCallId) ?? null;
    try {
      await calls.applyEvent(event, event.receivedAt, { clientE164: () => client });
    } catch (error) {
      if (!(error instanceof CallEventRefusedError)) {
        throw error;
      }
    }
  }
}

/** The extension filters a statistics query takes: all, one, an extension and the unattributed calls, none. */
export const EXTENSION_CHOICES = fc.constantFrom<string[] | null>(null, ['101'], ['102', ''], []);

/** A period of a few hours, a few months or a year, anywhere over the spread (hours since the epoch). */
export const statisticsRanges = fc
  .record({
    from: fc.nat(SPREAD_HOURS + 48),
    length: fc.oneof(fc.nat(72), fc.nat(24 * 80), fc.nat(24 * 400)),
    extensions: EXTENSION_CHOICES,
  })
  .map(({ from, length, extensions }) => ({
    fromHour: FIRST_HOUR + from,
    toHour: FIRST_HOUR + from + length,
    extensions,
  }));

/** One to four consecutive runs of hours, each with its zone offset (a period crossing DST changes). */
export const localHourRuns = fc
  .array(fc.tuple(fc.nat(24 * 60), fc.integer({ min: -12, max: 14 })), { minLength: 1, maxLength: 4 })
  .chain((lengths) =>
    fc.nat(SPREAD_HOURS).map((start) => {
      let from = FIRST_HOUR + start;
      return lengths.map(([length, offsetHours]) => {
        const run = { fromHour: from, toHour: from + length, offsetHours };
        from += length;
        return run;
      });
    }),
  );
