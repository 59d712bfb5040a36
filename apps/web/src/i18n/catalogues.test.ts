import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = join(dirname(fileURLToPath(import.meta.url)), '..');

function catalogue(locale: string): Map<string, string> {
  const text = readFileSync(join(src, 'locales', `${locale}.po`), 'utf8');
  const entries = new Map<string, string>();
  for (const match of text.matchAll(/^msgid "(.+)"\nmsgstr "(.*)"$/gm)) {
    entries.set(match[1] ?? '', match[2] ?? '');
  }
  return entries;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      return name === 'locales' ? [] : sourceFiles(path);
    }
    return /\.tsx?$/.test(name) && !name.endsWith('.test.ts') ? [path] : [];
  });
}

const en = catalogue('en');

describe('translation catalogues', () => {
  it('define every message id the code uses', () => {
    const used = new Set<string>();
    const prefixes = new Set<string>();
    for (const file of sourceFiles(src)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([\w.]+)'/g)) {
        used.add(m[1] ?? '');
      }
      for (const m of text.matchAll(/\bt\(\s*`([\w.]+)\$\{/g)) {
        prefixes.add(m[1] ?? '');
      }
    }
    expect(used.size).toBeGreaterThan(100);
    expect([...used].filter((id) => !en.has(id))).toEqual([]);
    // Dynamic ids (`lead.status.${status}`) need at least one entry under their prefix.
    expect([...prefixes].filter((prefix) => ![...en.keys()].some((id) => id.startsWith(prefix)))).toEqual([]);
  });

  it('mark every entry as an explicit id, so the compiled catalogue is keyed by it', () => {
    // Without the marker Lingui treats the msgid as source text and keys it by a hash: the screen then shows
    // the raw id (an entry inserted after another's marker steals it).
    for (const locale of ['en', 'fr', 'ru']) {
      const text = readFileSync(join(src, 'locales', `${locale}.po`), 'utf8');
      const unmarked = [...text.matchAll(/^((?:#.*\n)*)msgid "(.+)"$/gm)]
        .filter((m) => !(m[1] ?? '').includes('#. js-lingui-explicit-id'))
        .map((m) => m[2]);
      expect(unmarked, locale).toEqual([]);
    }
  });

  it('have the same ids in English, French and Russian, none left empty', () => {
    for (const locale of ['fr', 'ru']) {
      const other = catalogue(locale);
      expect(
        [...en.keys()].filter((id) => !other.has(id)),
        locale,
      ).toEqual([]);
      expect(
        [...other.keys()].filter((id) => !en.has(id)),
        locale,
      ).toEqual([]);
      expect(
        [...other].filter(([, text]) => text === '').map(([id]) => id),
        locale,
      ).toEqual([]);
    }
  });

  it('give Russian plurals their one, few and many forms', () => {
    const ru = catalogue('ru');
    const plurals = [...ru].filter(([, text]) => text.includes('plural,'));
    expect(plurals.length).toBeGreaterThan(3);
    for (const [id, text] of plurals) {
      expect(text, id).toMatch(/one \{/);
      expect(text, id).toMatch(/few \{/);
      expect(text, id).toMatch(/many \{/);
    }
  });
});
