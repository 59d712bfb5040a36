import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
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

  it('gives each validation issue a reason and its limits, so the web can say it in the user’s language', async () => {
    const app = Fastify({ logger: false }).withTypeProvider<ZodTypeProvider>();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    registerErrorHandler(app);
    app.post(
      '/things',
      {
        schema: {
          body: z.object({
            name: z.string().max(5),
            email: z.email(),
            tags: z.array(z.string()).min(1),
          }),
        },
      },
      async () => ({}),
    );
    const res = await app.inject({
      method: 'POST',
      url: '/things',
      payload: { name: 'far too long', email: 'nope', tags: [] },
    });
    expect(res.statusCode).toBe(400);
    const { code, details } = res.json().error;
    expect(code).toBe('SB_ERR_VALIDATION');
    expect(details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: 'name',
          reason: 'too_big',
          params: { maximum: 5, origin: 'string' },
        }),
        expect.objectContaining({
          path: 'email',
          reason: 'invalid_format',
          params: expect.objectContaining({ format: 'email' }),
        }),
        expect.objectContaining({
          path: 'tags',
          reason: 'too_small',
          params: { minimum: 1, origin: 'array' },
        }),
      ]),
    );
    await app.close();
  });
});
