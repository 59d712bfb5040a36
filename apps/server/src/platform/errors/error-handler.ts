/**
 * The one place where errors become HTTP responses: `{ error: { code, message, details? } }`.
 * AppErrors keep their code; Zod/Fastify validation errors become SB_ERR_VALIDATION with one detail per
 * field; anything unexpected is logged and answered as SB_ERR_INTERNAL without leaking internals.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isDatabaseBusy } from '../db/database.js';
import { AppError, catalogueCodeOf, type ErrorCode, type ErrorDetail, statusOf } from './errors.js';

/** What a 5xx of another error class says (its own message may name files, keys or variables). */
const SERVER_SIDE_MESSAGES: Partial<Record<ErrorCode, string>> = {
  SB_ERR_UNAVAILABLE: 'the server cannot serve this now; it has been logged, try again later',
};

interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: readonly ErrorDetail[] };
}

function errorBody(code: ErrorCode, message: string, details?: readonly ErrorDetail[]): ErrorBody {
  return { error: details && details.length > 0 ? { code, message, details } : { code, message } };
}

/** The limits a zod issue names that a translated message needs (`maximum: 40`, `origin: 'string'`…). */
const ISSUE_PARAMS = ['minimum', 'maximum', 'origin', 'format', 'expected'] as const;

/**
 * The machine-readable side of a zod issue: its code and its limits. Why: the web translates the issue
 * ("at most 40 characters" in French or Russian) instead of showing zod's English sentence.
 */
function issueReason(code: unknown, issueParams: unknown): Pick<ErrorDetail, 'reason' | 'params'> {
  if (typeof code !== 'string') {
    return {};
  }
  const fields = (issueParams ?? {}) as Record<string, unknown>;
  const params: Record<string, string | number> = {};
  for (const name of ISSUE_PARAMS) {
    const value = fields[name];
    if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) {
      params[name] = value;
    } else if (typeof value === 'bigint') {
      params[name] = Number(value);
    }
  }
  return { reason: code, params };
}

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError | Error, request, reply) => {
    if (error instanceof AppError) {
      return reply.status(error.status).send(errorBody(error.code, error.message, error.details));
    }
    const code = catalogueCodeOf(error);
    if (code !== null) {
      const status = statusOf(code);
      if (status < 500) {
        return reply.status(status).send(errorBody(code, error.message));
      }
      // A server-side condition (storage, configuration): logged whole, answered without its internals.
      request.log.error({ err: error }, 'request failed');
      return reply
        .status(status)
        .send(errorBody(code, SERVER_SIDE_MESSAGES[code] ?? 'the server cannot serve this now'));
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const details = error.validation.map((v) => ({
        path: [v.instancePath.replace(/^\//, '').replaceAll('/', '.'), v.params.issue?.path?.join('.')]
          .filter(Boolean)
          .join('.')
          .replace(/^\.|\.$/g, ''),
        message: v.message ?? 'is invalid',
        ...issueReason(v.keyword, v.params),
      }));
      const where = error.validationContext ?? 'request';
      const summary = details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; ');
      return reply.status(400).send(errorBody('SB_ERR_VALIDATION', `invalid ${where}: ${summary}`, details));
    }
    const fastifyError = error as FastifyError;
    const status = fastifyError.statusCode ?? 500;
    if (status === 413) {
      return reply.status(413).send(errorBody('SB_ERR_PAYLOAD_TOO_LARGE', 'the request body is too large'));
    }
    if (status === 415) {
      return reply.status(415).send(errorBody('SB_ERR_UNSUPPORTED_MEDIA_TYPE', fastifyError.message));
    }
    if (status === 429) {
      return reply.status(429).send(errorBody('SB_ERR_RATE_LIMITED', 'too many requests, try again shortly'));
    }
    if (status >= 400 && status < 500) {
      return reply.status(status).send(errorBody('SB_ERR_BAD_REQUEST', fastifyError.message));
    }
    if (isDatabaseBusy(error)) {
      // Another process held SQLite's write lock past the retry deadline (db/database.ts): the request can be
      // retried as it is, so say so instead of an internal error.
      request.log.warn('database busy: another process holds the write lock');
      return reply
        .header('retry-after', '5')
        .status(503)
        .send(errorBody('SB_ERR_UNAVAILABLE', 'the database is busy; try again in a few seconds'));
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply
      .status(500)
      .send(errorBody('SB_ERR_INTERNAL', 'an internal error occurred; it has been logged'));
  });

  app.setNotFoundHandler((request, reply) => {
    reply
      .status(404)
      .send(errorBody('SB_ERR_NOT_FOUND', `no route for ${request.method} ${request.url.split('?')[0]}`));
  });
}
