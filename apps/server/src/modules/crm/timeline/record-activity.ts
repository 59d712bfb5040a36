/**
 * Writes timeline events. Every CRM change goes through here so each record's history is complete
 * (calls will add their own events with kind 'call').
 */
import type { Kysely } from 'kysely';
import type { ActivitiesTable, SubjectType } from '../../../platform/db/schema/crm.js';
import type { Database } from '../../../platform/db/schema.js';
import { newId } from '../../../platform/ids.js';

/**
 * What happened, structurally (`{type: 'contact.created', params: {name}}`), so clients can phrase it in the
 * reader's language; `title` stays the English fallback. Stored in the payload JSON under `event`.
 */
export interface TimelineEvent {
  type: string;
  params: Record<string, string | number>;
}

export interface ActivityInput {
  subjectType: SubjectType;
  subjectId: string;
  kind: ActivitiesTable['kind'];
  actorId: string | null;
  at: string;
  title: string;
  body?: string | null;
  ref?: { type: string; id: string } | null;
  payload?: unknown;
  event?: TimelineEvent;
}

/** The payload JSON of a row, with the event merged in. Why: events live in the existing payload column. */
export function activityPayloadJson(payload: unknown, event: TimelineEvent | undefined): string | null {
  if (event === undefined) {
    return payload === undefined ? null : JSON.stringify(payload);
  }
  if (payload === undefined || payload === null) {
    return JSON.stringify({ event });
  }
  if (typeof payload === 'object' && !Array.isArray(payload)) {
    return JSON.stringify({ ...payload, event });
  }
  return JSON.stringify({ value: payload, event });
}

/** The event stored in a payload JSON, if well formed. Why: old rows and foreign payloads have none. */
export function eventFromPayload(payloadJson: string | null): TimelineEvent | undefined {
  if (!payloadJson) {
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(payloadJson);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || !('event' in parsed)) {
    return undefined;
  }
  const event: unknown = parsed.event;
  if (typeof event !== 'object' || event === null || !('type' in event) || !('params' in event)) {
    return undefined;
  }
  const { type, params } = event;
  if (typeof type !== 'string' || typeof params !== 'object' || params === null || Array.isArray(params)) {
    return undefined;
  }
  const clean: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(params)) {
    if (typeof value === 'string' || typeof value === 'number') {
      clean[key] = value;
    }
  }
  return { type, params: clean };
}

/** Appends events to timelines. Why: one place that shapes activity rows. */
export async function recordActivities(
  db: Kysely<Database>,
  inputs: readonly ActivityInput[],
): Promise<void> {
  if (inputs.length === 0) {
    return;
  }
  await db
    .insertInto('activities')
    .values(
      inputs.map((a) => ({
        id: newId(),
        subject_type: a.subjectType,
        subject_id: a.subjectId,
        kind: a.kind,
        actor_id: a.actorId,
        at: a.at,
        title: a.title,
        body: a.body ?? null,
        ref_type: a.ref?.type ?? null,
        ref_id: a.ref?.id ?? null,
        payload: activityPayloadJson(a.payload, a.event),
      })),
    )
    .execute();
}
