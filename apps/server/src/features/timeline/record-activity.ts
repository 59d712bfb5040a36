/**
 * Writes timeline events. Every CRM change goes through here so each record's history is complete
 * (calls will add their own events with kind 'call').
 */
import type { Kysely } from 'kysely';
import type { ActivitiesTable, SubjectType } from '../../db/schema/crm.js';
import type { Database } from '../../db/schema.js';
import { newId } from '../../ids.js';

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
        payload: a.payload === undefined ? null : JSON.stringify(a.payload),
      })),
    )
    .execute();
}
