/**
 * Text in plain ASCII, Cyrillic transliterated. One table for the whole server: the caller's name on a desk
 * phone (caller-name-template.ts) and anything else that needs a Latin spelling of a Russian or Ukrainian name
 * (the demo's e-mail addresses) use this file, a public file of telephony (.dependency-cruiser.cjs).
 */

const CYRILLIC: Readonly<Record<string, string>> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ё: 'e',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'y',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
  є: 'ye',
  і: 'i',
  ї: 'yi',
  ґ: 'g',
};

/**
 * Plain ASCII: Cyrillic transliterated (Russian/Ukrainian, simplified ISO 9 as on passports), accents dropped,
 * dashes and ellipses spelled in ASCII, anything else left out. Why: many desk phones show only Latin-1 or less.
 */
export function transliterate(text: string): string {
  let out = '';
  for (const ch of text) {
    const lower = ch.toLowerCase();
    const latin = CYRILLIC[lower];
    if (latin !== undefined) {
      out += ch !== lower && latin ? latin[0]?.toUpperCase() + latin.slice(1) : latin;
    } else {
      out += ch;
    }
  }
  return out
    .replace(/[—–]/g, '-')
    .replace(/…/g, '...')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '');
}
