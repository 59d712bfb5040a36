/**
 * The OpenAPI document, generated from the routes' zod schemas, and Swagger UI at `/api/docs`
 * (JSON at `/api/docs/json`). Must be registered before the routes it describes.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

/** Registers @fastify/swagger and Swagger UI. Why: the API documents itself from the schemas it enforces. */
export async function registerOpenApi(
  app: FastifyInstance,
  options: { version: string; https: boolean },
): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Switchboard API',
        version: options.version,
        description:
          'Cookie sessions: sign in with POST /api/auth/login, then send the sb_csrf cookie value in the ' +
          'x-csrf-token header on every non-GET request. Errors are { error: { code, message, details? } }.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'sb_session' },
          csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: true,
    // Swagger UI's own CSP asks for upgrade-insecure-requests, which breaks its assets over plain http.
    transformStaticCSP: (header) =>
      options.https ? header : header.replace(/\s*upgrade-insecure-requests;?/, '').trim(),
  });
}
