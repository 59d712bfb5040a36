import { describe, expect, it } from 'vitest';
import { parseTimezoneOffset, parseZadarmaDateTime } from './zadarma-date-time.js';

describe('parseTimezoneOffset', () => {
  it.each([
    ['UTC', 0],
    ['UTC+0', 0],
    ['UTC+3', 180],
    ['UTC-4:30', -270],
    ['UTC+05:45', 345],
    ['utc+10', 600],
    ['GMT+2', 120],
    ['+03:00', 180],
    ['UTC-12', -720],
  ])('reads %s as %i minutes east of UTC', (label, minutes) => {
    expect(parseTimezoneOffset(label)).toBe(minutes);
  });

  it.each(['Europe/Kyiv', '', '3', 'UTC+3h', 'UTC+15', 'UTC+3:75'])(
    'refuses %j with a message naming it',
    (label) => {
      expect(() => parseTimezoneOffset(label)).toThrow(`"${label}"`);
    },
  );
});

describe('parseZadarmaDateTime', () => {
  it('converts a Kyiv-account call_start (UTC+3) to the UTC instant', () => {
    expect(parseZadarmaDateTime('2025-07-18 19:14:41', 'UTC+3')).toBe('2025-07-18T16:14:41.000Z');
  });

  it('handles half-hour offsets west of UTC and crossing midnight', () => {
    expect(parseZadarmaDateTime('2024-12-31 22:00:00', 'UTC-4:30')).toBe('2025-01-01T02:30:00.000Z');
  });

  it('keeps UTC+0 times unchanged', () => {
    expect(parseZadarmaDateTime('2024-05-14 10:15:30', 'UTC+0')).toBe('2024-05-14T10:15:30.000Z');
  });

  it.each(['2024-05-14', '2024-02-30 10:00:00', '2024-05-14 24:00:00', '14.05.2024 10:15:30'])(
    'refuses %j, naming it',
    (value) => {
      expect(() => parseZadarmaDateTime(value, 'UTC')).toThrow(`"${value}"`);
    },
  );
});
