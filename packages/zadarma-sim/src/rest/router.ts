/**
 * The `/v1/*` REST API: decode the parameters where Zadarma reads them (query for GET, form or multipart
 * body otherwise — docs/zadarma-protocol.md §2.4), authenticate (§2.5), apply the limits (§3), dispatch to the method.
 * Routing accepts the path with or without the trailing slash; the signature covers the path as sent.
 * A body PHP would not parse into `$_POST` (no Content-Type, or one that is not a form) is not read.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  decodeMultipart,
  decodeUrlEncoded,
  FormDecodeError,
  foldFields,
  type PhpArray,
} from '@switchboard/zadarma';
import type { SimContext } from '../context.js';
import { takeRestFault } from '../faults.js';
import { BodyTooLargeError, readBody } from '../http/body.js';
import { authenticate } from './auth.js';
import { ApiError } from './errors.js';
import { callbackRoutes } from './methods/callback.js';
import { infoRoutes } from './methods/info.js';
import { numberRoutes } from './methods/numbers.js';
import { pbxInternalRoutes } from './methods/pbx-internal.js';
import { recordRoutes } from './methods/records.js';
import { redirectionRoutes } from './methods/redirection.js';
import { smsRoutes } from './methods/sms.js';
import { speechRoutes } from './methods/speech.js';
import { statisticsRoutes } from './methods/statistics.js';
import { webhookSettingsRoutes } from './methods/webhook-settings.js';
import { webrtcRoutes } from './methods/webrtc.js';
import type { RateLimiter } from './rate-limit.js';
import type { Route } from './route.js';

const ROUTES: readonly Route[] = [
  ...infoRoutes,
  ...pbxInternalRoutes,
  ...callbackRoutes,
  ...statisticsRoutes,
  ...recordRoutes,
  ...numberRoutes,
  ...redirectionRoutes,
  ...webhookSettingsRoutes,
  ...smsRoutes,
  ...speechRoutes,
  ...webrtcRoutes,
];

export interface RestOptions {
  readonly limiter: RateLimiter;
  /** Body of 401 answers: `Not authorized` as observed (LOG), `Auth error` in OAS examples (§2.5). */
  readonly authErrorMessage: string;
}

/** One REST call as the log of the control API shows it. */
export interface RestLogEntry {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly params: Record<string, unknown>;
  /** Why the parameters are not what the client sent, e.g. a body that was not read. */
  readonly note?: string;
}

/** Writes a JSON answer with an exact Content-Length (Zadarma answers are always JSON here). */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

interface ReadParams {
  readonly params: PhpArray;
  readonly note?: string;
}

/** The media type of a Content-Type header, lower-cased, without its parameters; `''` when absent. */
function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

async function readParams(req: IncomingMessage, query: string): Promise<ReadParams> {
  const method = req.method ?? 'GET';
  if (method === 'GET' || method === 'HEAD') {
    return { params: decodeUrlEncoded(query) };
  }
  const body = await readBody(req);
  const contentType = req.headers['content-type'];
  const type = mediaType(contentType);
  if (type === 'multipart/form-data') {
    // File parts are not signed (docs/zadarma-protocol.md §2.2), so only the scalar fields are kept.
    return { params: foldFields(decodeMultipart(body, contentType as string).fields) };
  }
  if (body.length === 0) {
    return { params: decodeUrlEncoded(query) };
  }
  if (type !== 'application/x-www-form-urlencoded') {
    // PHP fills $_POST only for these two types: any other body is never read, as if it were empty, so
    // the signature check fails (401) or, signed over nothing, the parameters are missing (400).
    return {
      params: decodeUrlEncoded(query),
      note: `body not read: Content-Type ${type === '' ? 'missing' : `"${type}"`} (PHP reads only application/x-www-form-urlencoded and multipart/form-data)`,
    };
  }
  return { params: decodeUrlEncoded(body.toString('utf8')) };
}

/** Handles one `/v1/*` request end to end. */
export async function handleRest(
  req: IncomingMessage,
  res: ServerResponse,
  sim: SimContext,
  options: RestOptions,
  log: (entry: RestLogEntry) => void,
): Promise<void> {
  const raw = req.url ?? '/';
  const q = raw.indexOf('?');
  const path = q === -1 ? raw : raw.slice(0, q);
  const query = q === -1 ? '' : raw.slice(q + 1);
  const method = (req.method ?? 'GET').toUpperCase();
  let params: PhpArray = new Map();
  let note: string | undefined;
  const respond = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
    log({
      method,
      path,
      status,
      params: Object.fromEntries(params),
      ...(note !== undefined ? { note } : {}),
    });
    sendJson(res, status, body, headers);
  };
  try {
    const read = await readParams(req, query);
    params = read.params;
    note = read.note;
    const key = authenticate({ path, params, authorization: req.headers.authorization }, sim.credentials);
    if (key === null) {
      respond(401, { status: 'error', message: options.authErrorMessage });
      return;
    }
    const name = path.slice('/v1/'.length).replace(/\/$/, '');
    const candidates = ROUTES.filter((r) => r.pattern.test(name));
    const route = candidates.find((r) => r.method === method);
    if (!route) {
      if (candidates.length > 0) {
        respond(405, { status: 'error', message: `Method ${method} is not allowed for ${path}` });
      } else {
        respond(404, { status: 'error', message: `Unknown method ${path}` });
      }
      return;
    }
    const decision = options.limiter.check(key, route.statistics === true);
    if (!decision.ok) {
      respond(
        429,
        { status: 'error', message: 'You exceeded the rate limit' },
        {
          'Retry-After': String(decision.retryAfterSeconds),
          'X-RateLimit-Limit': String(decision.limit),
          'X-RateLimit-Remaining': '0',
        },
      );
      return;
    }
    const fault = takeRestFault(sim.faults, name);
    if (fault !== null) {
      respond(
        fault,
        { status: 'error', message: fault === 429 ? 'You exceeded the rate limit' : 'Internal server error' },
        fault === 429 ? { 'Retry-After': '1' } : {},
      );
      return;
    }
    const match = route.pattern.exec(name) ?? [];
    const body = await route.handler({ method, match: [...match], params, sim });
    const headers: Record<string, string> =
      decision.limit > 0
        ? {
            'X-RateLimit-Limit': String(decision.limit),
            'X-RateLimit-Remaining': String(decision.remaining),
            'X-RateLimit-Reset': String(decision.resetSeconds),
          }
        : {};
    respond(200, body, headers);
  } catch (error) {
    if (error instanceof ApiError) {
      respond(error.status, { status: 'error', message: error.message }, error.headers);
    } else if (error instanceof FormDecodeError || error instanceof BodyTooLargeError) {
      respond(400, { status: 'error', message: error.message });
    } else {
      respond(500, { status: 'error', message: error instanceof Error ? error.message : 'Internal error' });
    }
  }
}
