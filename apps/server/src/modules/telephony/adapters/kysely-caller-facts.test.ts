/**
 * The NOTIFY_START decision's reads in one PostgreSQL statement (kysely-caller-facts.ts): a decision made from it
 * equals the decision made read by read — without one separate read. What each part answers, and that a switch
 * left off reads nothing, is the `CallerFactsReader` contract (caller-facts-reader.contract.test.ts).
 */
import type { TNotifyStart } from '@switchboard/zadarma';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../platform/db/database.js';
import { newId } from '../../../platform/ids.js';
import {
  decisionConnectionStatements,
  HOLD_STATEMENT,
  holdDecisionPool,
} from '../../../test-support/hold-decision-pool.js';
import { insertTestUser } from '../../../test-support/insert-user.js';
import {
  openTestDatabase,
  TEST_DATABASE_URL,
  type TestDatabase,
} from '../../../test-support/test-database.js';
import { type CallerFactsReader, DecisionBudgetSpentError } from '../ports.js';
import { createInMemoryWebhookPorts } from '../test-support/in-memory-webhook-ports.js';
import { seedCompany, seedContact } from '../test-support/seed-crm.js';
import { insertTestCall } from '../test-support/test-calls.js';
import { type CallRoutingPorts, decideStartReply } from '../use-cases/decide-call-routing.js';
import { createBlacklistRepository } from './kysely-blacklist-repository.js';
import { createPostgresCallerFacts } from './kysely-caller-facts.js';
import { createKyselyCallerHistory } from './kysely-caller-history.js';
import { createKyselyContactLookup } from './kysely-contact-lookup.js';
import { createKyselyExtensionDirectory } from './kysely-extension-directory.js';

const JEAN = '+33612345678';
const STRANGER = '+33698765432';

function start(callerId: string): TNotifyStart {
  return {
    event: 'NOTIFY_START',
    call_start: '2026-01-15 12:00:00',
    pbx_call_id: 'in_caller_facts',
    caller_id: callerId.slice(1),
    called_did: '442037691999',
  } as TNotifyStart;
}

describe('the NOTIFY_START decision read in one statement, on postgres', () => {
  let database: TestDatabase;
  let olga: string;
  let tom: string;
  let nina: string;
  let contactId: string;
  const t = createInMemoryWebhookPorts();
  const now = t.clock.now();
  const iso = (ms: number) => new Date(ms).toISOString();

  beforeAll(async () => {
    database = await openTestDatabase('postgres');
    const db = database.db;
    olga = await insertTestUser(db, 'Olga');
    tom = await insertTestUser(db, 'Tom');
    nina = await insertTestUser(db, 'Nina');
    const acme = await seedCompany(db, 'Acme');
    contactId = await seedContact(db, {
      displayName: 'Jean Dupont',
      phones: [JEAN],
      companyId: acme,
      responsibleUserId: olga,
    });
    const pipelineId = newId();
    const open = newId();
    await db
      .insertInto('pipelines')
      .values({ id: pipelineId, name: 'Sales', position: 0, created_at: iso(now) })
      .execute();
    await db
      .insertInto('pipeline_stages')
      .values({ id: open, pipeline_id: pipelineId, name: 'Proposal', position: 0, kind: 'open' })
      .execute();
    const dealId = newId();
    await db
      .insertInto('deals')
      .values({
        id: dealId,
        title: 'Fleet',
        sort_key: 'fleet',
        amount: 9000,
        currency: 'EUR',
        pipeline_id: pipelineId,
        stage_id: open,
        contact_id: contactId,
        company_id: null,
        responsible_user_id: tom,
        expected_close_date: null,
        created_at: iso(now),
        updated_at: iso(now),
      })
      .execute();
    const leadId = newId();
    await db
      .insertInto('leads')
      .values({
        id: leadId,
        title: 'Lead',
        sort_key: 'lead',
        contact_id: contactId,
        company_id: null,
        source: 'call',
        status: 'new',
        responsible_user_id: nina,
        notes: '',
        created_at: iso(now),
        updated_at: iso(now),
      })
      .execute();
    await insertTestCall(db, { agentUserId: nina, contactId, at: iso(now - 3_600_000), clientE164: JEAN });
    for (const hoursAgo of [1, 2]) {
      await insertTestCall(db, {
        agentUserId: null,
        contactId: null,
        status: 'missed',
        at: iso(now - hoursAgo * 60_000),
        clientE164: STRANGER,
      });
    }
    await db
      .insertInto('extension_assignments')
      .values([
        { extension: '101', user_id: olga, created_at: iso(now) },
        { extension: '102', user_id: tom, created_at: iso(now) },
        { extension: '103', user_id: nina, created_at: iso(now) },
      ])
      .execute();
    await createBlacklistRepository(db).add({ e164: '+7800', isPrefix: true, reason: 'toll-free' });
  }, 60_000);

  afterAll(async () => {
    await database?.cleanup();
  });

  function prepared() {
    if (!database.replyPrepared) {
      throw new Error('expected PostgreSQL');
    }
    return database.replyPrepared;
  }

  it('decides as the reads one by one do, without one of them', async () => {
    const db = database.db;
    const separate: CallRoutingPorts = {
      ...t.ports,
      contacts: createKyselyContactLookup(db),
      history: createKyselyCallerHistory(db),
      directory: createKyselyExtensionDirectory(db),
      blacklist: createBlacklistRepository(db),
    };
    const refuse = () => Promise.reject(new Error('a separate read'));
    const atOnce: CallRoutingPorts = {
      ...separate,
      contacts: { ...separate.contacts, findCaller: refuse },
      history: { openDealOf: refuse, openLeadOf: refuse, lastAgentOf: refuse, missedFrom: refuse },
      directory: { ...separate.directory, extensionOf: refuse, nameOf: refuse },
      blacklist: { matchCaller: refuse },
      facts: createPostgresCallerFacts(prepared()),
    };
    const base = await t.settings.webhookSettings();
    t.settings.update({
      defaultResponsibleUserId: olga,
      callerNameFormat: { ...base.callerNameFormat, template: '{vip} {company} — {contact} ({responsible})' },
      routing: {
        ...base.routing,
        steps: [
          { step: 'deal', enabled: true },
          { step: 'lead', enabled: true },
          { step: 'lastAgent', enabled: true },
          { step: 'defaultResponsible', enabled: true },
        ],
      },
    });
    const settings = await t.settings.webhookSettings();
    const decide = (ports: CallRoutingPorts, caller: string) =>
      decideStartReply(ports, { event: start(caller), settings, budgetMs: 5_000 });
    // Deal owner, then (offline) the lead's, then the last agent's, then the default: each step's skip read alike.
    const routedTo = new Map([
      ['', '102'],
      ['102', '103'],
      ['102,103', '101'],
      ['102,103,101', undefined],
    ]);
    for (const offline of [[], ['102'], ['102', '103'], ['102', '103', '101']]) {
      for (const extension of ['101', '102', '103']) {
        t.presence.set(extension, !offline.includes(extension));
      }
      for (const caller of [JEAN, STRANGER, '+78001234567']) {
        const one = await decide(atOnce, caller);
        const other = await decide(separate, caller);
        expect(one.decision.reason).not.toMatch(/lookup failed/);
        expect(one.json).toBe(other.json);
        expect(one.decision).toEqual(other.decision);
        expect(one.caller).toEqual(other.caller);
        if (caller === JEAN) {
          expect(JSON.parse(one.json).redirect).toBe(routedTo.get(offline.join(',')));
          expect(JSON.parse(one.json).caller_name).toContain('Jean Dupont (Olga)');
        }
      }
    }
    expect(JSON.parse((await decide(atOnce, '+78001234567')).json)).toMatchObject({ redirect: 'blacklist' });
  });

  it('never sends the statement of a decision whose budget ran out while it waited for a connection', async () => {
    // A handle on the same schema with one decision connection: what was sent to it, pg_prepared_statements shows.
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(database.db);
    const small = openDatabase({
      dialect: 'postgres',
      url: TEST_DATABASE_URL,
      schema: String(rows[0]?.schema),
      poolSize: 1,
      replyPoolSize: 1,
      decisionPoolSize: 1,
    });
    try {
      if (!small.replyPrepared) {
        throw new Error('expected PostgreSQL');
      }
      const real = createPostgresCallerFacts(small.replyPrepared);
      const reads: { abortedAsked: boolean; signal: AbortSignal | undefined; outcome: Promise<unknown> }[] =
        [];
      const facts: CallerFactsReader = {
        read(query, signal) {
          const outcome = real.read(query, signal);
          reads.push({ abortedAsked: signal?.aborted ?? true, signal, outcome });
          return outcome;
        },
      };
      const refuse = () => Promise.reject(new Error('a separate read'));
      const ports: CallRoutingPorts = {
        ...t.ports,
        contacts: { ...createKyselyContactLookup(small.db), findCaller: refuse },
        history: { openDealOf: refuse, openLeadOf: refuse, lastAgentOf: refuse, missedFrom: refuse },
        directory: { ...createKyselyExtensionDirectory(small.db), extensionOf: refuse, nameOf: refuse },
        blacklist: { matchCaller: refuse },
        facts,
      };
      const base = await t.settings.webhookSettings();
      t.settings.update({
        routing: { ...base.routing, steps: [{ step: 'deal', enabled: true }] },
      });
      for (const extension of ['101', '102', '103']) {
        t.presence.set(extension, true);
      }
      const settings = await t.settings.webhookSettings();

      const hold = await holdDecisionPool(small);
      const late = await decideStartReply(ports, { event: start(JEAN), settings, budgetMs: 5 });
      expect(late.json).toBe('{}');
      expect(late.decision.trace).toEqual([{ code: 'timeout', params: { budgetMs: 5 } }]);
      // The read was asked for within the budget (so it queued for the held connection), with the budget's signal.
      expect(reads.map((r) => r.abortedAsked)).toEqual([false]);
      expect(reads[0]?.signal?.aborted).toBe(true);
      const pid = await hold.release();
      await expect(reads[0]?.outcome).rejects.toBeInstanceOf(DecisionBudgetSpentError);
      // Same backend throughout (a new one would show no statement at all): the decision's statement never came.
      expect(await decisionConnectionStatements(small)).toEqual({ pid, names: [HOLD_STATEMENT] });

      // Within its budget the same decision runs as ever, on that connection.
      const onTime = await decideStartReply(ports, { event: start(JEAN), settings, budgetMs: 5_000 });
      expect(JSON.parse(onTime.json).redirect).toBe('102');
      expect(await decisionConnectionStatements(small)).toEqual({
        pid,
        names: [HOLD_STATEMENT, 'switchboard_caller_facts'].sort(),
      });
    } finally {
      await small.close();
    }
  });
});
