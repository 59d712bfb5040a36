/**
 * `zadarma call <METHOD> <path>`: one signed API request, printed as JSON — the quickest way to try a
 * method against Zadarma, the sandbox or the local simulator with the same signing the SDK uses.
 */
import { parseArgs } from 'node:util';
import { ZadarmaApiError } from '../client/errors.js';
import {
  type HttpMethod,
  ZADARMA_BASE_URL,
  ZADARMA_SANDBOX_URL,
  ZadarmaTransport,
} from '../client/transport.js';
import { type FormField, foldFields } from '../form-decode.js';
import {
  type CliIo,
  CliUsageError,
  EXIT_FAILURE,
  EXIT_OK,
  EXIT_USAGE,
  parseKeyValue,
  resolveSecret,
} from './sign.js';

/** The CLI's io plus an injectable `fetch` (tests, proxies). */
export interface CallIo extends CliIo {
  readonly fetch?: typeof fetch;
}

const CALL_HELP = `Usage: zadarma call <GET|POST|PUT|DELETE> <path> [--param key=value]... [options]

Sends one signed request (format=json is added and signed, as the official clients do) and prints the
JSON answer. On failure prints Zadarma's message and the HTTP status on stderr and exits with 1.

Options:
  --key <key>          API key; defaults to $ZADARMA_KEY
  --secret <secret>    API secret; defaults to $ZADARMA_SECRET (prefer it: argv is visible to other users)
  --base-url <url>     API host; defaults to $ZADARMA_BASE_URL or ${ZADARMA_BASE_URL}
  --sandbox            use ${ZADARMA_SANDBOX_URL}
  --param key=value    one parameter, repeatable; PHP bracket keys nest: numbers[0]=x
  --timeout <ms>       per-attempt timeout (default 30000)
  --verbose            also print the HTTP status and rate-limit headers on stderr
  -h, --help           show this help

Examples:
  zadarma call GET /v1/info/balance/
  zadarma call GET /v1/request/callback/ --param from=100 --param to=+442037691881 --param sip=100
  zadarma call PUT /v1/sip/callerid/ --param id=00001 --param number=442037691880
`;

const METHODS: ReadonlySet<string> = new Set(['GET', 'POST', 'PUT', 'DELETE']);

interface CallArgs {
  readonly method: HttpMethod;
  readonly path: string;
  readonly key: string;
  readonly secret: string;
  readonly baseUrl: string;
  readonly params: FormField[];
  readonly timeoutMs: number | undefined;
  readonly verbose: boolean;
}

function parseCallArgs(argv: readonly string[], io: CliIo): CallArgs | 'help' {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      key: { type: 'string' },
      secret: { type: 'string' },
      'base-url': { type: 'string' },
      sandbox: { type: 'boolean' },
      param: { type: 'string', multiple: true },
      timeout: { type: 'string' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    return 'help';
  }
  const [rawMethod, path, ...extra] = positionals;
  if (rawMethod === undefined || path === undefined) {
    throw new CliUsageError('expected an HTTP method and a path, e.g. "GET /v1/info/balance/"');
  }
  if (extra.length > 0) {
    throw new CliUsageError(`unexpected argument "${extra[0]}" (parameters go in --param key=value)`);
  }
  const method = rawMethod.toUpperCase();
  if (!METHODS.has(method)) {
    throw new CliUsageError(`unsupported HTTP method "${rawMethod}" (use GET, POST, PUT or DELETE)`);
  }
  if (path.includes('?')) {
    throw new CliUsageError('put parameters in --param key=value, not in the path');
  }
  const key = values.key ?? io.env?.ZADARMA_KEY;
  if (key === undefined || key === '') {
    throw new CliUsageError('no API key: pass --key or set ZADARMA_KEY');
  }
  if (values.sandbox && values['base-url'] !== undefined) {
    throw new CliUsageError('use either --sandbox or --base-url, not both');
  }
  let timeoutMs: number | undefined;
  if (values.timeout !== undefined) {
    timeoutMs = Number(values.timeout);
    if (!Number.isInteger(timeoutMs) || timeoutMs < 0) {
      throw new CliUsageError(`--timeout expects milliseconds, got "${values.timeout}"`);
    }
  }
  return {
    method: method as HttpMethod,
    path,
    key,
    secret: resolveSecret(values.secret, io),
    baseUrl: values.sandbox
      ? ZADARMA_SANDBOX_URL
      : (values['base-url'] ?? (io.env?.ZADARMA_BASE_URL || undefined) ?? ZADARMA_BASE_URL),
    params: (values.param ?? []).map((p) => parseKeyValue(p, '--param')),
    timeoutMs,
    verbose: values.verbose === true,
  };
}

function describeFailure(error: ZadarmaApiError): string {
  const status = error.httpStatus === null ? 'no HTTP answer' : `HTTP ${error.httpStatus}`;
  const message = error.zadarmaMessage ?? error.message;
  return `zadarma: ${status}: ${message} [${error.code}, ${error.httpMethod} ${error.path}]\n`;
}

/** `zadarma call …`; resolves to the exit code (0 ok, 1 API/network failure, 2 usage error). */
export async function runCall(argv: readonly string[], io: CallIo): Promise<number> {
  let args: CallArgs | 'help';
  try {
    args = parseCallArgs(argv, io);
  } catch (error) {
    if (error instanceof CliUsageError || (error instanceof TypeError && 'code' in error)) {
      // `parseArgs` reports unknown or malformed options as TypeErrors with an ERR_PARSE_ARGS_* code.
      io.stderr.write(
        `zadarma call: ${error.message}\n${CALL_HELP.split('\n')[0]}\nRun with --help for details.\n`,
      );
      return EXIT_USAGE;
    }
    throw error;
  }
  if (args === 'help') {
    io.stdout.write(CALL_HELP);
    return EXIT_OK;
  }
  const transport = new ZadarmaTransport({
    key: args.key,
    secret: args.secret,
    baseUrl: args.baseUrl,
    fetch: io.fetch,
    timeoutMs: args.timeoutMs,
    // One request: a client-side limiter has nothing to pace. Retries follow the client's rules
    // (GETs only, never request/callback or sms/send).
    rateLimits: false,
  });
  try {
    const response = await transport.request({
      method: args.method,
      path: args.path,
      params: foldFields(args.params),
    });
    if (args.verbose) {
      io.stderr.write(`HTTP ${response.status} (${response.attempts} attempt(s))\n`);
      for (const [name, value] of Object.entries(response.limits.headers)) {
        io.stderr.write(`${name}: ${value}\n`);
      }
    }
    io.stdout.write(`${JSON.stringify(response.data, null, 2)}\n`);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof ZadarmaApiError) {
      io.stderr.write(describeFailure(error));
      if (args.verbose && error.body !== undefined) {
        io.stderr.write(`${typeof error.body === 'string' ? error.body : JSON.stringify(error.body)}\n`);
      }
      return EXIT_FAILURE;
    }
    if (error instanceof TypeError) {
      // Path normalisation refuses malformed method paths with a TypeError.
      io.stderr.write(`zadarma call: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}
