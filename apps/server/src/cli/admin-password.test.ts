import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { verifyPassword } from '../platform/auth/password.js';
import { openDatabase } from '../platform/db/database.js';
import { PASSWORD_ON_COMMAND_LINE, resolveAdminPassword } from './admin-password.js';

const quiet = { write: () => true };
const noStdin = () => Readable.from([]);

describe('the create-admin password source', () => {
  it('refuses a password on the command line, saying why', async () => {
    for (const argv of [
      ['--email', 'a@example.com', '--password', 'a long password'],
      ['--email', 'a@example.com', '--password=a long password'],
    ]) {
      expect(await resolveAdminPassword(argv, { env: {}, stdin: noStdin(), prompt: quiet })).toEqual({
        ok: false,
        message: PASSWORD_ON_COMMAND_LINE,
      });
    }
    expect(PASSWORD_ON_COMMAND_LINE).toContain('visible to every user of this machine');
  });

  it('reads the first line of --password-file, then ADMIN_PASSWORD, then a pipe', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-pw-'));
    const file = join(dir, 'pw');
    writeFileSync(file, 'from a file\n');
    expect(
      await resolveAdminPassword(['--email', 'a@example.com', '--password-file', file], {
        env: { ADMIN_PASSWORD: 'ignored' },
        stdin: noStdin(),
        prompt: quiet,
      }),
    ).toEqual({ ok: true, password: 'from a file', argv: ['--email', 'a@example.com'] });
    expect(
      await resolveAdminPassword([`--password-file=${join(dir, 'missing')}`], {
        env: {},
        stdin: noStdin(),
        prompt: quiet,
      }),
    ).toMatchObject({ ok: false, message: expect.stringContaining('cannot read --password-file') });
    rmSync(dir, { recursive: true, force: true });
    expect(
      await resolveAdminPassword([], {
        env: { ADMIN_PASSWORD: 'from env' },
        stdin: noStdin(),
        prompt: quiet,
      }),
    ).toEqual({ ok: true, password: 'from env', argv: [] });
    expect(
      await resolveAdminPassword([], {
        env: {},
        stdin: Readable.from(['piped pass', 'word\nrest']),
        prompt: quiet,
      }),
    ).toEqual({ ok: true, password: 'piped password', argv: [] });
  });

  it('prompts on a terminal without echoing what is typed', async () => {
    const tty = Object.assign(new PassThrough(), { isTTY: true, rawModes: [] as boolean[] });
    const setRawMode = (raw: boolean) => tty.rawModes.push(raw);
    const shown: string[] = [];
    const resolving = resolveAdminPassword([], {
      env: {},
      stdin: Object.assign(tty, { setRawMode }),
      prompt: { write: (text: string) => shown.push(text) },
    });
    tty.write('secrett\u007f long\r');
    expect(await resolving).toEqual({ ok: true, password: 'secret long', argv: [] });
    expect(tty.rawModes).toEqual([true, false]);
    expect(shown.join('')).not.toContain('secret');
  });
});

/** Runs the npm script with `stdin` piped in; resolves with the exit code and output. */
function runScript(args: string[], stdin: string, env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(
      'npm',
      ['run', '--silent', 'create-admin', '-w', '@switchboard/server', '--', ...args],
      {
        cwd: join(import.meta.dirname, '../../../..'),
        env: { ...process.env, ADMIN_PASSWORD: '', ...env },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => {
      stdout += c;
    });
    child.stderr.on('data', (c) => {
      stderr += c;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

describe('the create-admin command line', () => {
  it('refuses --password and takes the password from a pipe instead', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sb-admin-pipe-'));
    const refused = await runScript(['--email', 'cli@example.com', '--password', 'a long password'], '', {
      DATA_DIR: dataDir,
    });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('refusing --password');
    const created = await runScript(['--email', 'piped@example.com'], 'a piped password\n', {
      DATA_DIR: dataDir,
    });
    expect(created.stdout, created.stderr).toContain('Created administrator piped@example.com');
    const handle = openDatabase({ dialect: 'sqlite', file: join(dataDir, 'switchboard.sqlite') });
    const user = await handle.db
      .selectFrom('users')
      .select('password_hash')
      .where('email', '=', 'piped@example.com')
      .executeTakeFirstOrThrow();
    await handle.close();
    expect(await verifyPassword('a piped password', user.password_hash)).toBe(true);
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);
});
