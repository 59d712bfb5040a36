/** The timeline as the REST contract shows it. */
import { z } from 'zod';

export const TimelineItem = z.object({
  id: z.string(),
  kind: z.enum(['note', 'task', 'deal', 'lead', 'call', 'created', 'updated']),
  at: z.string(),
  actor: z.object({ id: z.string(), name: z.string() }).optional(),
  title: z.string(),
  body: z.string().optional(),
  ref: z.object({ type: z.string(), id: z.string() }).optional(),
});

export const TimelineResponse = z.object({ items: z.array(TimelineItem) });
