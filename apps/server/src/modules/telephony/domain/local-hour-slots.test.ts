import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hoursOfWeekTouched, localHourSlots, weeklyRuns } from './local-hour-slots.js';

const HOUR_MS = 3_600_000;

/** The same cells, found the slow way: every UTC hour checked. */
function bruteForce(from: string, to: string, weekday: number, hour: number, timeZone: string) {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    hour: '2-digit',
    weekday: 'short',
  });
  const days = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
  const hours: number[] = [];
  for (let h = Math.floor(Date.parse(from) / HOUR_MS); h < Math.ceil(Date.parse(to) / HOUR_MS); h++) {
    const parts = Object.fromEntries(
      format.formatToParts(new Date(h * HOUR_MS)).map((p) => [p.type, p.value]),
    );
    if (days.indexOf(parts.weekday as string) === weekday && Number(parts.hour) === hour) {
      hours.push(h);
    }
  }
  return hours;
}

describe('localHourSlots', () => {
  it('gives the Monday 10:00 hours of a Paris month, across the DST change', () => {
    const slots = localHourSlots('2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z', 0, 10, 'Europe/Paris');
    expect(slots).toEqual([
      { from: '2026-03-02T09:00:00.000Z', to: '2026-03-02T10:00:00.000Z' },
      { from: '2026-03-09T09:00:00.000Z', to: '2026-03-09T10:00:00.000Z' },
      { from: '2026-03-16T09:00:00.000Z', to: '2026-03-16T10:00:00.000Z' },
      { from: '2026-03-23T09:00:00.000Z', to: '2026-03-23T10:00:00.000Z' },
      // Summer time from 29 March: 10:00 in Paris is 08:00 UTC.
      { from: '2026-03-30T08:00:00.000Z', to: '2026-03-30T09:00:00.000Z' },
    ]);
  });

  it('finds exactly the hours a check of every hour finds, in any zone', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 1, max: 60 }),
        fc.nat(6),
        fc.nat(23),
        // Lord Howe moves its clock by 30 min, Troll by 2 h: the walk's last skip leaves a 3 h margin.
        fc.constantFrom(
          'UTC',
          'Europe/Paris',
          'Europe/Moscow',
          'America/New_York',
          'Asia/Kolkata',
          'Australia/Lord_Howe',
          'Antarctica/Troll',
        ),
        (startDay, days, weekday, hour, zone) => {
          const from = new Date(Date.UTC(2026, 0, 1) + startDay * 86_400_000).toISOString();
          const to = new Date(Date.parse(from) + days * 86_400_000).toISOString();
          const expected = bruteForce(from, to, weekday, hour, zone);
          const found = localHourSlots(from, to, weekday, hour, zone).flatMap((s) => {
            const hours: number[] = [];
            for (let h = Date.parse(s.from) / HOUR_MS; h < Date.parse(s.to) / HOUR_MS; h++) {
              hours.push(h);
            }
            return hours;
          });
          expect(found).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('weeklyRuns', () => {
  it('joins whole-hour ranges a week apart, and leaves any other range alone', () => {
    const slots = localHourSlots('2026-03-01T00:00:00Z', '2026-05-01T00:00:00Z', 0, 10, 'Europe/Paris');
    const runs = weeklyRuns(slots);
    // Paris moves to summer time on 29 March: Mondays 10:00 are 09:00 UTC before, 08:00 UTC after.
    expect(runs).toEqual([
      {
        from: '2026-03-02T09:00:00.000Z',
        to: '2026-03-23T10:00:00.000Z',
        hoursOfWeek: [(Date.parse('2026-03-02T09:00:00Z') / 3_600_000) % 168],
      },
      {
        from: '2026-03-30T08:00:00.000Z',
        to: '2026-04-27T09:00:00.000Z',
        hoursOfWeek: [(Date.parse('2026-03-30T08:00:00Z') / 3_600_000) % 168],
      },
    ]);
    // Every instant of a run's span on its hours of the week is in one of the ranges, and the reverse.
    for (let t = Date.parse('2026-03-01T00:00:00Z'); t < Date.parse('2026-05-01T00:00:00Z'); t += 1_800_000) {
      const at = new Date(t).toISOString();
      const inSlots = slots.some((s) => at >= s.from && at < s.to);
      const inRuns = runs.some(
        (r) =>
          at >= r.from &&
          at < r.to &&
          (r.hoursOfWeek === null || r.hoursOfWeek.includes(Math.floor(t / 3_600_000) % 168)),
      );
      expect(inRuns).toBe(inSlots);
    }
    // A week missing, a part of an hour: not joined.
    expect(
      weeklyRuns([
        { from: '2026-03-02T09:00:00.000Z', to: '2026-03-02T10:00:00.000Z' },
        { from: '2026-03-16T09:00:00.000Z', to: '2026-03-16T10:00:00.000Z' },
        { from: '2026-03-23T09:30:00.000Z', to: '2026-03-23T10:00:00.000Z' },
      ]).map((r) => r.hoursOfWeek),
    ).toEqual([null, null, null]);
  });
});

describe('hoursOfWeekTouched', () => {
  it('lists the hour of the week of every instant in a range shorter than a week, and no other', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 400 * 24 * 60 }),
        fc.integer({ min: 1, max: 8 * 24 * 60 }),
        (startMinute, minutes) => {
          const from = Date.UTC(2026, 0, 1) + startMinute * 60_000;
          const to = from + minutes * 60_000;
          const hours = hoursOfWeekTouched({
            from: new Date(from).toISOString(),
            to: new Date(to).toISOString(),
          });
          const expected = new Set<number>();
          for (let t = from; t < to; t += 60_000) {
            expected.add(Math.floor(t / HOUR_MS) % 168);
          }
          if (expected.size === 168) {
            // A week or more touches every hour: no list to filter by.
            expect(hours === null || hours.length === 168).toBe(true);
          } else {
            expect(new Set(hours)).toEqual(expected);
          }
        },
      ),
    );
  });
});
