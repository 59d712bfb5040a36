/**
 * `npm run create-admin -w @switchboard/server -- --email … [--name …] [--locale en|fr|ru]` (the CLI entry,
 * cli/create-admin.ts, reads the password from stdin, ADMIN_PASSWORD or --password-file into ADMIN_PASSWORD):
 * creates an administrator in the configured database (same env as the server). Why: outside demo mode a
 * fresh database has no users, and somebody has to be able to sign in first.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config.js';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { AppError } from '../errors/errors.js';
import { createUser } from './create-user.js';
import { CreateUserBodySchema } from './user-schemas.js';

const CREATE_ADMIN_USAGE =
  'usage: npm run create-admin -w @switchboard/server -- --email you@example.com ' +
  '[--name "Your Name"] [--locale en|fr|ru] [--password-file <path>]\n' +
  '(the password is asked for without echo, or read from a pipe, ADMIN_PASSWORD or --password-file; ' +
  'never give it on the command line)';

export interface CommandResult {
  readonly exitCode: number;
  readonly output: string;
}

/** Runs the command with arguments and environment given. Why: the CLI entry stays a one-liner, tests call this. */
export async function runCreateAdmin(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<CommandResult> {
  let values: { email?: string; password?: string; name?: string; locale?: string; help?: boolean };
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        email: { type: 'string' },
        password: { type: 'string' },
        name: { type: 'string' },
        locale: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (error) {
    return { exitCode: 2, output: `${(error as Error).message}\n${CREATE_ADMIN_USAGE}` };
  }
  if (values.help) {
    return { exitCode: 0, output: CREATE_ADMIN_USAGE };
  }
  const parsed = CreateUserBodySchema.safeParse({
    email: values.email ?? '',
    password: values.password ?? env.ADMIN_PASSWORD ?? '',
    name: values.name ?? 'Administrator',
    role: 'admin',
    locale: values.locale ?? 'en',
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  --${i.path.join('.')}: ${i.message}`).join('\n');
    return { exitCode: 2, output: `invalid arguments:\n${problems}\n${CREATE_ADMIN_USAGE}` };
  }
  const config = loadConfig(env);
  const database = openDatabase(
    config.database.dialect === 'sqlite'
      ? { dialect: 'sqlite', file: config.database.file }
      : { dialect: 'postgres', url: config.database.url },
  );
  try {
    await migrateToLatest(database.db);
    const user = await createUser(database.db, { ...parsed.data, now: new Date() });
    const where = config.database.dialect === 'sqlite' ? config.database.file : 'PostgreSQL (DATABASE_URL)';
    return { exitCode: 0, output: `Created administrator ${user.email} (${user.name}) in ${where}.` };
  } catch (error) {
    if (error instanceof AppError) {
      return { exitCode: 1, output: `could not create the administrator: ${error.message}` };
    }
    throw error;
  } finally {
    await database.close();
  }
}
