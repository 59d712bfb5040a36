import { execFile, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from './cli/sign.js';
import { runCli } from './cli.js';

const SECRET = 'f0e1d2c3b4a5968778f9';
const PACKAGE = fileURLToPath(new URL('..', import.meta.url));
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const run = promisify(execFile);

function capture(): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
    env: {},
    out: () => out,
    err: () => err,
  };
}

async function spawnCli(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('runCli dispatch', () => {
  it('prints the command list on --help and exits 0', async () => {
    const io = capture();
    expect(await runCli(['--help'], io)).toBe(0);
    expect(io.out()).toMatch(/sign\s+signature of an API request[\s\S]*webhook-signature[\s\S]*call/);
  });

  it('exits 2 with usage for no command or an unknown one', async () => {
    const none = capture();
    expect(await runCli([], none)).toBe(2);
    expect(none.err()).toMatch(/^Usage: zadarma <command>/);
    const unknown = capture();
    expect(await runCli(['frobnicate'], unknown)).toBe(2);
    expect(unknown.err()).toMatch(/unknown command "frobnicate"/);
  });

  it('dispatches sign, webhook-signature and call', async () => {
    const io = capture();
    expect(
      await runCli(['sign', '--path', '/v1/info/balance/', '--secret', SECRET, '--param', 'format=json'], io),
    ).toBe(0);
    expect(await runCli(['webhook-signature', '--help'], io)).toBe(0);
    expect(await runCli(['call', '--help'], io)).toBe(0);
    expect(io.out()).toMatch(
      /^NTEyMjBmOWIwMjFlMjEzYmUzOGIwYzMyNmVmNDFlZjE3OGYyYjNiZg==\n[\s\S]*Usage: zadarma call/,
    );
  });
});

describe('the built bin (node dist/cli.js)', () => {
  beforeAll(() => {
    // The bin runs from dist, so build exactly as `npm run build:packages` would for this package.
    execFileSync(
      process.execPath,
      [fileURLToPath(import.meta.resolve('typescript/bin/tsc')), '-b', PACKAGE],
      {
        stdio: 'pipe',
      },
    );
  }, 120_000);

  it('has a node shebang', async () => {
    const { readFile } = await import('node:fs/promises');
    expect((await readFile(CLI, 'utf8')).startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('A3: prints the §2.6 signature', async () => {
    const params = ['from=100', 'to=+442037691881', 'sip=100', 'predicted=predicted', 'format=json'];
    const result = await spawnCli([
      'sign',
      '--path',
      '/v1/request/callback/',
      '--secret',
      SECRET,
      ...params.flatMap((p) => ['--param', p]),
    ]);
    expect(result).toEqual({
      code: 0,
      stdout: 'NTQyMTQyNDIwMTk3NTgyMTIxMmRhOTliYTg2NDZjMjYzZjRmZTgxYg==\n',
      stderr: '',
    });
  });

  it('A13: prints the §2.6 signature for nested bracket keys, secret from the environment', async () => {
    const params = [
      'convert=0',
      'lead[name]=Good Company',
      'lead[phones][0][type]=work',
      'lead[phones][0][phone]=+44123456789',
      'format=json',
    ];
    const result = await spawnCli(
      ['sign', '--path', '/v1/zcrm/leads', ...params.flatMap((p) => ['--param', p])],
      {
        ZADARMA_SECRET: SECRET,
      },
    );
    expect(result.stdout).toBe('ZmVmOTQ5MWRmOGEzZjQyZTEyOWQ3YWQyYzNhNjZmNjFiNWYwYjA1MQ==\n');
    expect(result.code).toBe(0);
  });

  it('§5.6 NOTIFY_START: prints the Signature header value', async () => {
    const fields = [
      'event=NOTIFY_START',
      'caller_id=442037691880',
      'called_did=442037691999',
      'call_start=2024-05-14 10:15:30',
    ];
    const result = await spawnCli([
      'webhook-signature',
      '--secret',
      SECRET,
      ...fields.flatMap((f) => ['--field', f]),
    ]);
    expect(result).toEqual({
      code: 0,
      stdout: 'MGRhZjkyYWEyMDgyNzI2NjFmZTE1MzEzNTVmYWIwYjg5NmQ2NGFlYw==\n',
      stderr: '',
    });
  });

  it('exits 2 on a usage error without printing the secret', async () => {
    const result = await spawnCli(['sign', '--secret', SECRET, '--param', 'a=1']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/--path is required/);
    expect(result.stderr).not.toContain(SECRET);
    expect((await spawnCli(['nope'])).code).toBe(2);
  });
});
