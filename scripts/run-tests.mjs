#!/usr/bin/env node
// Runs every test suite once and ends with the one line CI reads: "N passed, N failed".
// Vitest's own summary is not read by CI, and a run that executes no test, or skips one in CI, is a failure.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'switchboard-tests-'));
const report = join(dir, 'report.json');
const args = [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
  ...process.argv.slice(2),
];
const run = spawnSync('npx', args, { stdio: 'inherit', env: process.env });

let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const json = JSON.parse(readFileSync(report, 'utf8'));
  passed = json.numPassedTests;
  failed = json.numFailedTests;
  skipped = json.numPendingTests + json.numTodoTests;
  // A suite that fails to load has no failed test but is a failure all the same.
  failed += json.testResults.filter((r) => r.status === 'failed' && r.assertionResults.length === 0).length;
} catch (error) {
  console.error(`test report unreadable: ${error.message}`);
  failed += 1;
}
rmSync(dir, { recursive: true, force: true });

if (process.env.CI && skipped > 0) {
  console.error(`${skipped} test(s) skipped: nothing may be skipped in CI`);
  failed += skipped;
}
if (passed + failed === 0) {
  console.error('no test ran');
  failed = 1;
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || run.status !== 0 ? 1 : 0);
