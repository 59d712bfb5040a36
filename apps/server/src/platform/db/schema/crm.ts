/** Tables of the CRM: companies, contacts and their phones/emails, leads, pipelines, deals, tasks, notes. */

/** Records a timeline, a note or a task can be attached to. */
export type SubjectType = 'contact' | 'company' | 'lead' | 'deal' | 'call';

/** Entities indexed for search (modules/crm/search/search-index.ts). */
export type SearchEntity = 'contact' | 'company' | 'lead' | 'deal';

export interface CompaniesTable {
  id: string;
  name: string;
  /** Normalised lower-case, unaccented name: the index behind sorting by name. */
  sort_key: string;
  website: string;
  phone: string;
  address: string;
  notes: string;
  responsible_user_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface ContactsTable {
  id: string;
  first_name: string;
  last_name: string;
  display_name: string;
  /** Normalised lower-case, unaccented display name: the index behind sorting by name. */
  sort_key: string;
  company_id: string | null;
  responsible_user_id: string | null;
  notes: string;
  do_not_call: number;
  created_at: string;
  updated_at: string;
}

interface ContactPhonesTable {
  id: string;
  contact_id: string;
  raw: string;
  /** E.164 (`+33612345678`) or null when the raw text is not a valid number; indexed for the call path. */
  e164: string | null;
  label: string;
  position: number;
}

interface ContactEmailsTable {
  id: string;
  contact_id: string;
  /** Always lower-case. */
  email: string;
  label: string;
  position: number;
}

/** Word-prefix search index: one row per (entity, normalised token, id); see modules/crm/search. */
interface SearchTokensTable {
  entity: SearchEntity;
  token: string;
  entity_id: string;
}

export interface LeadsTable {
  id: string;
  title: string;
  sort_key: string;
  contact_id: string | null;
  company_id: string | null;
  source: 'call' | 'web' | 'email' | 'referral' | 'import' | 'other';
  status: 'new' | 'contacted' | 'qualified' | 'lost' | 'converted';
  responsible_user_id: string | null;
  notes: string;
  created_at: string;
  updated_at: string;
}

interface PipelinesTable {
  id: string;
  name: string;
  position: number;
  created_at: string;
}

interface PipelineStagesTable {
  id: string;
  pipeline_id: string;
  name: string;
  position: number;
  kind: 'open' | 'won' | 'lost';
}

export interface DealsTable {
  id: string;
  title: string;
  sort_key: string;
  amount: number;
  currency: string;
  pipeline_id: string;
  stage_id: string;
  contact_id: string | null;
  company_id: string | null;
  responsible_user_id: string | null;
  /** `YYYY-MM-DD` or null. */
  expected_close_date: string | null;
  created_at: string;
  updated_at: string;
}

export interface TasksTable {
  id: string;
  title: string;
  description: string;
  due_at: string | null;
  status: 'open' | 'done';
  assignee_id: string | null;
  subject_type: SubjectType | null;
  subject_id: string | null;
  created_by_id: string | null;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
}

interface NotesTable {
  id: string;
  subject_type: SubjectType;
  subject_id: string;
  body: string;
  author_id: string | null;
  created_at: string;
}

/** One timeline event of a record (created, updated, note, task, deal, lead, call). */
export interface ActivitiesTable {
  id: string;
  subject_type: SubjectType;
  subject_id: string;
  kind: 'note' | 'task' | 'deal' | 'lead' | 'call' | 'created' | 'updated';
  actor_id: string | null;
  at: string;
  title: string;
  body: string | null;
  ref_type: string | null;
  ref_id: string | null;
  /** JSON text with event-specific data (e.g. changed fields). */
  payload: string | null;
}

export type CrmTables = {
  companies: CompaniesTable;
  contacts: ContactsTable;
  contact_phones: ContactPhonesTable;
  contact_emails: ContactEmailsTable;
  search_tokens: SearchTokensTable;
  leads: LeadsTable;
  pipelines: PipelinesTable;
  pipeline_stages: PipelineStagesTable;
  deals: DealsTable;
  tasks: TasksTable;
  notes: NotesTable;
  activities: ActivitiesTable;
};
