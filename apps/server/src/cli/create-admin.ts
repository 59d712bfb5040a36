/**
 * CLI entry: creates the first (or another) administrator. See features/users/create-admin-command.ts.
 */
import { ConfigError } from '../config.js';
import { runCreateAdmin } from '../features/users/create-admin-command.js';

runCreateAdmin(process.argv.slice(2), process.env).then(
  (result) => {
    (result.exitCode === 0 ? console.log : console.error)(result.output);
    process.exitCode = result.exitCode;
  },
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exitCode = 1;
  },
);
