import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../app.js';
import { openTestDatabase, type TestDatabase } from '../../../test-support/test-database.js';
import { loadConfig } from '../../config/config.js';

interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;

// Routes that answer something other than JSON: an empty 204 (deletions, a dead job queued again), a cookie-only
// sign-out, a CSV file, a call's recording (audio, by byte range). Every other route declares its response, or the web has no type for it.
const NOT_JSON = [
  /^delete /,
  /^post \/api\/jobs\/\{id\}\/retry$/,
  /^post \/api\/auth\/logout/,
  /\/export\.csv$/,
  /^get \/api\/calls\/\{id\}\/recording$/,
];

// The document is built from the route schemas alone: one dialect shows it (the SQL behind it is tested elsewhere).
describe('the OpenAPI document the web types are generated from', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  beforeAll(async () => {
    database = await openTestDatabase('sqlite');
    app = await buildApp({ config: loadConfig({ LOG_LEVEL: 'silent' }), database });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await database.cleanup();
  });

  it('describes a JSON response for every API operation that answers JSON', () => {
    const document = app.swagger() as { paths: Record<string, Partial<Record<string, Operation>>> };
    const undescribed: string[] = [];
    for (const [path, item] of Object.entries(document.paths)) {
      for (const method of METHODS) {
        const operation = item[method];
        const name = `${method} ${path}`;
        if (!operation || NOT_JSON.some((pattern) => pattern.test(name))) {
          continue;
        }
        const success = Object.entries(operation.responses ?? {}).filter(([status]) =>
          status.startsWith('2'),
        );
        if (!success.some(([, response]) => response.content?.['application/json']?.schema)) {
          undescribed.push(name);
        }
      }
    }
    expect(undescribed).toEqual([]);
  });
});

describe('npm run contract', () => {
  const root = fileURLToPath(new URL('../../../../../..', import.meta.url));
  const script = join(root, 'scripts/generate-api-types.mjs');
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [script, ...args], { cwd: root, encoding: 'utf8' });
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sb-contract-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes on freshly generated types and fails, naming the fix, once they are stale', () => {
    const file = join(dir, 'openapi.ts');
    expect(run('--file', file).status).toBe(0);
    const fresh = run('--check', '--file', file);
    expect(fresh.stderr).toBe('');
    expect(fresh.status).toBe(0);

    writeFileSync(file, readFileSync(file, 'utf8').replace("'/api/contacts'", "'/api/people'"));
    const stale = run('--check', '--file', file);
    expect(stale.status).toBe(1);
    expect(stale.stderr).toContain('API types are stale: run npm run generate:api');
  }, 120_000);
});
