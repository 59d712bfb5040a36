/**
 * Text normalisation for search and sorting: lower-case, accents removed (é→e, ё→е), words split on anything
 * that is not a letter or digit. Pure, so indexing and querying always agree.
 */

/** Normalises free text to a comparable key: `Élodie  Lefèvre` → `elodie lefevre`. */
export function searchKey(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}@.+_-]+/gu, ' ')
    .trim()
    .replace(/\s+/g, ' ');
}

/** The words of a text, normalised: `Jean-Pierre O'Neil` → `jean`, `pierre`, `o`, `neil`. */
export function searchWords(text: string): string[] {
  return searchKey(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/** Longest indexed token; longer words are cut (a prefix of them still matches). */
const MAX_TOKEN_LENGTH = 64;

/** The distinct tokens for a set of texts: every word, plus each email address whole. */
export function tokensOf(texts: readonly string[], emails: readonly string[] = []): string[] {
  const out = new Set<string>();
  for (const text of texts) {
    for (const word of searchWords(text)) {
      out.add(word.slice(0, MAX_TOKEN_LENGTH));
    }
  }
  for (const email of emails) {
    const lower = email.trim().toLowerCase();
    if (lower) {
      out.add(lower.slice(0, MAX_TOKEN_LENGTH));
      for (const word of searchWords(lower)) {
        out.add(word.slice(0, MAX_TOKEN_LENGTH));
      }
    }
  }
  return [...out];
}

/**
 * The half-open range `[low, high)` of tokens that start with `prefix`, in code-point (= UTF-8 byte) order.
 * Why: SQLite BINARY and PostgreSQL "C" collations compare that way, so the range is an index range scan.
 */
export function prefixRange(prefix: string): [string, string] {
  const points = [...prefix];
  const last = points.pop();
  if (last === undefined) {
    return ['', '\u{10FFFF}'];
  }
  const next = (last.codePointAt(0) as number) + 1;
  // Skip the surrogate block: those code points cannot appear in well-formed strings.
  const bumped = next >= 0xd800 && next <= 0xdfff ? 0xe000 : next;
  return [prefix, points.join('') + String.fromCodePoint(bumped)];
}
