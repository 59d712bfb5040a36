// Shapes of the REST API (see the API contract, issue 4). Kept by hand: the web never imports server code.

export type Locale = 'en' | 'fr' | 'ru';
export type Role = 'admin' | 'agent';

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  locale: Locale;
  disabled: boolean;
  createdAt: string;
}

export interface DirectoryUser {
  id: string;
  name: string;
  role: Role;
}

interface Ref {
  id: string;
  name: string;
}

interface ContactPhone {
  id: string;
  raw: string;
  e164: string | null;
  label: string;
}

interface ContactEmail {
  id: string;
  email: string;
  label: string;
}

export interface Contact {
  id: string;
  firstName: string;
  lastName: string;
  displayName: string;
  companyId: string | null;
  company?: Ref | null;
  responsibleUserId: string | null;
  responsibleUser?: Ref | null;
  phones: ContactPhone[];
  emails: ContactEmail[];
  notes: string;
  doNotCall: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface ContactInput {
  firstName: string;
  lastName: string;
  companyId: string | null;
  responsibleUserId: string | null;
  phones: { raw: string; label: string }[];
  emails: { email: string; label: string }[];
  notes: string;
  doNotCall: boolean;
}

export interface Company {
  id: string;
  name: string;
  website: string;
  phone: string;
  address: string;
  notes: string;
  responsibleUserId: string | null;
  createdAt: string;
  updatedAt: string;
}

export type LeadSource = 'call' | 'web' | 'email' | 'referral' | 'import' | 'other';
export type LeadStatus = 'new' | 'contacted' | 'qualified' | 'lost' | 'converted';
export const LEAD_SOURCES: readonly LeadSource[] = ['call', 'web', 'email', 'referral', 'import', 'other'];
export const LEAD_STATUSES: readonly LeadStatus[] = ['new', 'contacted', 'qualified', 'lost', 'converted'];

export interface Lead {
  id: string;
  title: string;
  contactId: string | null;
  companyId: string | null;
  source: LeadSource;
  status: LeadStatus;
  responsibleUserId: string | null;
  notes: string;
  createdAt: string;
  updatedAt: string;
}

export interface Stage {
  id: string;
  name: string;
  position: number;
  kind: 'open' | 'won' | 'lost';
}

export interface Pipeline {
  id: string;
  name: string;
  stages: Stage[];
}

export interface Deal {
  id: string;
  title: string;
  amount: number;
  currency: string;
  pipelineId: string;
  stageId: string;
  contactId: string | null;
  companyId: string | null;
  responsibleUserId: string | null;
  expectedCloseDate: string | null;
  createdAt: string;
  updatedAt: string;
}

export type SubjectType = 'contact' | 'lead' | 'deal' | 'company' | 'call';

export interface Task {
  id: string;
  title: string;
  description: string;
  dueAt: string | null;
  status: 'open' | 'done';
  assigneeId: string | null;
  subjectType: SubjectType | null;
  subjectId: string | null;
  createdAt: string;
  completedAt: string | null;
}

export interface TimelineItem {
  id: string;
  kind: 'note' | 'task' | 'deal' | 'lead' | 'call' | 'created' | 'updated';
  at: string;
  actor?: Ref;
  title: string;
  body?: string;
  ref?: { type: string; id: string };
}

export interface ListResult<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface SearchResult {
  contacts: Contact[];
  companies: Company[];
  leads: Lead[];
  deals: Deal[];
}

export interface Settings {
  companyName: string;
  defaultCountry: string;
  defaultCurrency: string;
}

export interface ImportPreview {
  columns: string[];
  mapping: Record<string, string>;
  rows: Record<string, string>[] | string[][];
  total: number;
  errors: { row: number; message: string }[];
}

export interface ImportResult {
  imported: number;
  rejected: { row: number; message: string }[];
}
