/**
 * The composition root: starts the server from the process environment and stops it on SIGINT/SIGTERM.
 * Everything else (config, database, demo mode, app) is wired in `server.ts`.
 */
import { ConfigError } from './platform/config/config.js';
import { startServer } from './server.js';

async function main(): Promise<void> {
  const server = await startServer({ env: process.env });
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
