/**
 * The steps that every change to an owned CRM record (contact, company, lead, deal) shares: the record must
 * exist, the user must be allowed to change it (record-access.ts), a new responsible user must be allowed and
 * exist, and the timeline says which fields changed. The use cases (`update-deal.ts`, `delete-lead.ts`…) stay
 * the entry points and keep what is their own.
 */
import type { Kysely } from 'kysely';
import type { Actor } from '../../../platform/auth/actor.js';
import { inTransaction } from '../../../platform/db/in-transaction.js';
import type { SearchEntity } from '../../../platform/db/schema/crm.js';
import type { Database } from '../../../platform/db/schema.js';
import { deleteSearchTokens } from '../search/search-index.js';
import { deleteSubjectHistory } from '../timeline/delete-subject-history.js';
import { type ActivityInput, recordActivities } from '../timeline/record-activity.js';
import { assertLinkedRecords, type RecordLinks } from './linked-records.js';
import { assertCanModify, resolveOwner } from './record-access.js';
import { assertReference, notFound } from './validation.js';

/** The CRM records that have a responsible user, a timeline and search tokens. */
export type OwnedEntity = SearchEntity;

const TABLE = {
  contact: 'contacts',
  company: 'companies',
  lead: 'leads',
  deal: 'deals',
} as const satisfies Record<OwnedEntity, keyof Database>;

/**
 * Returns the loaded record, or throws 404 when there is none and 403 unless the user may change it.
 * Why: every update checks existence before ownership, with the same messages.
 */
export function changeableRecord<T extends { responsibleUserId: string | null }>(
  actor: Actor,
  entity: OwnedEntity,
  id: string,
  record: T | undefined,
): T {
  if (!record) {
    throw notFound(entity, id);
  }
  assertCanModify(actor, { ownerId: record.responsibleUserId }, TABLE[entity]);
  return record;
}

/**
 * Reads only the record's responsible user and throws 404 when there is none, 403 unless the user may change it.
 * Why: a delete needs no more than the owner.
 */
export async function assertChangeableRow(
  db: Kysely<Database>,
  actor: Actor,
  entity: OwnedEntity,
  id: string,
): Promise<void> {
  const row = await db
    .selectFrom(TABLE[entity])
    .select(['responsible_user_id'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) {
    throw notFound(entity, id);
  }
  assertCanModify(actor, { ownerId: row.responsible_user_id }, TABLE[entity]);
}

/**
 * Deletes the record with its timeline, notes and search tokens after the access checks; tasks about it stay,
 * detached. Why: contacts, leads and deals are deleted the same way.
 */
export async function deleteOwnedRecord(options: {
  db: Kysely<Database>;
  actor: Actor;
  entity: OwnedEntity;
  id: string;
}): Promise<void> {
  const { db, actor, entity, id } = options;
  await assertChangeableRow(db, actor, entity, id);
  await db.transaction().execute(async (trx) => {
    await deleteSubjectHistory(trx, entity, id);
    await deleteSearchTokens(trx, entity, id);
    await trx.deleteFrom(TABLE[entity]).where('id', '=', id).execute();
  });
}

/**
 * The responsible user a create (no `current`) or an update gives the record: see resolveOwner, then 400 when
 * that user does not exist; not requested on an update keeps the current one.
 * Why: creates and updates of owned records share the rule and its 403/400 errors.
 */
export async function resolveResponsible(
  db: Kysely<Database>,
  actor: Actor,
  requested: string | null | undefined,
  current?: string | null,
): Promise<string | null> {
  const owner = resolveOwner(actor, requested, 'responsibleUserId', current);
  await assertReference(db, 'users', owner, 'responsibleUserId');
  return owner === undefined ? (current ?? null) : owner;
}

/** The fields whose value differs (`!==`) from the record's, in the data's key order. Why: "Changed …" events. */
export function changedFields<D extends object>(data: D, existing: NoInfer<D>): (keyof D & string)[] {
  return (Object.keys(data) as (keyof D & string)[]).filter((k) => data[k] !== existing[k]);
}

/** The timeline event "Changed a, b" of an update. Why: every record's history reads the same. */
export function updatedActivity(
  entity: OwnedEntity,
  id: string,
  actorId: string | null,
  at: string,
  changed: readonly string[],
): ActivityInput {
  return {
    subjectType: entity,
    subjectId: id,
    kind: 'updated',
    actorId,
    at,
    title: `Changed ${changed.join(', ')}`,
    event: { type: 'record.changed', params: { fields: changed.join(', '), count: changed.length } },
    payload: { changed },
  };
}

/**
 * The checks a patch of a lead or a deal makes before anything is written: the record exists and the actor may
 * change it, the responsible user asked for is allowed and exists, and the contact and company it links to
 * exist. Resolves with the record and the responsible user it will have.
 * Why: leads and deals are patched the same way; only their fields and timeline events differ.
 */
export async function checkLinkedRecordPatch<T extends { responsibleUserId: string | null }>(options: {
  readonly db: Kysely<Database>;
  readonly actor: Actor;
  readonly entity: 'lead' | 'deal';
  readonly id: string;
  readonly record: T | undefined;
  readonly patch: RecordLinks & { readonly responsibleUserId?: string | null | undefined };
}): Promise<{ existing: T; responsibleUserId: string | null }> {
  const { db, actor, patch } = options;
  const existing = changeableRecord(actor, options.entity, options.id, options.record);
  const responsibleUserId = await resolveResponsible(
    db,
    actor,
    patch.responsibleUserId,
    existing.responsibleUserId,
  );
  await assertLinkedRecords(db, patch);
  return { existing, responsibleUserId };
}

/** Writes a record's row and its timeline events in one transaction. Why: a change and its history land together. */
export async function writeWithActivities(
  db: Kysely<Database>,
  writeRow: (trx: Kysely<Database>) => Promise<void>,
  events: readonly ActivityInput[],
): Promise<void> {
  // inTransaction: converting a lead runs the update inside the conversion's own transaction.
  await inTransaction(db, async (trx) => {
    await writeRow(trx);
    await recordActivities(trx, [...events]);
  });
}
