/**
 * The `CallWorkspaceStore` contract: the Kysely adapter (both dialects) and the in-memory one restore the same
 * calls in progress for a user's tab, list the same missed calls still to return, and keep the wrap-up alike.
 * Calls are folded from the same notifications through each side's own `CallRepository`, as the webhook path
 * writes them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../platform/ids.js';
import { insertTestUser } from '../../../test-support/insert-user.js';
import type { CallEvent } from '../domain/call-event.js';
import type { CallRepository, CallWorkspaceStore } from '../ports.js';
import {
  asAnotherCall,
  inboundAnswered,
  inboundMissed,
  outboundAnswered,
} from '../test-support/call-scenarios.js';
import { type Opened, onEveryDialect } from '../test-support/contract-adapters.js';
import { seedContact } from '../test-support/seed-crm.js';
import { createInMemoryCallRepository } from './in-memory-call-store.js';
import {
  createInMemoryCallWorkspaceStore,
  type InMemoryWorkspaceContact,
} from './in-memory-call-workspace-store.js';
import { createCallRepository } from './kysely-call-repository.js';
import { createKyselyCallWorkspaceStore } from './kysely-call-workspace-store.js';

interface World {
  readonly store: CallWorkspaceStore;
  readonly calls: CallRepository;
  user(name: string): Promise<string>;
  /** A contact with its numbers (E.164) and responsible user. */
  contact(responsibleUserId: string | null, phones: readonly string[]): Promise<string>;
}

const ADAPTERS = [
  ...onEveryDialect<World>(({ db, sqlite }) => ({
    store: createKyselyCallWorkspaceStore(db),
    calls: createCallRepository(db, { sqlite }),
    user: (name) => insertTestUser(db, name),
    contact: (responsibleUserId, phones) =>
      seedContact(db, { displayName: 'Jean Dupont', phones, responsibleUserId }),
  })),
  {
    name: 'in-memory',
    async open(): Promise<Opened<World>> {
      const calls = createInMemoryCallRepository();
      const contacts: InMemoryWorkspaceContact[] = [];
      return {
        store: createInMemoryCallWorkspaceStore({ calls: () => calls.list({ limit: 10_000 }), contacts }),
        calls,
        user: async () => newId(),
        async contact(responsibleUserId, phones) {
          const id = newId();
          contacts.push({ id, responsibleUserId, phones });
          return id;
        },
        done: async () => {},
      };
    },
  },
];

/** The scenarios start at 2024-05-14T07:15:30Z; `minutes` later is this instant. */
const T0 = Date.parse('2024-05-14T07:15:30.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

// Stages of the scenarios: an inbound call ringing 101, then answered at 101, then ended; one 101 missed;
// an outbound call placed from 102, answered.
const RINGING = inboundAnswered.slice(0, 2);
const IN_PROGRESS = inboundAnswered.slice(0, 4);
const ANSWERED = inboundAnswered.slice(0, 5);
const OUTBOUND_IN_PROGRESS = outboundAnswered.slice(0, 2);

let sequence = 0;

/**
 * Folds `events` as a new call `minutes` after the scenarios' start, from `client` (E.164, digits as Zadarma
 * sends them), then links it as the webhook path would; the call's id.
 */
async function fold(
  w: World,
  events: readonly CallEvent[],
  minutes: number,
  links: { client?: string; contactId?: string | null; agentUserId?: string | null } = {},
): Promise<string> {
  sequence += 1;
  const outbound = events[0]?.kind === 'out_start';
  const pbxCallId = `${outbound ? 'out' : 'in'}_contract_${sequence}_${newId()}`;
  const client = links.client ?? '+442037691880';
  const moved = asAnotherCall(events, pbxCallId, minutes * 60_000).map((e) =>
    outbound ? e : 'callerId' in e ? { ...e, callerId: client.slice(1) } : e,
  );
  let id = '';
  for (const event of moved) {
    const { call } = await w.calls.applyEvent(event, event.receivedAt, { clientE164: () => client });
    id = call.id;
  }
  const call = await w.calls.getById(id);
  if (call && (links.contactId !== undefined || links.agentUserId !== undefined)) {
    await w.calls.link(call, { contactId: links.contactId ?? null, agentUserId: links.agentUserId ?? null });
  }
  return id;
}

describe.each(ADAPTERS)('CallWorkspaceStore contract: $name', ({ open }) => {
  let w: Opened<World>;
  beforeAll(async () => {
    w = await open();
  });
  afterAll(async () => {
    await w?.done();
  });

  it('restores the calls ringing or in progress in a user’s audience, newest first, within their windows', async () => {
    const fresh = await open();
    try {
      const tom = await fresh.user('Tom');
      const ringing = await fold(fresh, RINGING, 10);
      const inProgress = await fold(fresh, IN_PROGRESS, 5);
      const placed = await fold(fresh, OUTBOUND_IN_PROGRESS, 7);
      const ended = await fold(fresh, ANSWERED, 9);
      // Tom has no extension: a call is his as its agent.
      const tomsCall = await fold(fresh, IN_PROGRESS, 3, { agentUserId: tom });
      expect(ended).toBeTruthy();
      const query = (
        userId: string,
        extension: string | null,
        ringingSince = at(0),
        inProgressSince = at(0),
      ) => fresh.store.inProgressFor({ userId, extension, ringingSince, inProgressSince });

      // 101 rang the ringing call and answered the one in progress (and Tom's); 102 rang in that scenario and
      // placed the outbound call.
      expect(await query(newId(), '101')).toEqual([ringing, inProgress, tomsCall]);
      expect(await query(newId(), '102')).toEqual([placed, inProgress, tomsCall]);
      expect(await query(tom, null)).toEqual([tomsCall]);
      expect(await query(newId(), null)).toEqual([]);
      expect(await query(newId(), '105')).toEqual([]);
      // Each window on its own: a call ringing since before `ringingSince` is stale, not in progress.
      expect(await query(newId(), '101', at(11), at(0))).toEqual([inProgress, tomsCall]);
      expect(await query(newId(), '101', at(0), at(5))).toEqual([ringing, inProgress]);
      expect(await query(newId(), '101', at(10), at(4))).toEqual([ringing, inProgress]);
    } finally {
      await fresh.done();
    }
  });

  it('lists missed calls not returned nor dismissed that rang the user or whose contact they hold', async () => {
    const fresh = await open();
    try {
      const tom = await fresh.user('Tom');
      const mine = await fresh.contact(tom, ['+33612340001']);
      const rang101 = await fold(fresh, inboundMissed, 10, { client: '+33612340002' });
      const tomsClient = await fold(fresh, inboundMissed, 20, { client: '+33612340001', contactId: mine });
      // Answered before it, which is no return; then missed again later and returned after.
      await fold(fresh, ANSWERED, 25, { client: '+33612340003' });
      const notReturned = await fold(fresh, inboundMissed, 30, { client: '+33612340003' });
      const returned = await fold(fresh, inboundMissed, 40, { client: '+33612340004' });
      await fold(fresh, ANSWERED, 50, { client: '+33612340004' });
      // Returned by us: an outbound call to the number, answered.
      const calledBack = await fold(fresh, inboundMissed, 41, { client: '+33612340005' });
      await fold(fresh, outboundAnswered, 51, { client: '+33612340005' });
      const missed = (userId: string, extension: string | null, since = at(0), limit = 10) =>
        fresh.store.missedFor({ userId, extension, since, limit });

      expect(await missed(newId(), '101')).toEqual([notReturned, tomsClient, rang101]);
      expect([returned, calledBack]).not.toContain(notReturned);
      expect(await missed(tom, null)).toEqual([tomsClient]);
      expect(await missed(tom, '101')).toEqual([notReturned, tomsClient, rang101]);
      expect(await missed(newId(), '102')).toEqual([]);
      expect(await missed(newId(), '101', at(20))).toEqual([notReturned, tomsClient]);
      expect(await missed(newId(), '101', at(0), 1)).toEqual([notReturned]);

      // Dismissed by anyone: off everyone's list; a wrap-up written on it does not bring it back.
      await fresh.store.dismissMissed(tomsClient, tom, at(60));
      await fresh.store.setOutcome(tomsClient, 'no_answer', tom, at(61));
      expect(await missed(tom, '101')).toEqual([notReturned, rang101]);
      expect(await missed(tom, null)).toEqual([]);
    } finally {
      await fresh.done();
    }
  });

  it('knows who is responsible for a contact and which numbers it has', async () => {
    const [olga, tom] = [await w.user('Olga'), await w.user('Tom')];
    const contact = await w.contact(olga, ['+33612340010', '+442037691881']);
    const nobodys = await w.contact(null, []);
    expect(await w.store.isResponsibleFor(contact, olga)).toBe(true);
    expect(await w.store.isResponsibleFor(contact, tom)).toBe(false);
    expect(await w.store.isResponsibleFor(nobodys, olga)).toBe(false);
    expect(await w.store.isResponsibleFor(newId(), olga)).toBe(false);
    expect(await w.store.contactHasNumber(contact, '+442037691881')).toBe(true);
    expect(await w.store.contactHasNumber(contact, '+33612340011')).toBe(false);
    expect(await w.store.contactHasNumber(nobodys, '+33612340010')).toBe(false);
  });

  it('keeps a call’s outcome, who set it and when; a cleared outcome has no time', async () => {
    const [olga, tom] = [await w.user('Olga'), await w.user('Tom')];
    const call = await fold(w, ANSWERED, 100);
    expect(await w.store.wrapUpOf(call)).toEqual({ outcome: null, outcomeBy: null, outcomeAt: null });
    expect(await w.store.wrapUpOf(newId())).toEqual({ outcome: null, outcomeBy: null, outcomeAt: null });
    await w.store.setOutcome(call, 'connected', olga, at(101));
    await w.store.setOutcome(call, 'left_message', tom, at(102));
    expect(await w.store.wrapUpOf(call)).toEqual({
      outcome: 'left_message',
      outcomeBy: tom,
      outcomeAt: at(102),
    });
    await w.store.setOutcome(call, null, olga, at(103));
    expect(await w.store.wrapUpOf(call)).toEqual({ outcome: null, outcomeBy: olga, outcomeAt: null });
    // Dismissing a missed call leaves the outcome as it is.
    await w.store.setOutcome(call, 'busy', null, at(104));
    await w.store.dismissMissed(call, olga, at(105));
    expect(await w.store.wrapUpOf(call)).toEqual({ outcome: 'busy', outcomeBy: null, outcomeAt: at(104) });
  });
});
