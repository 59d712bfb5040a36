/**
 * The composition root: reads the configuration, opens and migrates the database, builds the app, listens.
 */
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { buildApp } from './http/app.js';

async function main(): Promise<void> {
  const startedAt = performance.now();
  const config = loadConfig(process.env);
  const database = openDatabase(
    config.database.dialect === 'sqlite'
      ? { dialect: 'sqlite', file: config.database.file }
      : { dialect: 'postgres', url: config.database.url },
  );
  await migrateToLatest(database.db);
  const app = await buildApp({ config, database });
  const address = await app.listen({ port: config.port, host: config.host });
  app.log.info(
    `Switchboard listening on ${address} (${database.dialect}, ${config.demo ? 'demo' : 'live'} mode) in ${Math.round(performance.now() - startedAt)} ms`,
  );
  const shutdown = async (signal: string) => {
    app.log.info(`${signal} received, shutting down`);
    await app.close();
    await database.close();
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
