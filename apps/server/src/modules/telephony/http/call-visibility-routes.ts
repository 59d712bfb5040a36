/**
 * Who sees which calls, the admins' switch (`/api/telephony/call-visibility`): off, an agent reads the calls they
 * handled and their clients'; on, every call. The rule itself is use-cases/call-visibility.ts.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireAdmin } from '../../../platform/http/auth-guards.js';
import type { CallVisibilitySettingsService } from '../call-visibility-settings.js';
import { readCallVisibilityPolicy } from '../use-cases/read-call-visibility-policy.js';
import { saveCallVisibilityPolicy } from '../use-cases/save-call-visibility-policy.js';

export interface CallVisibilityRoutesOptions {
  readonly settings: CallVisibilitySettingsService;
}

const CallVisibilitySettings = z.object({ agentsSeeAllCalls: z.boolean() });

/** Registers the two routes (admins only: an agent must not widen their own view). */
export async function callVisibilityRoutes(
  app: FastifyInstance,
  options: CallVisibilityRoutesOptions,
): Promise<void> {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { settings } = options;
  typed.get(
    '/api/telephony/call-visibility',
    {
      onRequest: requireAdmin,
      schema: {
        tags: ['telephony'],
        summary: 'Whether agents see every call (or only theirs and their clients’)',
        response: { 200: CallVisibilitySettings },
      },
    },
    () => readCallVisibilityPolicy(settings),
  );
  typed.put(
    '/api/telephony/call-visibility',
    {
      // onRequest: an agent is refused before the body is read (403, not a validation 400).
      onRequest: requireAdmin,
      schema: {
        tags: ['telephony'],
        summary: 'Let agents see every call, or only theirs and their clients’',
        body: CallVisibilitySettings,
        response: { 200: CallVisibilitySettings },
      },
    },
    async (request) => {
      const saved = await saveCallVisibilityPolicy(settings, request.body);
      request.log.info({ agentsSeeAllCalls: saved.agentsSeeAllCalls }, 'call visibility changed');
      return { agentsSeeAllCalls: saved.agentsSeeAllCalls };
    },
  );
}
