import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatZadarmaDate, parseTimezoneLabel, parseZadarmaDate } from './time-format.js';

describe('Zadarma dates', () => {
  it('reads timezone labels', () => {
    expect(parseTimezoneLabel('UTC+3')).toBe(180);
    expect(parseTimezoneLabel('UTC-5')).toBe(-300);
    expect(parseTimezoneLabel('UTC+5:30')).toBe(330);
    expect(parseTimezoneLabel('UTC+0')).toBe(0);
    expect(parseTimezoneLabel('Europe/Kyiv')).toBeNull();
  });

  it('formats wall-clock time of the account timezone', () => {
    expect(formatZadarmaDate(Date.UTC(2024, 4, 14, 7, 15, 30), 180)).toBe('2024-05-14 10:15:30');
    expect(formatZadarmaDate(Date.UTC(2024, 0, 1, 2, 0, 0), -300)).toBe('2023-12-31 21:00:00');
  });

  it('parses what it formats, for any instant and offset', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4_000_000_000 }),
        fc.integer({ min: -12 * 60, max: 14 * 60 }),
        (seconds, offset) => {
          expect(parseZadarmaDate(formatZadarmaDate(seconds * 1000, offset), offset)).toBe(seconds * 1000);
        },
      ),
    );
  });

  it('refuses malformed or impossible dates', () => {
    expect(parseZadarmaDate('2024-05-14', 0)).toBeNull();
    expect(parseZadarmaDate('2024-02-30 00:00:00', 0)).toBeNull();
  });
});
