import { describe, expect, it } from 'vitest';
import { isKnownTimeZone, isWithinWorkingHours } from './working-hours.js';

const WEEKDAYS_9_TO_18 = { days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00', timeZone: 'Europe/Paris' };

describe('working hours', () => {
  it('is within on a weekday between from and to, in the schedule’s own time zone', () => {
    // Thursday 2026-01-15, 09:30 in Paris = 08:30 UTC.
    expect(isWithinWorkingHours(WEEKDAYS_9_TO_18, Date.parse('2026-01-15T08:30:00Z'))).toBe(true);
    // 08:30 in Paris.
    expect(isWithinWorkingHours(WEEKDAYS_9_TO_18, Date.parse('2026-01-15T07:30:00Z'))).toBe(false);
    // 18:00 in Paris: the end is exclusive.
    expect(isWithinWorkingHours(WEEKDAYS_9_TO_18, Date.parse('2026-01-15T17:00:00Z'))).toBe(false);
    // Saturday.
    expect(isWithinWorkingHours(WEEKDAYS_9_TO_18, Date.parse('2026-01-17T10:00:00Z'))).toBe(false);
  });

  it('spans midnight when to is before from: the early morning belongs to the previous day’s shift', () => {
    const night = { days: [5], from: '22:00', to: '06:00', timeZone: 'UTC' };
    expect(isWithinWorkingHours(night, Date.parse('2026-01-16T23:00:00Z'))).toBe(true); // Friday night
    expect(isWithinWorkingHours(night, Date.parse('2026-01-17T05:00:00Z'))).toBe(true); // Saturday early
    expect(isWithinWorkingHours(night, Date.parse('2026-01-16T05:00:00Z'))).toBe(false); // Friday early
  });

  it('never keeps calls from their owner for an unknown time zone', () => {
    expect(isKnownTimeZone('Mars/Olympus')).toBe(false);
    expect(isKnownTimeZone('Europe/Moscow')).toBe(true);
    expect(
      isWithinWorkingHours({ ...WEEKDAYS_9_TO_18, days: [], timeZone: 'Mars/Olympus' }, Date.now()),
    ).toBe(true);
  });
});
