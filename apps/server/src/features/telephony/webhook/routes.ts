/**
 * `GET|POST /zadarma`: Zadarma's notification endpoint, outside `/api` (no session, CSRF-exempt: requests are
 * authenticated by their own `Signature`, PROTOCOL.md §5.4). Bodies are read raw, as bytes, whatever their
 * content type, because the signature is over the decoded form fields exactly as Zadarma sent them.
 * Never answers 5xx: Zadarma may stop sending the rest of a call's events after an error (§7).
 */
import type { FastifyInstance } from 'fastify';
import type { Ingest } from './ingest-webhook.js';

export interface WebhookRoutesOptions {
  readonly ingest: Ingest;
}

/** Registers `/zadarma` in its own encapsulated context (its raw-body parsers stay local). */
export async function webhookRoutes(app: FastifyInstance, options: WebhookRoutesOptions): Promise<void> {
  const { ingest } = options;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => {
    done(null, body);
  });
  app.setErrorHandler((raw, request, reply) => {
    const error = raw instanceof Error ? raw : new Error(String(raw));
    const status = (error as { statusCode?: number }).statusCode;
    const clientError = typeof status === 'number' && status >= 400 && status < 500 ? status : 400;
    request.log.warn({ err: error }, `zadarma webhook refused: ${error.message}`);
    return reply
      .code(clientError)
      .type('application/json; charset=utf-8')
      .send(JSON.stringify({ error: { code: 'SB_ERR_BAD_REQUEST', message: error.message } }));
  });
  app.route({
    method: ['GET', 'POST'],
    url: '/zadarma',
    schema: { hide: true },
    handler: async (request, reply) => {
      const rawUrl = request.raw.url ?? '';
      const q = rawUrl.indexOf('?');
      try {
        const answer = await ingest.handle({
          method: request.method,
          query: q >= 0 ? rawUrl.slice(q + 1) : '',
          headers: request.headers,
          body: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
          contentType: request.headers['content-type'],
          remoteAddress: request.raw.socket.remoteAddress,
        });
        if (answer.rejected) {
          request.log.warn(
            { reason: answer.rejected.reason },
            `zadarma webhook refused (${answer.status}): ${answer.rejected.message}`,
          );
        }
        if (answer.after) {
          const after = answer.after;
          reply.raw.once('finish', () => {
            after().catch((error: unknown) => request.log.error({ err: error }, 'webhook processing failed'));
          });
        }
        return reply.code(answer.status).type(answer.contentType).send(answer.body);
      } catch (error) {
        // After verification nothing may become a 5xx: `{}` leaves the PBX scenario in charge (§6).
        request.log.error({ err: error }, 'zadarma webhook failed internally; answered {}');
        return reply.code(200).type('application/json; charset=utf-8').send('{}');
      }
    },
  });
}
