/**
 * The CRM use cases under actors that are not a signed-in user (platform/auth/actor.ts): the system creates and
 * changes records as no user, an API client is refused. The user rules are covered through the HTTP suites.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actor, systemActor, userActor } from '../../../platform/auth/actor.js';
import { createTestUser, type TestUser } from '../../../platform/auth/test-sessions.js';
import { AppError } from '../../../platform/errors/errors.js';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../../test-support/test-database.js';
import { canReadCall } from '../../telephony/adapters/kysely-call-visibility.js';
import { insertTestCall } from '../../telephony/test-support/test-calls.js';
import { CompanyCreate } from '../companies/company-schemas.js';
import { createCompany } from '../companies/create-company.js';
import { ContactCreate } from '../contacts/contact-schemas.js';
import { createContact } from '../contacts/create-contact.js';
import { deleteContact } from '../contacts/delete-contact.js';
import { updateContact } from '../contacts/update-contact.js';
import { createDeal } from '../deals/create-deal.js';
import { DealCreate } from '../deals/deal-schemas.js';
import { deleteDeal } from '../deals/delete-deal.js';
import { updateDeal } from '../deals/update-deal.js';
import { importContacts } from '../import-export/contact-import.js';
import { createLead } from '../leads/create-lead.js';
import { deleteLead } from '../leads/delete-lead.js';
import { LeadCreate } from '../leads/lead-schemas.js';
import { updateLead } from '../leads/update-lead.js';
import { addNote } from '../notes/add-note.js';
import { createTask } from '../tasks/create-task.js';
import { deleteTask } from '../tasks/delete-task.js';
import { TaskCreate } from '../tasks/task-schemas.js';
import { updateTask } from '../tasks/update-task.js';
import { listTimeline } from '../timeline/list-timeline.js';

const system = systemActor('automation: test');
const apiClient: Actor = { kind: 'api-client', id: 'key-1', scopes: ['crm:write'] };

/** Runs `work` and returns the catalogue code it threw. */
async function refusal(work: () => Promise<unknown>): Promise<string> {
  try {
    await work();
  } catch (error) {
    if (error instanceof AppError) {
      return `${error.code}: ${error.message}`;
    }
    throw error;
  }
  throw new Error('expected a refusal');
}

describe.each(TEST_DIALECTS)('CRM use cases by actor on %s', (dialect) => {
  let database: TestDatabase;
  let agent: TestUser;
  let agentActor: Actor;
  beforeAll(async () => {
    database = await openTestDatabase(dialect);
    agent = await createTestUser(database.db, { role: 'agent', name: 'Alice Agent' });
    agentActor = userActor({ ...agent, locale: 'en' });
  });
  afterAll(async () => {
    await database.cleanup();
  });

  /** The actors recorded on a record's timeline, by kind (events of one millisecond have no order). */
  const timelineActors = async (subjectType: string, subjectId: string) =>
    (
      await database.db
        .selectFrom('activities')
        .select(['kind', 'actor_id'])
        .where('subject_type', '=', subjectType as never)
        .where('subject_id', '=', subjectId)
        .orderBy('kind')
        .execute()
    ).map((row) => ({ kind: row.kind, actorId: row.actor_id }));

  describe('the system', () => {
    it('creates a contact owned by nobody, recorded as no user', async () => {
      const { db } = database;
      const input = ContactCreate.parse({ firstName: 'Sam', lastName: 'System' });
      const contact = await createContact({ db, actor: system, input, defaultCountry: 'FR' });
      expect(contact.responsibleUserId).toBeNull();
      expect(await timelineActors('contact', contact.id)).toEqual([{ kind: 'created', actorId: null }]);
    });

    it('assigns what it creates to any user it names', async () => {
      const { db } = database;
      const input = ContactCreate.parse({ firstName: 'Nina', responsibleUserId: agent.id });
      const contact = await createContact({ db, actor: system, input, defaultCountry: 'FR' });
      expect(contact.responsibleUserId).toBe(agent.id);
    });

    it('creates a lead and a deal owned by nobody, their linked contact told by no user', async () => {
      const { db } = database;
      const contact = await createContact({
        db,
        actor: system,
        input: ContactCreate.parse({ firstName: 'Linked' }),
        defaultCountry: 'FR',
      });
      const lead = await createLead({
        db,
        actor: system,
        input: LeadCreate.parse({ title: 'Missed call', contactId: contact.id }),
      });
      expect(lead.responsibleUserId).toBeNull();
      expect(await timelineActors('lead', lead.id)).toEqual([{ kind: 'created', actorId: null }]);
      const deal = await createDeal({
        db,
        actor: system,
        input: DealCreate.parse({ title: 'Renewal', amount: 100, contactId: contact.id }),
      });
      expect(deal.responsibleUserId).toBeNull();
      expect(await timelineActors('deal', deal.id)).toEqual([{ kind: 'created', actorId: null }]);
      expect(await timelineActors('contact', contact.id)).toEqual([
        { kind: 'created', actorId: null },
        { kind: 'deal', actorId: null },
        { kind: 'lead', actorId: null },
      ]);
    });

    it('creates a task assigned to nobody and created by no user, and a note with no author', async () => {
      const { db } = database;
      const contact = await createContact({
        db,
        actor: system,
        input: ContactCreate.parse({ firstName: 'Call back' }),
        defaultCountry: 'FR',
      });
      const task = await createTask({
        db,
        actor: system,
        input: TaskCreate.parse({ title: 'Call back', subjectType: 'contact', subjectId: contact.id }),
      });
      expect(task.assigneeId).toBeNull();
      const row = await db
        .selectFrom('tasks')
        .select('created_by_id')
        .where('id', '=', task.id)
        .executeTakeFirstOrThrow();
      expect(row.created_by_id).toBeNull();
      const note = await addNote({
        db,
        actor: system,
        input: { subjectType: 'contact', subjectId: contact.id, body: 'Missed call at 9:00' },
      });
      expect(note.authorId).toBeNull();
      expect(await timelineActors('contact', contact.id)).toEqual([
        { kind: 'created', actorId: null },
        { kind: 'note', actorId: null },
        { kind: 'task', actorId: null },
      ]);
      // Its timeline items show no actor, and the system reads the timeline like an admin.
      const items = await listTimeline(db, 'contact', contact.id, system);
      expect(items.map((item) => item.actor)).toEqual([undefined, undefined, undefined]);
    });

    it("changes and deletes an agent's records, recorded as no user", async () => {
      const { db } = database;
      const contact = await createContact({
        db,
        actor: agentActor,
        input: ContactCreate.parse({ firstName: 'Owned' }),
        defaultCountry: 'FR',
      });
      expect(contact.responsibleUserId).toBe(agent.id);
      const changed = await updateContact({
        db,
        actor: system,
        id: contact.id,
        patch: { notes: 'qualified by automation' },
        defaultCountry: 'FR',
      });
      expect(changed.notes).toBe('qualified by automation');
      expect(changed.responsibleUserId).toBe(agent.id);
      expect(await timelineActors('contact', contact.id)).toEqual([
        { kind: 'created', actorId: agent.id },
        { kind: 'updated', actorId: null },
      ]);
      const lead = await createLead({ db, actor: agentActor, input: LeadCreate.parse({ title: 'Mine' }) });
      await updateLead({ db, actor: system, id: lead.id, patch: { status: 'contacted' } });
      await deleteLead({ db, actor: system, id: lead.id });
      const task = await createTask({ db, actor: agentActor, input: TaskCreate.parse({ title: 'Mine' }) });
      expect(task.assigneeId).toBe(agent.id);
      await updateTask({ db, actor: system, id: task.id, patch: { status: 'done' } });
      await deleteTask({ db, actor: system, id: task.id });
      await deleteContact({ db, actor: system, id: contact.id });
      const left = await db.selectFrom('contacts').select('id').where('id', '=', contact.id).execute();
      expect(left).toEqual([]);
    });

    it('reads every call', async () => {
      const callId = await insertTestCall(database.db, { agentUserId: agent.id, contactId: null });
      expect(await canReadCall(database.db, system, callId)).toBe(true);
    });
  });

  describe('an API client (no rule allows it yet)', () => {
    it('is refused creating a contact, a company, a lead, a deal, a task or a note, and nothing is written', async () => {
      const { db } = database;
      const before = await db
        .selectFrom('activities')
        .select((eb) => eb.fn.countAll().as('n'))
        .execute();
      const contact = await createContact({
        db,
        actor: system,
        input: ContactCreate.parse({ firstName: 'Target' }),
        defaultCountry: 'FR',
      });
      const attempts: Record<string, () => Promise<unknown>> = {
        contact: () =>
          createContact({
            db,
            actor: apiClient,
            input: ContactCreate.parse({ firstName: 'Api' }),
            defaultCountry: 'FR',
          }),
        company: () =>
          createCompany({
            db,
            actor: apiClient,
            input: CompanyCreate.parse({ name: 'Api' }),
            defaultCountry: 'FR',
          }),
        lead: () => createLead({ db, actor: apiClient, input: LeadCreate.parse({ title: 'Api' }) }),
        deal: () =>
          createDeal({ db, actor: apiClient, input: DealCreate.parse({ title: 'Api', amount: 1 }) }),
        task: () => createTask({ db, actor: apiClient, input: TaskCreate.parse({ title: 'Api' }) }),
        note: () =>
          addNote({
            db,
            actor: apiClient,
            input: { subjectType: 'contact', subjectId: contact.id, body: 'Api' },
          }),
        import: () => importContacts({ db, actor: apiClient, text: 'First name\nApi', defaultCountry: 'FR' }),
      };
      const refusals: Record<string, string> = {};
      for (const [what, attempt] of Object.entries(attempts)) {
        refusals[what] = await refusal(attempt);
      }
      expect(refusals).toEqual({
        contact: 'SB_ERR_FORBIDDEN: API clients may not create contacts',
        company: 'SB_ERR_FORBIDDEN: API clients may not create companies',
        lead: 'SB_ERR_FORBIDDEN: API clients may not create leads',
        deal: 'SB_ERR_FORBIDDEN: API clients may not create deals',
        task: 'SB_ERR_FORBIDDEN: API clients may not create tasks',
        note: 'SB_ERR_FORBIDDEN: API clients may not add notes',
        import: 'SB_ERR_FORBIDDEN: API clients may not import contacts',
      });
      const after = await db
        .selectFrom('activities')
        .select((eb) => eb.fn.countAll().as('n'))
        .execute();
      // Only the system's own contact was recorded.
      expect(Number(after[0]?.n)).toBe(Number(before[0]?.n) + 1);
      const apiRows = await db.selectFrom('contacts').select('id').where('first_name', '=', 'Api').execute();
      expect(apiRows).toEqual([]);
    });

    it('is refused changing or deleting records, even unassigned ones, and reading a timeline', async () => {
      const { db } = database;
      const contact = await createContact({
        db,
        actor: system,
        input: ContactCreate.parse({ firstName: 'Unassigned' }),
        defaultCountry: 'FR',
      });
      const deal = await createDeal({
        db,
        actor: system,
        input: DealCreate.parse({ title: 'Unassigned', amount: 1 }),
      });
      const task = await createTask({ db, actor: system, input: TaskCreate.parse({ title: 'Unassigned' }) });
      expect(
        await refusal(() =>
          updateContact({
            db,
            actor: apiClient,
            id: contact.id,
            patch: { notes: 'x' },
            defaultCountry: 'FR',
          }),
        ),
      ).toBe('SB_ERR_FORBIDDEN: API clients may not change contacts');
      expect(await refusal(() => deleteContact({ db, actor: apiClient, id: contact.id }))).toBe(
        'SB_ERR_FORBIDDEN: API clients may not change contacts',
      );
      expect(
        await refusal(() => updateDeal({ db, actor: apiClient, id: deal.id, patch: { title: 'x' } })),
      ).toBe('SB_ERR_FORBIDDEN: API clients may not change deals');
      expect(await refusal(() => deleteDeal({ db, actor: apiClient, id: deal.id }))).toBe(
        'SB_ERR_FORBIDDEN: API clients may not change deals',
      );
      expect(
        await refusal(() => updateTask({ db, actor: apiClient, id: task.id, patch: { status: 'done' } })),
      ).toBe('SB_ERR_FORBIDDEN: API clients may not change tasks');
      expect(await refusal(() => deleteTask({ db, actor: apiClient, id: task.id }))).toBe(
        'SB_ERR_FORBIDDEN: API clients may not change tasks',
      );
      expect(await refusal(() => listTimeline(db, 'contact', contact.id, apiClient))).toBe(
        'SB_ERR_FORBIDDEN: API clients may not read timelines',
      );
    });

    it('reads no call', async () => {
      const callId = await insertTestCall(database.db, { agentUserId: null, contactId: null });
      expect(await canReadCall(database.db, apiClient, callId)).toBe(false);
    });
  });
});
