/**
 * `zadarma sign`: the signature part of an API `Authorization` header for exactly the given parameters
 * (docs/zadarma-protocol.md §2.2) — to check a hand-made request or another library's output against ours.
 */
import { parseArgs } from 'node:util';
import { type FormField, foldFields } from '../form-decode.js';
import { canonicalQuery } from '../php-query.js';
import { authorizationHeader, signRequest } from '../signing.js';

/** Where a command writes and what environment it sees; `process` in production, buffers in tests. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** A usage mistake: printed with a hint to `--help`, exit code 2. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

const SIGN_HELP = `Usage: zadarma sign --path <path> [--secret <secret>] [--param key=value]... [--key <key>]

Prints the signature Zadarma expects in "Authorization: <key>:<signature>" for a request with exactly
these parameters (add --param format=json yourself if your client sends it, as the official ones do).

Options:
  --path <path>        URL path as sent, e.g. /v1/info/balance/ (the trailing slash matters)
  --secret <secret>    API secret; defaults to $ZADARMA_SECRET (prefer it: argv is visible to other users)
  --param key=value    one parameter, repeatable; PHP bracket keys nest: numbers[0]=x, lead[name]=ACME
  --key <key>          print the whole header value "<key>:<signature>" instead of the signature
  --canonical          also print the canonical signed query string on stderr
  -h, --help           show this help

Example:
  zadarma sign --path /v1/request/callback/ --param from=100 --param to=+442037691881 \\
    --param sip=100 --param predicted=predicted --param format=json
`;

/** Splits `key=value` at the first `=`; throws a usage error naming the flag for anything else. */
export function parseKeyValue(text: string, flag: string): FormField {
  const eq = text.indexOf('=');
  if (eq <= 0) {
    throw new CliUsageError(`${flag} expects key=value, got "${text}"`);
  }
  return { name: text.slice(0, eq), value: text.slice(eq + 1) };
}

/** The secret from `--secret` or `$ZADARMA_SECRET`; never echoed in any message. */
export function resolveSecret(flag: string | undefined, io: CliIo): string {
  const secret = flag ?? io.env?.ZADARMA_SECRET;
  if (secret === undefined || secret === '') {
    throw new CliUsageError('no secret: pass --secret or set ZADARMA_SECRET');
  }
  return secret;
}

/** Runs a command body, turning usage errors into exit code 2 and a one-line message. */
export function runCommand(io: CliIo, help: string, body: () => void): number {
  try {
    body();
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CliUsageError || (error instanceof TypeError && 'code' in error)) {
      // `parseArgs` reports unknown or malformed options as TypeErrors with an ERR_PARSE_ARGS_* code.
      io.stderr.write(`zadarma: ${error.message}\n${help.split('\n')[0]}\nRun with --help for details.\n`);
      return EXIT_USAGE;
    }
    io.stderr.write(`zadarma: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_FAILURE;
  }
}

/** `zadarma sign …`; returns the exit code. */
export function runSign(argv: readonly string[], io: CliIo): number {
  return runCommand(io, SIGN_HELP, () => {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        path: { type: 'string' },
        secret: { type: 'string' },
        param: { type: 'string', multiple: true },
        key: { type: 'string' },
        canonical: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) {
      io.stdout.write(SIGN_HELP);
      return;
    }
    const path = values.path;
    if (path === undefined || !path.startsWith('/')) {
      throw new CliUsageError('--path is required and must start with "/" (e.g. /v1/info/balance/)');
    }
    const secret = resolveSecret(values.secret, io);
    const params = foldFields((values.param ?? []).map((p) => parseKeyValue(p, '--param')));
    const signature = signRequest({ path, params, secret });
    if (values.canonical) {
      io.stderr.write(`${canonicalQuery(params)}\n`);
    }
    io.stdout.write(`${values.key === undefined ? signature : authorizationHeader(values.key, signature)}\n`);
  });
}
