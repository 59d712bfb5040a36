import { describe, expect, it } from 'vitest';
import { dateInputFormat, parseTypedDate } from './date-input-format.js';

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
