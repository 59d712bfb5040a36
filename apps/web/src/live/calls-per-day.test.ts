import { describe, expect, it } from 'vitest';
import { callsPerDay } from './calls-per-day.js';

describe('calls per day', () => {
  it('counts answered and missed calls per local day, keeps empty days and ignores older calls', () => {
    const now = new Date(2026, 10, 25, 15, 0);
    const at = (day: number, hour: number) => new Date(2026, 10, day, hour).toISOString();
    const buckets = callsPerDay(
      [
        { startedAt: at(25, 9), status: 'answered' },
        { startedAt: at(25, 10), status: 'missed' },
        { startedAt: at(25, 11), status: 'no_answer' },
        { startedAt: at(23, 23), status: 'answered' },
        { startedAt: at(23, 1), status: 'ringing' },
        { startedAt: at(10, 9), status: 'answered' },
      ],
      3,
      now,
    );
    expect(buckets).toEqual([
      { day: '2026-11-23', answered: 1, missed: 0 },
      { day: '2026-11-24', answered: 0, missed: 0 },
      { day: '2026-11-25', answered: 1, missed: 2 },
    ]);
  });
});
