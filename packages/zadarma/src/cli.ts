#!/usr/bin/env node
/**
 * The `zadarma` command: `sign`, `webhook-signature` and `call`. Each command is a function of
 * `(argv, io)` returning an exit code, so tests run them without a process; this file only dispatches.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runCall } from './cli/call.js';
import { type CliIo, EXIT_OK, EXIT_USAGE, runSign } from './cli/sign.js';
import { runWebhookSignature } from './cli/webhook-signature.js';

export const CLI_HELP = `Usage: zadarma <command> [options]

Commands:
  sign                 signature of an API request (Authorization header), byte-exact with Zadarma's PHP client
  webhook-signature    Signature header Zadarma sends with a notification
  call                 send one signed API request and print the JSON answer

Run "zadarma <command> --help" for a command's options. Exit codes: 0 ok, 1 failure, 2 usage error.
`;

/** Runs `zadarma <argv…>` and resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'sign':
      return runSign(rest, io);
    case 'webhook-signature':
      return runWebhookSignature(rest, io);
    case 'call':
      return runCall(rest, io);
    case '-h':
    case '--help':
    case 'help':
      io.stdout.write(CLI_HELP);
      return EXIT_OK;
    case undefined:
      io.stderr.write(CLI_HELP);
      return EXIT_USAGE;
    default:
      io.stderr.write(`zadarma: unknown command "${command}"\n\n${CLI_HELP}`);
      return EXIT_USAGE;
  }
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) {
    return false;
  }
  try {
    // npm installs the bin as a symlink, so compare real paths.
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`zadarma: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
