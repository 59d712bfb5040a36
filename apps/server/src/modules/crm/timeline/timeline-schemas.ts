/** The timeline as the REST contract shows it. */
import { z } from 'zod';

const TimelineItem = z.object({
  id: z.string(),
  kind: z.enum(['note', 'task', 'deal', 'lead', 'call', 'created', 'updated']),
  at: z.string(),
  actor: z.object({ id: z.string(), name: z.string() }).optional(),
  title: z.string(),
  body: z.string().optional(),
  ref: z.object({ type: z.string(), id: z.string() }).optional(),
  /** The event structurally (`contact.created` + params), for localised rendering; `title` is the fallback. */
  event: z
    .object({ type: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])) })
    .optional(),
});

export const TimelineResponse = z.object({ items: z.array(TimelineItem) });
