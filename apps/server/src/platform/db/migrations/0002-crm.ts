/**
 * CRM tables. Every list sort and lookup has an index; search goes through `search_tokens`, a word-prefix
 * index that works the same on both dialects (a range scan on a B-tree, fast at 1M contacts), and phones
 * through `contact_phones.e164`. A default "Sales" pipeline is seeded so deals work out of the box.
 */
import { type Kysely, type Migration, sql } from 'kysely';
import { newId } from '../../ids.js';
import { dialectOf, timestampType } from '../column-types.js';

const DEFAULT_PIPELINE_STAGES = [
  { name: 'New', kind: 'open' },
  { name: 'Qualified', kind: 'open' },
  { name: 'Proposal', kind: 'open' },
  { name: 'Negotiation', kind: 'open' },
  { name: 'Won', kind: 'won' },
  { name: 'Lost', kind: 'lost' },
] as const;

export const migration0002Crm: Migration = {
  async up(db: Kysely<unknown>) {
    const dialect = dialectOf(db);
    const ts = timestampType(dialect);

    await db.schema
      .createTable('companies')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('sort_key', 'text', (c) => c.notNull())
      .addColumn('website', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('phone', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('address', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('responsible_user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('updated_at', ts, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('companies_sort_idx').on('companies').columns(['sort_key', 'id']).execute();
    await db.schema
      .createIndex('companies_created_idx')
      .on('companies')
      .columns(['created_at', 'id'])
      .execute();
    await db.schema
      .createIndex('companies_updated_idx')
      .on('companies')
      .columns(['updated_at', 'id'])
      .execute();
    await db.schema
      .createIndex('companies_responsible_idx')
      .on('companies')
      .columns(['responsible_user_id', 'sort_key'])
      .execute();

    // On SQLite, contacts are clustered by their id (WITHOUT ROWID): the call-path lookup then reads one
    // B-tree for the contact instead of the id index plus the rowid table (~15 → ~11 µs at 1M contacts).
    let contacts = db.schema
      .createTable('contacts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('first_name', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('last_name', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('sort_key', 'text', (c) => c.notNull())
      .addColumn('company_id', 'text', (c) => c.references('companies.id').onDelete('set null'))
      .addColumn('responsible_user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
      .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('do_not_call', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('updated_at', ts, (c) => c.notNull());
    if (dialect === 'sqlite') {
      contacts = contacts.modifyEnd(sql`without rowid`);
    }
    await contacts.execute();
    await db.schema.createIndex('contacts_sort_idx').on('contacts').columns(['sort_key', 'id']).execute();
    await db.schema
      .createIndex('contacts_created_idx')
      .on('contacts')
      .columns(['created_at', 'id'])
      .execute();
    await db.schema
      .createIndex('contacts_updated_idx')
      .on('contacts')
      .columns(['updated_at', 'id'])
      .execute();
    await db.schema
      .createIndex('contacts_company_idx')
      .on('contacts')
      .columns(['company_id', 'sort_key'])
      .execute();
    await db.schema
      .createIndex('contacts_responsible_idx')
      .on('contacts')
      .columns(['responsible_user_id', 'sort_key'])
      .execute();

    await db.schema
      .createTable('contact_phones')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
      .addColumn('raw', 'text', (c) => c.notNull())
      .addColumn('e164', 'text')
      .addColumn('label', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    // Covering index for the call path: the lookup by E.164 reads only this index and the contact row.
    await db.schema
      .createIndex('contact_phones_e164_idx')
      .on('contact_phones')
      .columns(['e164', 'contact_id'])
      .execute();
    await db.schema
      .createIndex('contact_phones_contact_idx')
      .on('contact_phones')
      .columns(['contact_id', 'position'])
      .execute();

    await db.schema
      .createTable('contact_emails')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('label', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .createIndex('contact_emails_email_idx')
      .on('contact_emails')
      .columns(['email', 'contact_id'])
      .execute();
    await db.schema
      .createIndex('contact_emails_contact_idx')
      .on('contact_emails')
      .columns(['contact_id', 'position'])
      .execute();

    // Tokens compare byte-wise on both dialects (SQLite BINARY, PostgreSQL "C"), so a prefix is a range scan.
    let tokens = db.schema
      .createTable('search_tokens')
      .addColumn('entity', 'text', (c) => c.notNull())
      .addColumn('token', 'text', (c) =>
        dialect === 'postgres' ? c.notNull().modifyEnd(sql`collate "C"`) : c.notNull(),
      )
      .addColumn('entity_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('search_tokens_pk', ['entity', 'token', 'entity_id']);
    if (dialect === 'sqlite') {
      tokens = tokens.modifyEnd(sql`without rowid`);
    }
    await tokens.execute();
    // Lets a multi-word search check the other words of one record, and reindexing delete a record's tokens.
    await db.schema
      .createIndex('search_tokens_entity_id_idx')
      .on('search_tokens')
      .columns(['entity_id', 'token'])
      .execute();

    await db.schema
      .createTable('leads')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('sort_key', 'text', (c) => c.notNull())
      .addColumn('contact_id', 'text', (c) => c.references('contacts.id').onDelete('set null'))
      .addColumn('company_id', 'text', (c) => c.references('companies.id').onDelete('set null'))
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('responsible_user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
      .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('updated_at', ts, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('leads_sort_idx').on('leads').columns(['sort_key', 'id']).execute();
    await db.schema.createIndex('leads_created_idx').on('leads').columns(['created_at', 'id']).execute();
    await db.schema.createIndex('leads_updated_idx').on('leads').columns(['updated_at', 'id']).execute();
    await db.schema.createIndex('leads_status_idx').on('leads').columns(['status', 'created_at']).execute();
    await db.schema
      .createIndex('leads_responsible_idx')
      .on('leads')
      .columns(['responsible_user_id', 'created_at'])
      .execute();
    await db.schema.createIndex('leads_contact_idx').on('leads').column('contact_id').execute();
    await db.schema.createIndex('leads_company_idx').on('leads').column('company_id').execute();

    await db.schema
      .createTable('pipelines')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', ts, (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('pipeline_stages')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('pipeline_id', 'text', (c) => c.notNull().references('pipelines.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('pipeline_stages_pipeline_idx')
      .on('pipeline_stages')
      .columns(['pipeline_id', 'position'])
      .execute();

    await db.schema
      .createTable('deals')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('sort_key', 'text', (c) => c.notNull())
      .addColumn('amount', 'numeric(14, 2)', (c) => c.notNull().defaultTo(0))
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('pipeline_id', 'text', (c) => c.notNull().references('pipelines.id'))
      .addColumn('stage_id', 'text', (c) => c.notNull().references('pipeline_stages.id'))
      .addColumn('contact_id', 'text', (c) => c.references('contacts.id').onDelete('set null'))
      .addColumn('company_id', 'text', (c) => c.references('companies.id').onDelete('set null'))
      .addColumn('responsible_user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
      .addColumn('expected_close_date', 'text')
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('updated_at', ts, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('deals_sort_idx').on('deals').columns(['sort_key', 'id']).execute();
    await db.schema.createIndex('deals_created_idx').on('deals').columns(['created_at', 'id']).execute();
    await db.schema.createIndex('deals_updated_idx').on('deals').columns(['updated_at', 'id']).execute();
    await db.schema.createIndex('deals_stage_idx').on('deals').columns(['stage_id', 'created_at']).execute();
    await db.schema
      .createIndex('deals_pipeline_idx')
      .on('deals')
      .columns(['pipeline_id', 'created_at'])
      .execute();
    await db.schema
      .createIndex('deals_responsible_idx')
      .on('deals')
      .columns(['responsible_user_id', 'created_at'])
      .execute();
    await db.schema.createIndex('deals_contact_idx').on('deals').column('contact_id').execute();
    await db.schema.createIndex('deals_company_idx').on('deals').column('company_id').execute();

    await db.schema
      .createTable('tasks')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('due_at', ts)
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
      .addColumn('assignee_id', 'text', (c) => c.references('users.id').onDelete('set null'))
      .addColumn('subject_type', 'text')
      .addColumn('subject_id', 'text')
      .addColumn('created_by_id', 'text', (c) => c.references('users.id').onDelete('set null'))
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('updated_at', ts, (c) => c.notNull())
      .addColumn('completed_at', ts)
      .execute();
    await db.schema.createIndex('tasks_status_due_idx').on('tasks').columns(['status', 'due_at']).execute();
    await db.schema
      .createIndex('tasks_assignee_idx')
      .on('tasks')
      .columns(['assignee_id', 'status', 'due_at'])
      .execute();
    await db.schema
      .createIndex('tasks_subject_idx')
      .on('tasks')
      .columns(['subject_type', 'subject_id', 'created_at'])
      .execute();
    await db.schema.createIndex('tasks_created_idx').on('tasks').columns(['created_at', 'id']).execute();

    await db.schema
      .createTable('notes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('subject_type', 'text', (c) => c.notNull())
      .addColumn('subject_id', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('author_id', 'text', (c) => c.references('users.id').onDelete('set null'))
      .addColumn('created_at', ts, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('notes_subject_idx')
      .on('notes')
      .columns(['subject_type', 'subject_id', 'created_at'])
      .execute();

    await db.schema
      .createTable('activities')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('subject_type', 'text', (c) => c.notNull())
      .addColumn('subject_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text', (c) => c.references('users.id').onDelete('set null'))
      .addColumn('at', ts, (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('body', 'text')
      .addColumn('ref_type', 'text')
      .addColumn('ref_id', 'text')
      .addColumn('payload', 'text')
      .execute();
    await db.schema
      .createIndex('activities_subject_idx')
      .on('activities')
      .columns(['subject_type', 'subject_id', 'at'])
      .execute();
    await db.schema
      .createIndex('activities_ref_idx')
      .on('activities')
      .columns(['ref_type', 'ref_id'])
      .execute();

    const now = new Date().toISOString();
    const pipelineId = newId();
    await db
      .insertInto('pipelines' as never)
      .values({ id: pipelineId, name: 'Sales', position: 0, created_at: now } as never)
      .execute();
    await db
      .insertInto('pipeline_stages' as never)
      .values(
        DEFAULT_PIPELINE_STAGES.map((s, position) => ({
          id: newId(),
          pipeline_id: pipelineId,
          name: s.name,
          position,
          kind: s.kind,
        })) as never,
      )
      .execute();
  },
};
