import { describe, expect, it } from 'vitest';
import { formatPhone } from './phone-format.js';

describe('formatPhone', () => {
  it('writes every E.164 in international groups, whatever form it was typed in', () => {
    expect(formatPhone('+33612345678', '06.12.34.56.78')).toBe('+33 6 12 34 56 78');
    expect(formatPhone('+79123456789')).toBe('+7 912 345 67 89');
    expect(formatPhone('+442037691880')).toBe('+44 20 3769 1880');
  });

  it('groups a number the metadata calls invalid but that fits its country', () => {
    expect(formatPhone('+447700900124')).toBe('+44 7700 900124');
  });

  it('keeps the text as written when there is no E.164', () => {
    expect(formatPhone(null, 'reception, ask for Paul')).toBe('reception, ask for Paul');
    expect(formatPhone(undefined, '')).toBe('');
    expect(formatPhone('100')).toBe('100');
  });
});
