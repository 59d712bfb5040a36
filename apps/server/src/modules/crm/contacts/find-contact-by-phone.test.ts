import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizePhone } from '../phones/normalize-phone.js';
import { fastE164Candidate } from './find-contact-by-phone.js';

describe('fastE164Candidate', () => {
  it('reads explicit international forms and Zadarma bare digits without parsing', () => {
    expect(fastE164Candidate('33612345678')).toBe('+33612345678');
    expect(fastE164Candidate('+33 6 12 34 56 78')).toBe('+33612345678');
    expect(fastE164Candidate('0033612345678')).toBe('+33612345678');
  });

  it('reads national forms with a plain 0 trunk prefix, and leaves the others to the numbering plan', () => {
    expect(fastE164Candidate('06 12 34 56 78', 'FR')).toBe('+33612345678');
    expect(fastE164Candidate('020 3769 1880', 'GB')).toBe('+442037691880');
    expect(fastE164Candidate('06 12 34 56 78')).toBeUndefined();
    expect(fastE164Candidate('06 12 34 56 78', 'IT')).toBeUndefined();
    // Russian 8… reads first as international digits, exactly as normalizePhone tries it; no contact has it.
    expect(fastE164Candidate('8 (912) 345-67-89', 'RU')).toBe('+89123456789');
    expect(fastE164Candidate('100')).toBeUndefined();
    expect(fastE164Candidate('12345')).toBeUndefined();
  });

  it('agrees with normalizePhone on French national numbers', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^0(6[12]|7[5-8])\d{7}$/), (national) => {
        expect(fastE164Candidate(national, 'FR')).toBe(normalizePhone(national, 'FR'));
      }),
    );
  });

  it('agrees with normalizePhone whenever normalizePhone reads the number as international', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^(336[12]|7912|44780)\d{7}$/),
        fc.constantFrom('', '+', '00'),
        (digits, prefix) => {
          const raw = `${prefix}${digits}`;
          expect(fastE164Candidate(raw)).toBe(normalizePhone(raw, 'FR'));
        },
      ),
    );
  });
});
