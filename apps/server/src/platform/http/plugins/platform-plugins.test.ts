import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../app.js';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../../test-support/test-database.js';
import { loadConfig } from '../../config/config.js';
import { serverVersion } from './health.js';
import { MISSING_BUILD_MESSAGE } from './web-app.js';

function fakeWebBuild(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sb-web-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
  writeFileSync(join(dir, 'favicon.svg'), '<svg/>');
  return dir;
}

describe.each(TEST_DIALECTS)('the platform plugins on %s', (dialect) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let bare: FastifyInstance;
  beforeAll(async () => {
    database = await openTestDatabase(dialect);
    app = await buildApp({
      config: loadConfig({ LOG_LEVEL: 'silent', WEB_DIST_DIR: fakeWebBuild() }),
      database,
    });
    bare = await buildApp({
      config: loadConfig({ LOG_LEVEL: 'silent', WEB_DIST_DIR: join(tmpdir(), 'sb-no-such-dist') }),
      database,
    });
  });
  afterAll(async () => {
    await app.close();
    await bare.close();
    await database.cleanup();
  });

  it('reports health with the package version, dialect and mode', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/health' });
    expect(res.json()).toEqual({ status: 'ok', version: serverVersion(), dialect, mode: 'live' });
    expect(serverVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('serves the SPA: files as files, deep links as index.html', async () => {
    const root = await app.inject({ method: 'GET', url: '/' });
    expect(root.statusCode).toBe(200);
    expect(root.headers['content-type']).toMatch(/^text\/html/);
    expect(root.headers['cache-control']).toBe('no-cache');
    expect(root.body).toContain('id="root"');
    const deep = await app.inject({ method: 'GET', url: '/contacts/0192aa/edit?tab=phones' });
    expect(deep.statusCode).toBe(200);
    expect(deep.body).toContain('id="root"');
    const asset = await app.inject({ method: 'GET', url: '/assets/index-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await app.inject({ method: 'GET', url: '/favicon.svg' })).body).toBe('<svg/>');
  });

  it('never falls back to the SPA under /api or /zadarma', async () => {
    for (const url of ['/api/nope', '/api', '/zadarma/whatever']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('SB_ERR_NOT_FOUND');
    }
  });

  it('does not serve files outside the build folder', async () => {
    for (const url of ['/../package.json', '/%2e%2e/%2e%2e/etc/passwd', '/assets/..%2f..%2fpackage.json']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.body).not.toContain('"name"');
      expect(res.body).not.toContain('root:');
    }
  });

  it('explains how to build the web app when its dist folder is missing', async () => {
    const res = await bare.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.body).toBe(MISSING_BUILD_MESSAGE);
    expect(res.body).toContain('npm run build -w @switchboard/web');
  });

  it('sends security headers with a CSP that allows the SPA’s own scripts and inline styles only', async () => {
    const res = await app.inject({ method: 'GET', url: '/' });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  it('adds HSTS and upgrade-insecure-requests when published over https', async () => {
    const https = await buildApp({
      config: loadConfig({
        LOG_LEVEL: 'silent',
        PUBLIC_BASE_URL: 'https://crm.example.test',
        WEB_DIST_DIR: fakeWebBuild(),
      }),
      database,
    });
    const res = await https.inject({ method: 'GET', url: '/' });
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000');
    expect(String(res.headers['content-security-policy'])).toContain('upgrade-insecure-requests');
    await https.close();
  });

  it('serves the OpenAPI document and Swagger UI under /api/docs', async () => {
    const json = await app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(json.statusCode).toBe(200);
    const doc = json.json();
    expect(doc.openapi).toBe('3.0.3');
    expect(doc.info.version).toBe(serverVersion());
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/auth/login',
        '/api/auth/me',
        '/api/users',
        '/api/users/{id}',
        '/api/settings',
        '/api/health',
      ]),
    );
    expect(doc.paths['/api/users'].post.summary).toBe('Create a user (admin only)');
    expect(doc.paths['/api/auth/login'].post.requestBody.content['application/json'].schema.required).toEqual(
      ['email', 'password'],
    );
    expect(Object.keys(doc.paths).some((p) => p === '/*')).toBe(false);
    const ui = await app.inject({ method: 'GET', url: '/api/docs' });
    expect(ui.statusCode).toBe(200);
    expect(ui.body).toContain('swagger-ui');
    // Swagger UI sends its own CSP (it needs validator.swagger.io images), minus the https-only upgrade.
    expect(String(ui.headers['content-security-policy'])).toContain("script-src 'self'");
    expect(String(ui.headers['content-security-policy'])).toContain('validator.swagger.io');
    expect(String(ui.headers['content-security-policy'])).not.toContain('upgrade-insecure-requests');
  });
});
