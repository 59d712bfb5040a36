import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatPhoneInternational,
  normalizePhone,
  phoneDigits,
  phoneSearchTokens,
} from './normalize-phone.js';

describe('normalizePhone', () => {
  it.each([
    '06 12 34 56 78',
    '+33 6 12 34 56 78',
    '0033612345678',
    '33612345678',
    '+33 (0)6 12 34 56 78'.replace('(0)', ''),
    '06.12.34.56.78',
  ])('reads the French mobile %s as +33612345678 with default country FR', (raw) => {
    expect(normalizePhone(raw, 'FR')).toBe('+33612345678');
  });

  it('reads a Russian national number with the 8 trunk prefix when the default country is RU', () => {
    expect(normalizePhone('8 (912) 345-67-89', 'RU')).toBe('+79123456789');
    expect(normalizePhone('+7 912 345-67-89', 'FR')).toBe('+79123456789');
    expect(normalizePhone('79123456789', 'FR')).toBe('+79123456789');
  });

  it('reads UK numbers in national, international and Zadarma bare-digit form', () => {
    expect(normalizePhone('020 3769 1880', 'GB')).toBe('+442037691880');
    expect(normalizePhone('442037691880', 'FR')).toBe('+442037691880');
    expect(normalizePhone('+44 7911 123456', 'FR')).toBe('+447911123456');
    expect(normalizePhone('07911 123456', 'GB')).toBe('+447911123456');
  });

  it('tries bare digits as international before the default country', () => {
    expect(normalizePhone('442037691880', 'GB')).toBe('+442037691880');
  });

  it('falls back to the default country for national numbers without trunk prefix', () => {
    expect(normalizePhone('612345678', 'FR')).toBe('+33612345678');
  });

  it('never takes an extension of up to five digits for a phone number', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{1,5}$/), fc.constantFrom('FR', 'RU', 'GB', 'US'), (ext, country) => {
        expect(normalizePhone(ext, country)).toBeNull();
      }),
    );
    expect(normalizePhone('100', 'FR')).toBeNull();
    expect(normalizePhone('1234', 'RU')).toBeNull();
  });

  it('keeps a number the metadata rejects but whose length fits its country, in every written form', () => {
    // +44 7700 900xxx is the UK's reserved drama range: libphonenumber calls it invalid, users type it.
    for (const form of ['+44 7700 900124', '0044 7700 900124', '447700900124']) {
      expect(normalizePhone(form, 'FR')).toBe('+447700900124');
    }
    expect(normalizePhone('07700 900124', 'GB')).toBe('+447700900124');
    // A valid reading still wins over a merely possible one.
    expect(normalizePhone('612345678', 'FR')).toBe('+33612345678');
  });

  it('refuses numbers too short or too long for their country', () => {
    expect(normalizePhone('+44 7700 9001', 'FR')).toBeNull();
    expect(normalizePhone('+33 6 12 34 56 78 99 12', 'FR')).toBeNull();
    expect(normalizePhone('1234567', 'FR')).toBeNull();
  });

  it('returns null for text, invalid numbers and an unknown default country', () => {
    expect(normalizePhone('hello', 'FR')).toBeNull();
    expect(normalizePhone('', 'FR')).toBeNull();
    expect(normalizePhone('0612345678', 'ZZ')).toBeNull();
    expect(normalizePhone('+999 1234567', 'FR')).toBeNull();
  });

  it('finds the same E.164 for every written form of any French mobile number', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^(6[1-2]|7[5-8])\d{7}$/), (nsn) => {
        const e164 = `+33${nsn}`;
        const spaced = `0${nsn}`.replace(/(\d{2})(?=\d)/g, '$1 ');
        for (const form of [spaced, `+33 ${nsn}`, `0033${nsn}`, `33${nsn}`, `0${nsn}`]) {
          expect(normalizePhone(form, 'FR')).toBe(e164);
        }
      }),
    );
  });

  it('is idempotent on its own output', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^(6[1-2]|7[5-8])\d{7}$/), (nsn) => {
        const once = normalizePhone(`0${nsn}`, 'FR');
        expect(once).not.toBeNull();
        expect(normalizePhone(once as string, 'RU')).toBe(once);
      }),
    );
  });
});

describe('phoneSearchTokens', () => {
  it('gives the international digits and the national significant number', () => {
    expect(phoneSearchTokens('+33612345678')).toEqual(['33612345678', '612345678']);
  });
});

describe('phoneDigits', () => {
  it('keeps only digits', () => {
    expect(phoneDigits('+33 (6) 12-34')).toBe('3361234');
  });
});

describe('formatPhoneInternational', () => {
  it('writes an E.164 number in international groups, as the web shows numbers', () => {
    expect(formatPhoneInternational('+33612345678')).toBe('+33 6 12 34 56 78');
    expect(formatPhoneInternational('+79851234567')).toBe('+7 985 123 45 67');
  });

  it('gives back what it cannot read as a number unchanged', () => {
    expect(formatPhoneInternational('anonymous')).toBe('anonymous');
    expect(formatPhoneInternational('+')).toBe('+');
  });
});
