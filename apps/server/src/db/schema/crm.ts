/** Tables of the CRM: companies, contacts and their phones/emails, leads, pipelines, deals, tasks, notes. */
export type CrmTables = {};
