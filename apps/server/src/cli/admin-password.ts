/**
 * Where `create-admin` reads the password from: `--password-file <path>`, else `ADMIN_PASSWORD`, else standard
 * input (a prompt without echo on a terminal, the first line of a pipe). Never the command line.
 */
import { readFile } from 'node:fs/promises';

export const PASSWORD_ON_COMMAND_LINE =
  'refusing --password: a password on the command line is visible to every user of this machine (ps, ' +
  '/proc, shell history). Give it on standard input (you are prompted, or pipe it), in ADMIN_PASSWORD, or ' +
  'in a file with --password-file <path>.';

/** What the password source needs from the process. Why: tests give a fake terminal or pipe. */
export interface PasswordInput {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Standard input: `isTTY` decides between a silent prompt and reading a pipe. */
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  /** Where the prompt goes (stderr, so stdout stays clean for scripts). */
  readonly prompt: { write(text: string): unknown };
}

/** The password and the arguments left for the command, or a refusal. */
export type PasswordResolution =
  | { readonly ok: true; readonly password: string; readonly argv: string[] }
  | { readonly ok: false; readonly message: string };

/**
 * Takes the password out of `argv` (`--password-file`) or the environment or standard input.
 * Why: a password given as an argument is readable by anyone on the machine while the command runs.
 */
export async function resolveAdminPassword(
  argv: readonly string[],
  input: PasswordInput,
): Promise<PasswordResolution> {
  const rest: string[] = [];
  let file: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--password' || arg.startsWith('--password=')) {
      return { ok: false, message: PASSWORD_ON_COMMAND_LINE };
    }
    if (arg === '--password-file') {
      file = argv[i + 1];
      i += 1;
      if (file === undefined) {
        return { ok: false, message: '--password-file needs a path' };
      }
    } else if (arg.startsWith('--password-file=')) {
      file = arg.slice('--password-file='.length);
    } else {
      rest.push(arg);
    }
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    return { ok: true, password: '', argv: rest };
  }
  if (file !== undefined) {
    try {
      return { ok: true, password: firstLine(await readFile(file, 'utf8')), argv: rest };
    } catch (error) {
      return { ok: false, message: `cannot read --password-file ${file}: ${(error as Error).message}` };
    }
  }
  if (input.env.ADMIN_PASSWORD) {
    return { ok: true, password: input.env.ADMIN_PASSWORD, argv: rest };
  }
  const password = input.stdin.isTTY ? await promptSilently(input) : firstLine(await readAll(input.stdin));
  return { ok: true, password, argv: rest };
}

function firstLine(text: string): string {
  return text.split(/\r?\n/, 1)[0] ?? '';
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads one line from a terminal in raw mode, echoing nothing. */
function promptSilently(input: PasswordInput): Promise<string> {
  const { stdin, prompt } = input;
  prompt.write('Password for the new administrator (not shown): ');
  stdin.setRawMode?.(true);
  stdin.resume();
  return new Promise((resolve, reject) => {
    let typed = '';
    const done = (result: string | Error) => {
      stdin.removeListener('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      prompt.write('\n');
      if (result instanceof Error) {
        reject(result);
      } else {
        resolve(result);
      }
    };
    const onData = (chunk: Buffer | string) => {
      for (const char of chunk.toString()) {
        if (char === '\r' || char === '\n' || char === '\u0004') {
          done(typed);
          return;
        }
        if (char === '\u0003') {
          done(new Error('cancelled'));
          return;
        }
        if (char === '\u007f' || char === '\b') {
          typed = [...typed].slice(0, -1).join('');
        } else {
          typed += char;
        }
      }
    };
    stdin.on('data', onData);
  });
}
