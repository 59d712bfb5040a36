/**
 * CLI entry: creates the first (or another) administrator. See platform/users/create-admin-command.ts; the
 * password comes from standard input, ADMIN_PASSWORD or --password-file (cli/admin-password.ts), never argv.
 */
import { ConfigError } from '../platform/config/config.js';
import { runCreateAdmin } from '../platform/users/create-admin-command.js';
import { resolveAdminPassword } from './admin-password.js';

async function main(): Promise<{ exitCode: number; output: string }> {
  const resolved = await resolveAdminPassword(process.argv.slice(2), {
    env: process.env,
    stdin: process.stdin,
    prompt: process.stderr,
  });
  if (!resolved.ok) {
    return { exitCode: 2, output: resolved.message };
  }
  return runCreateAdmin(resolved.argv, { ...process.env, ADMIN_PASSWORD: resolved.password });
}

main().then(
  (result) => {
    (result.exitCode === 0 ? console.log : console.error)(result.output);
    process.exitCode = result.exitCode;
  },
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exitCode = 1;
  },
);
