import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatZadarmaDateTime, parseZadarmaDateTime, splitStatisticsWindow } from './statistics-window.js';

describe('splitStatisticsWindow', () => {
  it('keeps a period of up to 30 days in one window', () => {
    expect(splitStatisticsWindow('2024-05-01 00:00:00', '2024-05-30 23:59:59')).toEqual([
      { start: '2024-05-01 00:00:00', end: '2024-05-30 23:59:59' },
    ]);
  });

  it('cuts a longer period into consecutive 30-day windows ending one second apart', () => {
    expect(splitStatisticsWindow('2024-01-01 00:00:00', '2024-03-15 12:00:00')).toEqual([
      { start: '2024-01-01 00:00:00', end: '2024-01-30 23:59:59' },
      { start: '2024-01-31 00:00:00', end: '2024-02-29 23:59:59' },
      { start: '2024-03-01 00:00:00', end: '2024-03-15 12:00:00' },
    ]);
  });

  it('tiles any period exactly: no gap, no overlap, none longer than the window', () => {
    const base = Date.UTC(2020, 0, 1);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2_000_000_000 }),
        fc.integer({ min: 0, max: 400 * 86_400 }),
        fc.integer({ min: 1, max: 31 }),
        (offsetS, lengthS, days) => {
          const start = formatZadarmaDateTime(base + offsetS * 1000);
          const end = formatZadarmaDateTime(base + (offsetS + lengthS) * 1000);
          const windows = splitStatisticsWindow(start, end, days);
          expect(windows[0]?.start).toBe(start);
          expect(windows.at(-1)?.end).toBe(end);
          for (let i = 0; i < windows.length; i++) {
            const w = windows[i] as { start: string; end: string };
            const length = parseZadarmaDateTime(w.end) - parseZadarmaDateTime(w.start);
            expect(length).toBeGreaterThanOrEqual(0);
            expect(length).toBeLessThan(days * 86_400_000);
            const next = windows[i + 1];
            if (next) {
              expect(parseZadarmaDateTime(next.start) - parseZadarmaDateTime(w.end)).toBe(1000);
            }
          }
        },
      ),
    );
  });

  it('rejects malformed dates and reversed periods', () => {
    expect(() => splitStatisticsWindow('2024-05-01', '2024-05-02 00:00:00')).toThrow(/YYYY-MM-DD HH:MM:SS/);
    expect(() => splitStatisticsWindow('2024-02-30 00:00:00', '2024-03-02 00:00:00')).toThrow(/not a valid/);
    expect(() => splitStatisticsWindow('2024-05-02 00:00:00', '2024-05-01 00:00:00')).toThrow(
      /before it starts/,
    );
  });
});
