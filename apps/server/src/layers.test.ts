/**
 * The layer rules (.dependency-cruiser.cjs) guard real files. Why: a rule whose `from.path` matches nothing
 * passes forever while guarding nothing, and an exception naming a file that moved hides nothing but the rot.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = resolve(import.meta.dirname, '../../..');

interface PathFilter {
  readonly path?: string | readonly string[];
  readonly pathNot?: string | readonly string[];
}

interface Rule {
  readonly name: string;
  readonly from: PathFilter;
  readonly to: PathFilter;
}

const config = createRequire(import.meta.url)(join(repo, '.dependency-cruiser.cjs')) as {
  readonly forbidden: readonly Rule[];
};

/** Every file dependency-cruiser reads (`npm run layers` cruises packages/ and apps/), as repository paths. */
function cruisedFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (['node_modules', 'dist', 'coverage'].includes(entry.name) || entry.name.startsWith('.')) {
        continue;
      }
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else if (/\.(ts|tsx|mjs|cjs|js)$/.test(entry.name)) {
        files.push(relative(repo, full));
      }
    }
  };
  walk(join(repo, 'packages'));
  walk(join(repo, 'apps'));
  return files;
}

const list = (value: string | readonly string[] | undefined): readonly string[] =>
  value === undefined ? [] : typeof value === 'string' ? [value] : value;

const files = cruisedFiles();
const matching = (pattern: string): string[] => files.filter((file) => new RegExp(pattern).test(file));

describe('layer rules', () => {
  const scoped = config.forbidden.filter((rule) => rule.from.path !== undefined);

  it('include the rules that keep the modules apart', () => {
    expect(scoped.map((rule) => rule.name)).toEqual(
      expect.arrayContaining([
        'domain-is-pure',
        'use-cases-know-no-adapters',
        'routes-only-route',
        'platform-knows-no-modules',
        'modules-meet-through-public-files',
      ]),
    );
  });

  for (const rule of scoped) {
    it(`${rule.name} guards at least one file`, () => {
      const guarded = list(rule.from.path)
        .flatMap(matching)
        .filter((file) => !list(rule.from.pathNot).some((not) => new RegExp(not).test(file)));
      expect(guarded.length).toBeGreaterThan(0);
    });

    // An exception or a public file is one named file: it must still exist under that name.
    const named = [...list(rule.from.pathNot), ...list(rule.to.pathNot)].filter(
      (pattern) => /\/[\w.\\-]+\.tsx?\$$/.test(pattern.replaceAll('\\.', '.')) && !/[[(]/.test(pattern),
    );
    for (const pattern of named) {
      it(`${rule.name} names an existing file: ${pattern}`, () => {
        expect(matching(pattern)).toHaveLength(1);
      });
    }
  }
});

describe('file names', () => {
  // `kysely-` tells a reader the file queries the database; an adapter composed of other ports only (the history
  // import's call links over the webhook path's lookups) was once named so and sent readers looking for its SQL.
  const kyselyFiles = files.filter(
    (file) => /\/kysely-[\w-]+\.ts$/.test(file) && !file.endsWith('.test.ts') && !file.includes('/bench/'),
  );

  it('finds the kysely- files (the scan itself works)', () => {
    expect(kyselyFiles).toContain('apps/server/src/modules/telephony/adapters/kysely-callback-loops.ts');
  });

  it.each(kyselyFiles)('%s reads or writes the database through Kysely', (file) => {
    expect(readFileSync(join(repo, file), 'utf8')).toMatch(/from 'kysely'|platform\/db\//);
  });
});
