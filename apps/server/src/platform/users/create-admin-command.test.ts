import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_DATABASE_URL } from '../../test-support/test-database.js';
import { verifyPassword } from '../auth/password.js';
import { openDatabase } from '../db/database.js';
import { runCreateAdmin } from './create-admin-command.js';

async function pgEnv(): Promise<{ env: Record<string, string>; cleanup(): Promise<void> }> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await c.connect();
  await c.query(`CREATE SCHEMA ${schema}`);
  await c.end();
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    env: { DATABASE_URL: url.toString() },
    async cleanup() {
      const d = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await d.connect();
      await d.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await d.end();
    },
  };
}

describe.each(['sqlite', 'postgres'] as const)('create-admin on %s', (dialect) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-admin-'));
  let env: Record<string, string> = { DATA_DIR: dataDir };
  let cleanup = async () => {};
  afterAll(async () => {
    await cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates an administrator who can sign in, in the configured database', async () => {
    if (dialect === 'postgres') {
      const target = await pgEnv();
      env = { ...env, ...target.env };
      cleanup = target.cleanup;
    }
    const result = await runCreateAdmin(
      ['--email', 'Boss@Example.com', '--password', 'a long password', '--name', 'Marie Curie'],
      env,
    );
    expect(result).toEqual({
      exitCode: 0,
      output: expect.stringContaining('Created administrator boss@example.com (Marie Curie)'),
    });
    const handle =
      dialect === 'sqlite'
        ? openDatabase({ dialect, file: join(dataDir, 'switchboard.sqlite') })
        : openDatabase({ dialect, url: env.DATABASE_URL as string });
    const user = await handle.db.selectFrom('users').selectAll().executeTakeFirstOrThrow();
    await handle.close();
    expect(user).toMatchObject({
      email: 'boss@example.com',
      role: 'admin',
      name: 'Marie Curie',
      disabled: 0,
    });
    expect(await verifyPassword('a long password', user.password_hash)).toBe(true);
  });

  it('refuses an existing email and bad arguments with a clear message and a non-zero exit code', async () => {
    const again = await runCreateAdmin(['--email', 'boss@example.com', '--password', 'a long password'], env);
    expect(again).toEqual({
      exitCode: 1,
      output: 'could not create the administrator: a user with the email boss@example.com already exists',
    });
    const bad = await runCreateAdmin(['--email', 'nope', '--password', 'short'], env);
    expect(bad.exitCode).toBe(2);
    expect(bad.output).toContain('--email: must be an email address');
    expect(bad.output).toContain('--password: must be at least 8 characters');
    const unknown = await runCreateAdmin(['--mail', 'x'], env);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.output).toContain('usage: npm run create-admin');
  });

  it('takes the password from ADMIN_PASSWORD when --password is absent', async () => {
    const result = await runCreateAdmin(['--email', 'second@example.com'], {
      ...env,
      ADMIN_PASSWORD: 'from the environment',
    });
    expect(result.exitCode).toBe(0);
  });
});

describe('the create-admin npm script', () => {
  it('runs from the command line', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sb-admin-cli-'));
    const { stdout } = await promisify(execFile)(
      'npm',
      ['run', '--silent', 'create-admin', '-w', '@switchboard/server', '--', '--email', 'cli@example.com'],
      {
        cwd: join(import.meta.dirname, '../../../../..'),
        env: { ...process.env, DATA_DIR: dataDir, ADMIN_PASSWORD: 'a long password' },
      },
    );
    expect(stdout).toContain('Created administrator cli@example.com');
    rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);
});
