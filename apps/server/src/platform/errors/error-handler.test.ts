import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { registerErrorHandler } from './error-handler.js';

describe('the error handler', () => {
  it('answers a database left busy by another process with 503 SB_ERR_UNAVAILABLE and Retry-After', async () => {
    const app = Fastify({ logger: false });
    registerErrorHandler(app);
    app.get('/busy', async () => {
      throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    });
    app.get('/boom', async () => {
      throw new Error('boom');
    });
    const busy = await app.inject({ method: 'GET', url: '/busy' });
    expect(busy.statusCode).toBe(503);
    expect(busy.headers['retry-after']).toBe('5');
    expect(busy.json().error.code).toBe('SB_ERR_UNAVAILABLE');
    const boom = await app.inject({ method: 'GET', url: '/boom' });
    expect(boom.statusCode).toBe(500);
    expect(boom.json().error.message).not.toContain('boom');
    await app.close();
  });
});
