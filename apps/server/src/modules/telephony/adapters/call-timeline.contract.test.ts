/**
 * The `CallTimeline` contract: the Kysely adapter (both dialects) and the in-memory one keep one item per
 * call on its contact's timeline, and the routing decisions on the call's trace.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, TEST_DIALECTS } from '../../../test-support/test-database.js';
import { eventFromPayload } from '../../crm/timeline/record-activity.js';
import type { CallTimeline, CallTimelineItem } from '../ports.js';
import { seedContact } from '../test-support/seed-crm.js';
import { createInMemoryCallTimeline } from './in-memory-telephony.js';
import { createKyselyCallTimeline } from './kysely-call-timeline.js';

interface Written {
  readonly calls: { callId: string; contactId: string; title: string; eventType: string | undefined }[];
  readonly routing: { callId: string; reason: string }[];
  readonly traces: { callId: string; kind: string; params: unknown }[];
}

interface Seeded {
  readonly timeline: CallTimeline;
  readonly contactId: string;
  read(): Promise<Written>;
  readonly done: () => Promise<void>;
}

const ADAPTERS = [
  ...TEST_DIALECTS.map((dialect) => ({
    name: `kysely on ${dialect}`,
    async open(): Promise<Seeded> {
      const database = await openTestDatabase(dialect);
      const contactId = await seedContact(database.db, { displayName: 'Jean Dupont', phones: [] });
      return {
        timeline: createKyselyCallTimeline(database.db),
        contactId,
        async read() {
          const rows = await database.db
            .selectFrom('activities')
            .select(['subject_type', 'subject_id', 'kind', 'title', 'body', 'ref_id', 'payload'])
            .where((eb) => eb.or([eb('kind', '=', 'call'), eb('subject_type', '=', 'call')]))
            .orderBy('at')
            .execute();
          return {
            calls: rows
              .filter((r) => r.kind === 'call')
              .map((r) => ({
                callId: r.ref_id ?? '',
                contactId: r.subject_id,
                title: r.title,
                eventType: eventFromPayload(r.payload)?.type,
              })),
            routing: rows
              .filter(
                (r) => r.subject_type === 'call' && eventFromPayload(r.payload)?.type === 'call.routing',
              )
              .map((r) => ({ callId: r.subject_id, reason: r.body ?? '' })),
            traces: rows
              .filter(
                (r) => r.subject_type === 'call' && eventFromPayload(r.payload)?.type !== 'call.routing',
              )
              .map((r) => ({
                callId: r.subject_id,
                kind: eventFromPayload(r.payload)?.type ?? '',
                params: eventFromPayload(r.payload)?.params,
              })),
          };
        },
        done: () => database.cleanup(),
      };
    },
  })),
  {
    name: 'in-memory',
    async open(): Promise<Seeded> {
      const timeline = createInMemoryCallTimeline();
      return {
        timeline,
        contactId: 'c1',
        async read() {
          return {
            calls: timeline.calls().map((c) => ({
              callId: c.callId,
              contactId: c.contactId,
              title: c.title,
              eventType: c.event.type,
            })),
            routing: timeline.routing().map((r) => ({ callId: r.callId, reason: r.reason })),
            traces: timeline.traces().map((r) => ({ callId: r.callId, kind: r.kind, params: r.params })),
          };
        },
        done: async () => {},
      };
    },
  },
];

describe.each(ADAPTERS)('CallTimeline contract: $name', ({ open }) => {
  let s: Seeded;
  beforeAll(async () => {
    s = await open();
  });
  afterAll(async () => {
    await s?.done();
  });

  it('keeps one item per call, the latest outcome, and the routing decision on the call’s trace', async () => {
    const item = (title: string): CallTimelineItem => ({
      callId: 'call-1',
      contactId: s.contactId,
      actorId: null,
      at: '2026-01-15T09:00:00.000Z',
      title,
      event: { type: 'call.ended', params: { direction: 'in', status: 'missed' } },
      payload: { status: 'missed' },
    });
    await s.timeline.putCall(item('Incoming call — missed'));
    await s.timeline.putCall(item('Incoming call — answered'));
    await s.timeline.recordRoutingDecision({
      callId: 'call-1',
      at: '2026-01-15T09:00:00.100Z',
      reason: 'known caller; routed to responsible extension 101',
      reply: { redirect: '101' },
    });
    expect(await s.read()).toEqual({
      calls: [
        {
          callId: 'call-1',
          contactId: s.contactId,
          title: 'Incoming call — answered',
          eventType: 'call.ended',
        },
      ],
      routing: [{ callId: 'call-1', reason: 'known caller; routed to responsible extension 101' }],
      traces: [],
    });
  });

  it('puts what a user did from the card on the call’s trace, as a code and its parameters', async () => {
    await s.timeline.recordCallTrace({
      callId: 'call-2',
      at: '2026-01-15T10:00:00.000Z',
      actorId: null,
      kind: 'call.outcome',
      params: { outcome: 'connected' },
    });
    expect((await s.read()).traces).toEqual([
      { callId: 'call-2', kind: 'call.outcome', params: { outcome: 'connected' } },
    ]);
  });
});
