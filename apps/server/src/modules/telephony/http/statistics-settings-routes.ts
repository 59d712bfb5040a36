/**
 * The statistics' setting (`/api/statistics/settings`): the return window N of "returned within N minutes",
 * read by every signed-in user (the page names it), changed by admins only.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireAdmin, requireSignedIn } from '../../../platform/http/auth-guards.js';
import { RETURN_WINDOW_MINUTES } from '../../../platform/settings/setting-definitions.js';
import type { StatisticsSettingsService } from '../statistics-settings.js';

const ZReturnWindow = z
  .number()
  .int()
  .refine((n) => (RETURN_WINDOW_MINUTES as readonly number[]).includes(n), {
    message: `must be one of ${RETURN_WINDOW_MINUTES.join(', ')}`,
  });

const ZStatisticsSettings = z.object({
  returnWithinMinutes: ZReturnWindow,
  /** The windows an admin may choose (the rollups keep exact buckets for each). */
  choices: z.array(z.number()),
});

/** Registers the statistics settings routes. */
export async function statisticsSettingsRoutes(
  app: FastifyInstance,
  options: { readonly settings: StatisticsSettingsService },
): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { settings } = options;
  const view = (values: { returnWithinMinutes: number }) => ({
    returnWithinMinutes: values.returnWithinMinutes,
    choices: [...RETURN_WINDOW_MINUTES],
  });

  r.get(
    '/api/statistics/settings',
    {
      onRequest: requireSignedIn,
      schema: {
        tags: ['calls'],
        summary: 'The statistics settings: the return window of "returned within N minutes"',
        response: { 200: ZStatisticsSettings },
      },
    },
    async () => {
      await settings.checkForChanges();
      return view(await settings.read());
    },
  );

  r.put(
    '/api/statistics/settings',
    {
      onRequest: requireAdmin,
      schema: {
        tags: ['calls'],
        summary: 'Change the return window (admins)',
        body: z.object({ returnWithinMinutes: ZReturnWindow }).strict(),
        response: { 200: ZStatisticsSettings },
      },
    },
    async (request) => {
      const saved = await settings.update(() => ({ returnWithinMinutes: request.body.returnWithinMinutes }));
      request.log.info({ returnWithinMinutes: saved.returnWithinMinutes }, 'statistics settings changed');
      return view(saved);
    },
  );
}
