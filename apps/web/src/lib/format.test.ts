import { describe, expect, it } from 'vitest';
import {
  formatDate,
  formatDuration,
  formatMoney,
  formatNumber,
  formatRelative,
  isOverdue,
} from './format.js';

describe('locale formatting', () => {
  it('writes numbers the way each language does', () => {
    expect(formatNumber(12345.5, 'en')).toBe('12,345.5');
    expect(formatNumber(12345.5, 'fr').replace(/\s/g, ' ')).toBe('12 345,5');
    expect(formatNumber(12345.5, 'ru').replace(/\s/g, ' ')).toBe('12 345,5');
  });
  it('writes money with the currency in the reader’s format', () => {
    expect(formatMoney(1200.5, 'EUR', 'en')).toBe('€1,200.50');
    expect(formatMoney(1200.5, 'EUR', 'fr').replace(/\s/g, ' ')).toBe('1 200,50 €');
    expect(formatMoney(4436100, 'RUB', 'ru').replace(/\s/g, ' ')).toBe('4 436 100 ₽');
  });
  it('falls back to the code for an unknown currency instead of failing', () => {
    expect(formatMoney(5, 'NOPE1', 'en')).toBe('5 NOPE1');
  });
  it('localises dates and ignores empty or invalid ones', () => {
    expect(formatDate('2026-03-05T10:00:00Z', 'fr')).toMatch(/5 mars 2026/);
    expect(formatDate('2026-03-05T10:00:00Z', 'ru')).toMatch(/5 мар/);
    expect(formatDate(null, 'en')).toBe('');
    expect(formatDate('not a date', 'en')).toBe('');
  });
  it('says how long ago something happened', () => {
    const now = new Date('2026-03-05T12:00:00Z');
    expect(formatRelative('2026-03-05T09:00:00Z', 'en', now)).toBe('3 hours ago');
    expect(formatRelative('2026-03-04T12:00:00Z', 'fr', now)).toBe('hier');
  });
  it('treats only open tasks past their due time as overdue', () => {
    const now = new Date('2026-03-05T12:00:00Z');
    expect(isOverdue('2026-03-05T11:59:00Z', 'open', now)).toBe(true);
    expect(isOverdue('2026-03-05T11:59:00Z', 'done', now)).toBe(false);
    expect(isOverdue('2026-03-05T12:01:00Z', 'open', now)).toBe(false);
    expect(isOverdue(null, 'open', now)).toBe(false);
  });
  it('shows call durations like a phone timer', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(67)).toBe('1:07');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(null)).toBe('—');
  });
});
