/**
 * Prints the server's OpenAPI document (JSON) on stdout, built from the routes' zod schemas without listening.
 * Why: `scripts/generate-api-types.mjs` turns it into the web's API types, so the two cannot drift.
 */

import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/platform/config/config.js';
import { openDatabase } from '../src/platform/db/database.js';
import { migrateToLatest } from '../src/platform/db/migrate.js';

// The app prepares statements on its tables at build time: an empty, migrated in-memory database suffices.
const database = openDatabase({ dialect: 'sqlite', file: ':memory:' });
await migrateToLatest(database.db);
const app = await buildApp({ config: loadConfig({ LOG_LEVEL: 'silent', DEMO: '0' }), database });
await app.ready();
const document = app.swagger();
await app.close();
await database.close();
process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
