/**
 * What `npm publish` ships of the two packages: the built code, the sources (for the `@switchboard/source`
 * condition) and the CLI — never a test, a test harness (`testing/`) or the build's incremental state. Why a test:
 * `files` in package.json is an allow-list, and a new test beside its code would otherwise ship with it.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The paths `npm pack` would put in the tarball of the package in `dir`. */
function packed(dir: string): string[] {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: dir,
    encoding: 'utf8',
  });
  return (JSON.parse(out) as { files: { path: string }[] }[])[0]?.files.map((file) => file.path) ?? [];
}

describe.each([
  ['@switchboard/zadarma', resolve(import.meta.dirname, '../../zadarma')],
  ['@switchboard/zadarma-sim', resolve(import.meta.dirname, '..')],
])('%s as published', (_name, dir) => {
  const files = packed(dir);

  it('ships its built entry point, its sources and its CLI', () => {
    expect(files).toEqual(
      expect.arrayContaining(['package.json', 'dist/index.js', 'dist/index.d.ts', 'src/index.ts']),
    );
    expect(files.some((file) => file.startsWith('bin/'))).toBe(true);
  });

  it('ships no test, no test harness and no build state', () => {
    const unwanted = files.filter(
      (file) =>
        /\.test\.[cm]?[jt]s$/.test(file) ||
        /(^|\/)testing\//.test(file) ||
        file.startsWith('test/') ||
        file.endsWith('.tsbuildinfo'),
    );
    expect(unwanted).toEqual([]);
  });
});
