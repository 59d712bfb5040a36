import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildIfChanged, hashInputs, START_STEPS } from './build-if-changed.mjs';

let root;
const write = (path, text) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
};
const read = (path) => readFileSync(join(root, path), 'utf8');

// A real build step: a child process that writes its output from its input and counts its runs.
const copyStep = {
  name: 'copy',
  inputs: ['src'],
  outputs: ['dist/out.txt'],
  command: [
    process.execPath,
    '-e',
    "const f=require('fs');f.mkdirSync('dist',{recursive:true});f.writeFileSync('dist/out.txt',f.readFileSync('src/in.txt'));f.appendFileSync('runs.txt','x')",
  ],
};
const build = () => buildIfChanged({ root, steps: [copyStep], stampDir: 'stamps', log: () => {} });

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'sb-build-'));
  write('src/in.txt', 'one');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('buildIfChanged', () => {
  it('builds the first time and skips a second start with unchanged inputs', () => {
    expect(build()).toEqual({ copy: 'built' });
    expect(build()).toEqual({ copy: 'unchanged' });
    expect(read('runs.txt')).toBe('x');
    expect(read('dist/out.txt')).toBe('one');
  });

  it('rebuilds when a source file changes, and when one is added', () => {
    build();
    write('src/in.txt', 'two');
    expect(build()).toEqual({ copy: 'built' });
    expect(read('dist/out.txt')).toBe('two');
    write('src/other.txt', 'new file');
    expect(build()).toEqual({ copy: 'built' });
    expect(read('runs.txt')).toBe('xxx');
  });

  it('rebuilds when an output was deleted even though the inputs are the same', () => {
    build();
    unlinkSync(join(root, 'dist/out.txt'));
    expect(build()).toEqual({ copy: 'built' });
    expect(read('dist/out.txt')).toBe('one');
  });

  it('does not record a failed build, so the next start tries again', () => {
    const failing = { ...copyStep, command: [process.execPath, '-e', 'process.exit(3)'] };
    expect(() => buildIfChanged({ root, steps: [failing], stampDir: 'stamps', log: () => {} })).toThrow(
      /exit 3/,
    );
    expect(build()).toEqual({ copy: 'built' });
  });

  it('ignores test files and dependencies, which cannot change the output', () => {
    build();
    write('src/in.test.ts', 'a test');
    write('src/node_modules/x/index.js', 'a dependency');
    expect(build()).toEqual({ copy: 'unchanged' });
  });
});

describe('START_STEPS', () => {
  const web = START_STEPS.find((step) => step.name === 'web');
  const server = START_STEPS.find((step) => step.name === 'server');

  it('sees a changed web source, but not the catalogues lingui compiles into src/locales', () => {
    write('apps/web/src/App.tsx', 'export const a = 1;');
    write('apps/web/src/locales/fr.po', 'msgid "a"');
    const before = hashInputs(root, web);
    write('apps/web/src/locales/fr.ts', 'compiled');
    expect(hashInputs(root, web)).toBe(before);
    write('apps/web/src/locales/fr.po', 'msgid "b"');
    const afterCatalogue = hashInputs(root, web);
    expect(afterCatalogue).not.toBe(before);
    write('apps/web/src/App.tsx', 'export const a = 2;');
    expect(hashInputs(root, web)).not.toBe(afterCatalogue);
  });

  it('rebuilds the server bundle when the SDK it bundles from source changes', () => {
    write('apps/server/src/main.ts', 'main');
    write('packages/zadarma/src/index.ts', 'sdk');
    const before = hashInputs(root, server);
    write('packages/zadarma/src/index.ts', 'sdk changed');
    expect(hashInputs(root, server)).not.toBe(before);
  });
});
