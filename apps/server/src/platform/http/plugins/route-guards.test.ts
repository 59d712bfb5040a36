/**
 * No `/api` route is open by accident: a route added without `requireSignedIn` or `requireAdmin` fails here
 * until it is listed below with the reason it needs no session.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../../app.js';
import { openTestDatabase } from '../../../test-support/test-database.js';
import { loadConfig } from '../../config/config.js';

/** The `/api` routes that take no session guard, each with why. */
const OPEN_ROUTES = {
  // The OpenAPI document and its viewer: the contract is public.
  'GET /api/docs': 'docs',
  'GET /api/docs/json': 'docs',
  'GET /api/docs/yaml': 'docs',
  'GET /api/docs/static/*': 'docs',
  'GET /api/docs/static/index.html': 'docs',
  'GET /api/docs/static/swagger-initializer.js': 'docs',
  // Probes and signing in happen before a session exists; signing out without one is a no-op.
  'GET /api/health': 'probe',
  'POST /api/auth/login': 'no session yet',
  'POST /api/auth/logout': 'ends whatever session there is',
  // Their own guard (demoThenSignedIn): 404 outside demo mode, then 401 without a session.
  'GET /api/demo/status': 'own guard',
  'POST /api/demo/calls/inbound': 'own guard',
  // Demo mode only (404 otherwise): the sign-in page lists the demo accounts, whose password is published.
  'GET /api/demo/accounts': 'demo sign-in page',
} as const;

describe('route guards', () => {
  it('leave open only the /api routes listed with a reason', async () => {
    // Registration does not depend on the dialect: SQLite alone.
    const database = await openTestDatabase('sqlite');
    const app = await buildApp({
      config: loadConfig({ LOG_LEVEL: 'silent', WEB_DIST_DIR: mkdtempSync(join(tmpdir(), 'sb-web-')) }),
      database,
    });
    try {
      await app.ready();
      expect(app.openApiRoutes.map((r) => `${r.method} ${r.url}`).sort()).toEqual(
        Object.keys(OPEN_ROUTES).sort(),
      );
      // The demo routes' own guard does refuse a visitor.
      const status = await app.inject({ method: 'GET', url: '/api/demo/status' });
      expect([401, 404]).toContain(status.statusCode);
    } finally {
      await app.close();
      await database.cleanup();
    }
  });
});
