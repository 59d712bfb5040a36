#!/usr/bin/env node
// npm links a package's bin when it installs, before `prepare` has built dist/; this file exists by then.
import { runCli } from '../dist/cli.js';

try {
  process.exitCode = await runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
  });
} catch (error) {
  process.stderr.write(`zadarma: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
