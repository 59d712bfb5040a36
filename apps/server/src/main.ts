/**
 * The composition root: starts the server from the process environment and stops it on SIGINT/SIGTERM.
 * Everything else (config, database, demo mode, app) is wired in `server.ts`.
 */
import { ConfigError } from './platform/config/config.js';
import { startServer } from './server.js';

/**
 * On a terminal, log lines readable by a person (the demo accounts and the curl that rings a call print as
 * they can be copied); piped or redirected, one JSON object per line for machines. Why on a TTY only:
 * pino-pretty formats in the main thread, and a log collector wants JSON.
 */
async function terminalLogStream(): Promise<{ write(line: string): void } | undefined> {
  if (!process.stdout.isTTY || process.env.LOG_FORMAT === 'json') {
    return undefined;
  }
  const { default: pretty } = await import('pino-pretty');
  return pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname', sync: true });
}

async function main(): Promise<void> {
  const logStream = await terminalLogStream();
  const server = await startServer({ env: process.env, ...(logStream ? { logStream } : {}) });
  const shutdown = async (signal: string) => {
    server.app.log.info(`${signal} received, shutting down`);
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exit(1);
});
