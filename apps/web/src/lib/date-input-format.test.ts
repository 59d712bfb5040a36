import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dateInputFormat, instantForApi, localInputToInstant, parseTypedDate } from './date-input-format.js';

describe('date inputs in the app’s language', () => {
  it('shows dates in each language’s order and separator', () => {
    expect(dateInputFormat('fr')).toBe('DD/MM/YYYY');
    expect(dateInputFormat('ru')).toBe('DD.MM.YYYY');
    expect(dateInputFormat('en')).toBe('MM/DD/YYYY');
    expect(dateInputFormat('fr', true)).toBe('DD/MM/YYYY HH:mm');
    expect(dateInputFormat('en', true)).toBe('MM/DD/YYYY hh:mm A');
  });

  it('reads what a user types in their language into ISO', () => {
    expect(parseTypedDate('05/12/2026', 'fr')).toBe('2026-12-05');
    expect(parseTypedDate('05.12.2026', 'ru')).toBe('2026-12-05');
    expect(parseTypedDate('12/05/2026', 'en')).toBe('2026-12-05');
    expect(parseTypedDate(' 5/3/2026 ', 'fr')).toBe('2026-03-05');
    // Any usual separator is accepted; the language decides the order.
    expect(parseTypedDate('05-12-2026', 'ru')).toBe('2026-12-05');
    expect(parseTypedDate('2026-12-05', 'fr')).toBe('2026-12-05');
  });

  it('gives nothing while the date is half typed or not a real day', () => {
    for (const text of [
      '',
      '05/12',
      '05/12/2',
      '05/12/20260',
      '31/02/2026',
      '29/02/2027',
      '13/13/2026',
      'hier',
    ]) {
      expect(parseTypedDate(text, 'fr'), text).toBeNull();
    }
    expect(parseTypedDate('29/02/2028', 'fr')).toBe('2028-02-29');
    expect(parseTypedDate('13/05/2026', 'en')).toBeNull();
    expect(parseTypedDate('05/12/2026 10:00', 'fr')).toBeNull();
  });

  it('reads a time beside the date when asked for one, 24-hour or am/pm', () => {
    expect(parseTypedDate('05/12/2026 10:30', 'fr', true)).toBe('2026-12-05 10:30:00');
    expect(parseTypedDate('05.12.2026 9:05', 'ru', true)).toBe('2026-12-05 09:05:00');
    expect(parseTypedDate('12/05/2026 09:05 PM', 'en', true)).toBe('2026-12-05 21:05:00');
    expect(parseTypedDate('12/05/2026 12:00 am', 'en', true)).toBe('2026-12-05 00:00:00');
    expect(parseTypedDate('05/12/2026', 'fr', true)).toBe('2026-12-05 00:00:00');
    expect(parseTypedDate('05/12/2026 24:00', 'fr', true)).toBeNull();
    expect(parseTypedDate('05/12/2026 13:00 pm', 'en', true)).toBeNull();
    expect(parseTypedDate('05/12/2026 10:3', 'fr', true)).toBeNull();
  });
});

describe('a date input’s value as the instant the API stores', () => {
  // A browser in Paris: one hour ahead of UTC in winter, two in summer (Node reads TZ when it changes).
  const before = process.env.TZ;
  beforeAll(() => {
    process.env.TZ = 'Europe/Paris';
  });
  afterAll(() => {
    if (before === undefined) {
      delete process.env.TZ;
    } else {
      process.env.TZ = before;
    }
  });

  it('reads the pickers’ local date-time in the browser’s time zone, summer time included', () => {
    expect(localInputToInstant('2026-03-05 14:30:00')).toBe('2026-03-05T13:30:00.000Z');
    expect(localInputToInstant('2026-07-05 14:30:00')).toBe('2026-07-05T12:30:00.000Z');
    expect(localInputToInstant('2026-07-05 14:30')).toBe('2026-07-05T12:30:00.000Z');
    expect(localInputToInstant('2026-07-05T14:30:00')).toBe('2026-07-05T12:30:00.000Z');
    // A day alone is its local midnight.
    expect(localInputToInstant('2026-03-05')).toBe('2026-03-04T23:00:00.000Z');
  });

  it('keeps an instant that carries its offset (a stored due date shown back in the form)', () => {
    expect(localInputToInstant('2026-01-15T09:00:00.000Z')).toBe('2026-01-15T09:00:00.000Z');
    expect(localInputToInstant('2026-01-15T10:00:00+01:00')).toBe('2026-01-15T09:00:00.000Z');
  });

  it('gives nothing for what is not a date input’s value', () => {
    for (const value of [
      '',
      'tomorrow',
      '05/03/2026',
      '2026-02-30 10:00:00',
      '2026-03-05 24:00:00',
      '2026-3-5',
    ]) {
      expect(localInputToInstant(value), value).toBeNull();
    }
  });

  it('hands the API the instant, nothing for no date, and an unreadable value as typed for the server to refuse', () => {
    expect(instantForApi('2026-03-05 14:30:00')).toBe('2026-03-05T13:30:00.000Z');
    expect(instantForApi(null)).toBeNull();
    expect(instantForApi('')).toBeNull();
    expect(instantForApi('2026-02-30 10:00:00')).toBe('2026-02-30 10:00:00');
  });
});
