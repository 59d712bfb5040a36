import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { prefixRange, searchKey, searchWords, tokensOf } from './search-text.js';

describe('searchKey', () => {
  it('lower-cases and removes accents in French and Russian', () => {
    expect(searchKey('Élodie  LEFÈVRE')).toBe('elodie lefevre');
    expect(searchKey('Фёдор Ёлкин')).toBe('федор елкин');
    expect(searchKey('Françoise Œuvre')).toBe('francoise œuvre');
  });
});

describe('searchWords', () => {
  it('splits on punctuation and keeps digits', () => {
    expect(searchWords("Jean-Pierre O'Neil 2")).toEqual(['jean', 'pierre', 'o', 'neil', '2']);
  });
});

describe('tokensOf', () => {
  it('indexes each word once and each email whole and by its parts', () => {
    expect(tokensOf(['Anne Martin', 'anne'], ['Anne.Martin@Example.com']).sort()).toEqual(
      ['anne', 'anne.martin@example.com', 'com', 'example', 'martin'].sort(),
    );
  });
});

describe('prefixRange', () => {
  it('contains exactly the strings that start with the prefix, in code-point order', () => {
    const codePointLess = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b)) < 0;
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 4, unit: 'grapheme' }),
        fc.string({ unit: 'grapheme' }),
        (prefix, s) => {
          const [low, high] = prefixRange(prefix);
          const inRange = !codePointLess(s, low) && codePointLess(s, high);
          expect(inRange).toBe(s.startsWith(prefix));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('bumps the last character', () => {
    expect(prefixRange('ab')).toEqual(['ab', 'ac']);
    expect(prefixRange('жа')).toEqual(['жа', 'жб']);
  });
});
