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
  /** Each routing step on the call: its event type, parameters. */
  readonly routing: { callId: string; type: string; params: unknown }[];
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
                (r) =>
                  r.subject_type === 'call' &&
                  (eventFromPayload(r.payload)?.type ?? '').startsWith('call.routing.'),
              )
              .map((r) => ({
                callId: r.subject_id,
                type: eventFromPayload(r.payload)?.type ?? '',
                params: eventFromPayload(r.payload)?.params,
              })),
            traces: rows
              .filter(
                (r) =>
                  r.subject_type === 'call' &&
                  !(eventFromPayload(r.payload)?.type ?? '').startsWith('call.routing'),
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
            routing: timeline.routing().flatMap((r) =>
              r.trace.map((step) => ({
                callId: r.callId,
                type: `call.routing.${step.code}`,
                params: step.params,
              })),
            ),
            traces: timeline.decisions().map((r) => ({ callId: r.callId, kind: r.code, params: r.params })),
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
      trace: [
        { code: 'knownCaller', params: { contactId: s.contactId } },
        { code: 'routed', params: { step: 'contact', extension: '101', userId: 'u1', record: s.contactId } },
      ],
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
      routing: [
        { callId: 'call-1', type: 'call.routing.knownCaller', params: { contactId: s.contactId } },
        {
          callId: 'call-1',
          type: 'call.routing.routed',
          params: { step: 'contact', extension: '101', userId: 'u1', record: s.contactId },
        },
      ],
      traces: [],
    });
  });

  it('puts what a user did from the card and what the system decided on the call’s trace, one writer', async () => {
    await s.timeline.recordDecision({
      callId: 'call-2',
      at: '2026-01-15T10:00:00.000Z',
      actorId: null,
      code: 'call.outcome',
      params: { outcome: 'connected' },
    });
    await s.timeline.recordDecision({
      callId: 'call-2',
      at: '2026-01-15T10:00:01.000Z',
      code: 'callback.task_closed',
      params: { taskId: 't1', byCallId: 'call-3' },
    });
    expect((await s.read()).traces).toEqual([
      { callId: 'call-2', kind: 'call.outcome', params: { outcome: 'connected' } },
      { callId: 'call-2', kind: 'callback.task_closed', params: { taskId: 't1', byCallId: 'call-3' } },
    ]);
  });
});
