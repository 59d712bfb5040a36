#!/usr/bin/env node
// Builds what `npm start` needs, skipping each step whose inputs have not changed since its last build.
// Why: a start used to run tsc, esbuild, lingui and vite every time (15–27 s before a ~0.5 s server start).
// Each step's inputs (source files, configs, the lockfile, the Node version, the command) are hashed by
// content, not by modification time, so a checkout, a `git stash` or a copied tree rebuild exactly when the
// bytes differ; the hash is stored beside the step's outputs only after the step succeeded, and a missing
// output rebuilds whatever the hash says.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Folders never read as inputs: dependencies, build outputs, caches. */
const SKIPPED_DIRS = new Set([
  'node_modules',
  'dist',
  '.git',
  'coverage',
  'test-results',
  'data',
  '.bench-data',
]);

/** Files that cannot change a build's output: tests and their fixtures. */
function isTestFile(path) {
  return /\.test\.[cm]?[jt]sx?$/.test(path) || /(^|\/)test-support\//.test(path);
}

function listFiles(root, path, exclude, into) {
  const absolute = join(root, path);
  if (!existsSync(absolute)) {
    return;
  }
  const stat = statSync(absolute);
  if (stat.isFile()) {
    if (!isTestFile(path) && !exclude.some((pattern) => pattern.test(path))) {
      into.push(path);
    }
    return;
  }
  for (const entry of readdirSync(absolute, { withFileTypes: true })) {
    if (entry.isDirectory() && SKIPPED_DIRS.has(entry.name)) {
      continue;
    }
    listFiles(root, join(path, entry.name), exclude, into);
  }
}

/**
 * The SHA-256 of a step's inputs: each file's path and bytes, in a stable order, plus the command and the
 * Node version (a new Node may compile differently).
 */
export function hashInputs(root, step) {
  const files = [];
  for (const input of step.inputs) {
    listFiles(root, input, step.exclude ?? [], files);
  }
  files.sort();
  const hash = createHash('sha256');
  hash.update(`${process.version}\0${step.command.join(' ')}\0`);
  for (const file of files) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(join(root, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

function stampPath(root, stampDir, step) {
  return join(root, stampDir, `${step.name}.sha256`);
}

/**
 * Runs each step whose inputs changed (or whose outputs are missing) and records its input hash once it
 * succeeded. Returns what was done, per step: 'built' or 'unchanged'. Throws when a step fails.
 */
export function buildIfChanged({ root, steps, stampDir, log = console.log }) {
  const done = {};
  for (const step of steps) {
    const stamp = stampPath(root, stampDir, step);
    const hash = hashInputs(root, step);
    const outputsPresent = step.outputs.every((output) => existsSync(join(root, output)));
    const previous = existsSync(stamp) ? readFileSync(stamp, 'utf8').trim() : null;
    if (outputsPresent && previous === hash) {
      log(`${step.name}: unchanged, not rebuilt`);
      done[step.name] = 'unchanged';
      continue;
    }
    log(
      `${step.name}: building (${previous === null ? 'first build' : outputsPresent ? 'inputs changed' : 'output missing'})`,
    );
    const [command, ...args] = step.command;
    const run = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: process.env });
    if (run.status !== 0) {
      throw new Error(
        `${step.name}: \`${step.command.join(' ')}\` failed (exit ${run.status ?? run.signal})`,
      );
    }
    mkdirSync(dirname(stamp), { recursive: true });
    writeFileSync(stamp, `${hash}\n`);
    done[step.name] = 'built';
  }
  return done;
}

/** What `npm start` needs, in order: the SDK and simulator (tsc -b), the server bundle, the web app. */
export const START_STEPS = [
  {
    name: 'packages',
    inputs: ['tsconfig.base.json', 'package-lock.json', 'packages/zadarma', 'packages/zadarma-sim'],
    outputs: ['packages/zadarma/dist/index.js', 'packages/zadarma-sim/dist/index.js'],
    command: ['npm', 'run', 'build:packages'],
  },
  {
    name: 'server',
    // The bundle reads the packages' sources (the @switchboard/source condition), so they are inputs too.
    inputs: [
      'tsconfig.base.json',
      'package-lock.json',
      'apps/server/src',
      'apps/server/scripts',
      'apps/server/package.json',
      'apps/server/tsconfig.json',
      'apps/server/tsconfig.build.json',
      'packages/zadarma/src',
      'packages/zadarma-sim/src',
    ],
    outputs: ['apps/server/dist/switchboard.mjs'],
    command: ['npm', 'run', 'build', '-w', '@switchboard/server'],
  },
  {
    name: 'web',
    inputs: [
      'tsconfig.base.json',
      'package-lock.json',
      'apps/web/src',
      'apps/web/public',
      'apps/web/index.html',
      'apps/web/package.json',
      'apps/web/tsconfig.json',
      'apps/web/vite.config.ts',
      'apps/web/lingui.config.ts',
    ],
    // lingui compile writes src/locales/<locale>.ts from the .po catalogues: an output, not an input.
    exclude: [/^apps\/web\/src\/locales\/[^/]+\.ts$/],
    outputs: ['apps/web/dist/index.html'],
    command: ['npm', 'run', 'build', '-w', '@switchboard/web'],
  },
];

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const startedAt = performance.now();
  try {
    buildIfChanged({ root, steps: START_STEPS, stampDir: 'node_modules/.cache/switchboard-build' });
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
  console.log(`build checked in ${Math.round(performance.now() - startedAt)} ms`);
}
