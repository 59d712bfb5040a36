/**
 * The `RecordingRepository`, `TranscriptRepository` and `CallTranscriptSearch` contract: the Kysely adapters (both
 * dialects) and the in-memory ones keep a recording's fetch outcome, pick a call's latest recording, list what
 * retention and the size cap delete in the same order, audit listens newest first, and forget an erased
 * recording's transcript.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../platform/ids.js';
import { insertTestUser } from '../../../test-support/insert-user.js';
import type { CallTranscriptSearch, RecordingRepository, TranscriptRepository } from '../ports.js';
import { type Opened, onEveryDialect } from '../test-support/contract-adapters.js';
import { seedContact } from '../test-support/seed-crm.js';
import { insertTestCall } from '../test-support/test-calls.js';
import {
  createInMemoryRecordingRepository,
  createInMemoryTranscriptRepository,
} from './in-memory-recordings.js';
import {
  createKyselyRecordingNotices,
  createKyselyRecordingRepository,
  createKyselyTranscriptRepository,
} from './kysely-recording-repository.js';

interface Vault {
  readonly recordings: RecordingRepository;
  readonly transcripts: TranscriptRepository & CallTranscriptSearch;
  contact(): Promise<string>;
  user(name: string): Promise<string>;
  /** A call, linked to `contactId`. */
  call(contactId: string | null): Promise<string>;
  /** A recording row of `callId` as NOTIFY_RECORD leaves it (pending); its row id. */
  recording(callId: string, recordingId: string, at: string): Promise<string>;
  /** The call's start, when this adapter knows calls' starts (the in-memory twin does not: its bounds are null). */
  startOf(callId: string): Promise<string | null>;
}

const ADAPTERS = [
  ...onEveryDialect<Vault>(({ db }) => {
    const notices = createKyselyRecordingNotices(db, null);
    return {
      recordings: createKyselyRecordingRepository(db),
      transcripts: createKyselyTranscriptRepository(db),
      contact: () => seedContact(db, { displayName: 'Jean Dupont', phones: [] }),
      user: (name) => insertTestUser(db, name),
      call: (contactId) => insertTestCall(db, { agentUserId: null, contactId }),
      async recording(callId, recordingId, at) {
        const pbxCallId = `pbx-${callId}`;
        await notices.recordingReady({ callId, pbxCallId, recordingId, at });
        const row = await db
          .selectFrom('call_recordings')
          .select('id')
          .where('pbx_call_id', '=', pbxCallId)
          .where('recording_id', '=', recordingId)
          .executeTakeFirstOrThrow();
        return row.id;
      },
      async startOf(callId) {
        const row = await db
          .selectFrom('calls')
          .select('started_at')
          .where('id', '=', callId)
          .executeTakeFirstOrThrow();
        return row.started_at;
      },
    };
  }),
  {
    name: 'in-memory',
    async open(): Promise<Opened<Vault>> {
      const contactOfCall = new Map<string, string | null>();
      const users = new Map<string, string>();
      const recordings = createInMemoryRecordingRepository(
        (callId) => contactOfCall.get(callId) ?? null,
        (userId) => users.get(userId) ?? null,
      );
      return {
        recordings,
        transcripts: createInMemoryTranscriptRepository(recordings),
        contact: async () => newId(),
        async user(name) {
          const id = newId();
          users.set(id, name);
          return id;
        },
        async call(contactId) {
          const id = newId();
          contactOfCall.set(id, contactId);
          return id;
        },
        async recording(callId, recordingId, at) {
          const id = newId();
          recordings.add({ id, callId, recordingId, pbxCallId: `pbx-${callId}`, createdAt: at });
          return id;
        },
        startOf: async () => null,
        done: async () => {},
      };
    },
  },
];

const copy = (n: number) => ({
  storageKey: `recordings/${n}.mp3`,
  sizeBytes: 1000 * n,
  sha256: `${n}`.repeat(64).slice(0, 64),
  contentType: 'audio/mpeg',
});

describe.each(ADAPTERS)('RecordingRepository contract: $name', ({ open }) => {
  let v: Opened<Vault>;
  beforeAll(async () => {
    v = await open();
  });
  afterAll(async () => {
    await v?.done();
  });

  it('answers null for an unknown recording and for a call without one', async () => {
    expect(await v.recordings.get(newId())).toBeNull();
    expect(await v.recordings.latestForCall(await v.call(null))).toBeNull();
  });

  it('keeps a fetch outcome: stored with its copy, linked, failures counted until the last', async () => {
    const call = await v.call(null);
    const id = await v.recording(call, 'rec-outcome', '2026-03-01T09:00:00.000Z');
    expect(await v.recordings.get(id)).toMatchObject({
      id,
      callId: call,
      recordingId: 'rec-outcome',
      status: 'pending',
      attempts: 0,
      legalHold: false,
      storageKey: null,
      createdAt: '2026-03-01T09:00:00.000Z',
    });
    await v.recordings.noteFailure(id, `timeout ${'x'.repeat(600)}`, false);
    await v.recordings.noteFailure(id, 'reset', false);
    const retried = await v.recordings.get(id);
    expect(retried).toMatchObject({ status: 'pending', attempts: 2, lastError: 'reset' });
    await v.recordings.markStored(id, copy(3), '2026-03-01T09:01:00.000Z');
    expect(await v.recordings.get(id)).toMatchObject({
      status: 'stored',
      ...copy(3),
      storedAt: '2026-03-01T09:01:00.000Z',
      lastError: null,
      attempts: 2,
    });

    const failing = await v.recording(call, 'rec-failing', '2026-03-01T09:02:00.000Z');
    await v.recordings.noteFailure(failing, 'y'.repeat(600), true);
    const failed = await v.recordings.get(failing);
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
    // A long error is kept to its first 500 characters.
    expect(failed?.lastError).toBe('y'.repeat(500));

    const linked = await v.recording(await v.call(null), 'rec-linked', '2026-03-01T09:03:00.000Z');
    await v.recordings.markLinked(linked, '2026-03-01T09:04:00.000Z');
    expect(await v.recordings.get(linked)).toMatchObject({
      status: 'linked',
      storageKey: null,
      storedAt: '2026-03-01T09:04:00.000Z',
    });
  });

  it('gives a call’s latest recording that is not erased', async () => {
    const call = await v.call(null);
    const first = await v.recording(call, 'rec-first', '2026-03-02T09:00:00.000Z');
    const second = await v.recording(call, 'rec-second', '2026-03-02T09:05:00.000Z');
    expect((await v.recordings.latestForCall(call))?.id).toBe(second);
    await v.recordings.markErased(second, '2026-03-02T10:00:00.000Z');
    expect((await v.recordings.latestForCall(call))?.id).toBe(first);
    expect(await v.recordings.get(second)).toMatchObject({ status: 'deleted', storageKey: null });
    await v.recordings.markErased(first, '2026-03-02T10:00:00.000Z');
    expect(await v.recordings.latestForCall(call)).toBeNull();
  });

  it('lists a contact’s recordings oldest first, without erased ones nor other contacts’', async () => {
    const contact = await v.contact();
    const other = await v.contact();
    const later = await v.recording(await v.call(contact), 'rec-c2', '2026-03-03T10:00:00.000Z');
    const earlier = await v.recording(await v.call(contact), 'rec-c1', '2026-03-03T09:00:00.000Z');
    const erased = await v.recording(await v.call(contact), 'rec-c3', '2026-03-03T11:00:00.000Z');
    await v.recording(await v.call(other), 'rec-o1', '2026-03-03T09:30:00.000Z');
    await v.recording(await v.call(null), 'rec-n1', '2026-03-03T09:30:00.000Z');
    await v.recordings.markErased(erased, '2026-03-03T12:00:00.000Z');
    expect((await v.recordings.listForContact(contact)).map((r) => r.id)).toEqual([earlier, later]);
    expect(await v.recordings.listForContact(await v.contact())).toEqual([]);
  });

  it('lists copies for retention and the size cap oldest first, skipping held, linked and erased ones', async () => {
    const fresh = await open();
    try {
      const call = await fresh.call(null);
      const at = (day: number) => `2026-04-0${day}T09:00:00.000Z`;
      const ids: string[] = [];
      for (const day of [3, 1, 4, 2, 5]) {
        const id = await fresh.recording(call, `rec-day-${day}`, at(day));
        await fresh.recordings.markStored(id, copy(day), at(day));
        ids[day] = id;
      }
      const pending = await fresh.recording(call, 'rec-pending', at(1));
      expect(pending).toBeTruthy();
      await fresh.recordings.setLegalHold(ids[2] as string, true);
      expect((await fresh.recordings.get(ids[2] as string))?.legalHold).toBe(true);
      expect(await fresh.recordings.storedBytes()).toBe(15_000);

      const expired = await fresh.recordings.listExpired(at(4), 10);
      expect(expired.map((r) => r.id)).toEqual([ids[1], ids[3]]);
      expect((await fresh.recordings.listExpired(at(4), 1)).map((r) => r.id)).toEqual([ids[1]]);
      expect((await fresh.recordings.listOldestStored(10)).map((r) => r.id)).toEqual([
        ids[1],
        ids[3],
        ids[4],
        ids[5],
      ]);

      // Retention deletes our copy: the row stays, playable through a link, and no longer counts.
      await fresh.recordings.markCopyDeleted(ids[1] as string, at(6));
      expect(await fresh.recordings.get(ids[1] as string)).toMatchObject({
        status: 'linked',
        storageKey: null,
      });
      await fresh.recordings.markErased(ids[3] as string, at(6));
      expect(await fresh.recordings.storedBytes()).toBe(11_000);
      expect((await fresh.recordings.listOldestStored(2)).map((r) => r.id)).toEqual([ids[4], ids[5]]);
      // Off hold, the held copy is the oldest again.
      await fresh.recordings.setLegalHold(ids[2] as string, false);
      expect((await fresh.recordings.listOldestStored(1)).map((r) => r.id)).toEqual([ids[2]]);
    } finally {
      await fresh.done();
    }
  });

  it('audits listens newest first by time, with the user’s name or who else acted', async () => {
    const fresh = await open();
    try {
      const anna = await fresh.user('Anna');
      const call = await fresh.call(null);
      const line = (at: string, over: Partial<Parameters<RecordingRepository['audit']>[0]> = {}) => ({
        at,
        userId: anna,
        actor: { kind: 'user' as const, ref: anna },
        callId: call,
        recordingId: 'rec-a',
        action: 'play' as const,
        outcome: 'allowed' as const,
        ...over,
      });
      // Written out of time order: the list follows the lines' time, not the order they were written in.
      await fresh.recordings.audit(line('2026-05-01T09:10:00.000Z'), 'a-2');
      await fresh.recordings.audit(line('2026-05-01T09:00:00.000Z', { outcome: 'denied' }), 'a-1');
      await fresh.recordings.audit(
        line('2026-05-01T09:20:00.000Z', {
          userId: null,
          actor: { kind: 'api-client', ref: 'key-7' },
          action: 'download',
        }),
        'a-3',
      );
      const all = await fresh.recordings.listAudit({ limit: 10, offset: 0 });
      expect(all.total).toBe(3);
      expect(all.items.map((i) => i.id)).toEqual(['a-3', 'a-2', 'a-1']);
      expect(all.items[0]).toMatchObject({
        userId: null,
        userName: null,
        actorKind: 'api-client',
        actorRef: 'key-7',
        action: 'download',
        callId: call,
      });
      expect(all.items[1]).toMatchObject({
        userId: anna,
        userName: 'Anna',
        actorKind: 'user',
        actorRef: null,
        outcome: 'allowed',
      });
      const second = await fresh.recordings.listAudit({ limit: 1, offset: 1 });
      expect(second).toMatchObject({ total: 3, items: [{ id: 'a-2' }] });
    } finally {
      await fresh.done();
    }
  });

  it('knows whether the same user already listened since an instant (allowed lines of that action only)', async () => {
    const anna = await v.user('Anna');
    const boris = await v.user('Boris');
    const call = await v.call(null);
    const base = {
      userId: anna,
      actor: { kind: 'user' as const, ref: anna },
      callId: call,
      recordingId: null,
      action: 'play' as const,
    };
    await v.recordings.audit({ ...base, at: '2026-05-02T09:00:00.000Z', outcome: 'allowed' }, newId());
    await v.recordings.audit({ ...base, at: '2026-05-02T10:00:00.000Z', outcome: 'denied' }, newId());
    const asked = { callId: call, action: 'play' as const, userId: anna };
    expect(await v.recordings.auditedSince(asked, '2026-05-02T09:00:00.000Z')).toBe(true);
    expect(await v.recordings.auditedSince(asked, '2026-05-02T09:00:00.001Z')).toBe(false);
    expect(
      await v.recordings.auditedSince({ ...asked, action: 'download' }, '2026-05-02T00:00:00.000Z'),
    ).toBe(false);
    expect(await v.recordings.auditedSince({ ...asked, userId: boris }, '2026-05-02T00:00:00.000Z')).toBe(
      false,
    );
  });
});

describe.each(ADAPTERS)('TranscriptRepository and CallTranscriptSearch contract: $name', ({ open }) => {
  let v: Opened<Vault>;
  beforeAll(async () => {
    v = await open();
  });
  afterAll(async () => {
    await v?.done();
  });

  const said = (text: string) => [{ channel: 1, start: 0, end: 2.5, text }];

  it('keeps one transcript per recording, a repeat rewriting what was said', async () => {
    const call = await v.call(null);
    const recording = await v.recording(call, 'rec-t1', '2026-06-01T09:00:00.000Z');
    expect(await v.transcripts.forCall(call)).toBeNull();
    await v.transcripts.save(
      { recordingId: recording, callId: call, lang: 'fr', phrases: said('Bonjour, la facture') },
      '2026-06-01T09:10:00.000Z',
    );
    await v.transcripts.save(
      { recordingId: recording, callId: call, lang: 'fr', phrases: said('Bonjour, la livraison') },
      '2026-06-01T09:20:00.000Z',
    );
    expect(await v.transcripts.forCall(call)).toEqual({
      recordingId: recording,
      callId: call,
      lang: 'fr',
      phrases: said('Bonjour, la livraison'),
    });
    expect((await v.transcripts.callsSaying('LIVRAISON', 10)).map((c) => c.callId)).toEqual([call]);
    expect((await v.transcripts.callsSaying('facture', 10)).map((c) => c.callId)).toEqual([]);
    expect(await v.transcripts.forCall(await v.call(null))).toBeNull();
  });

  it("answers the latest recording's transcript, whichever transcript was saved last, and none while it has none", async () => {
    const call = await v.call(null);
    const first = await v.recording(call, 'rec-leg1', '2026-06-03T09:00:00.000Z');
    const second = await v.recording(call, 'rec-leg2', '2026-06-03T09:05:00.000Z');
    await v.transcripts.save(
      { recordingId: first, callId: call, lang: 'en', phrases: said('first leg') },
      '2026-06-03T09:10:00.000Z',
    );
    // The first leg's audio is not what the call page plays: its words are not the call's transcript.
    expect(await v.transcripts.forCall(call)).toBeNull();
    await v.transcripts.save(
      { recordingId: second, callId: call, lang: 'en', phrases: said('second leg') },
      '2026-06-03T09:20:00.000Z',
    );
    // The first leg's transcript saved again later (a job's retry) does not make it current.
    await v.transcripts.save(
      { recordingId: first, callId: call, lang: 'en', phrases: said('first leg') },
      '2026-06-03T09:30:00.000Z',
    );
    expect(await v.transcripts.forCall(call)).toMatchObject({
      recordingId: second,
      phrases: said('second leg'),
    });
  });

  it('finds calls by what was said, newest first, up to a limit, taking % and _ literally', async () => {
    const calls: string[] = [];
    for (const [i, text] of ['the 100% refund', 'refund_policy', 'a full refund'].entries()) {
      const call = await v.call(null);
      const recording = await v.recording(call, `rec-s${i}`, `2026-06-02T09:0${i}:00.000Z`);
      await v.transcripts.save(
        { recordingId: recording, callId: call, lang: 'en', phrases: said(text) },
        `2026-06-02T09:0${i}:30.000Z`,
      );
      calls.push(call);
    }
    expect((await v.transcripts.callsSaying('refund', 10)).map((c) => c.callId)).toEqual([
      calls[2],
      calls[1],
      calls[0],
    ]);
    expect((await v.transcripts.callsSaying('refund', 2)).map((c) => c.callId)).toEqual([calls[2], calls[1]]);
    expect((await v.transcripts.callsSaying('100%', 10)).map((c) => c.callId)).toEqual([calls[0]]);
    expect((await v.transcripts.callsSaying('d_p', 10)).map((c) => c.callId)).toEqual([calls[1]]);
    expect((await v.transcripts.callsSaying('0% r', 10)).map((c) => c.callId)).toEqual([calls[0]]);
  });

  it('names a call once however many of its transcripts say it, with a start it cannot have started after', async () => {
    const call = await v.call(null);
    for (const [i, at] of ['2026-06-04T09:00:00.000Z', '2026-06-04T09:05:00.000Z'].entries()) {
      const recording = await v.recording(call, `rec-b${i}`, at);
      await v.transcripts.save(
        { recordingId: recording, callId: call, lang: 'en', phrases: said('parcel tracking') },
        at,
      );
    }
    const found = await v.transcripts.callsSaying('parcel tracking', 10);
    expect(found.map((c) => c.callId)).toEqual([call]);
    // The call's start when the transcripts were saved: a start only moves earlier, so it bounds the start for good.
    expect(found[0]?.startedAtMost).toBe(await v.startOf(call));
  });

  it('forgets the transcript of an erased recording, for the call and for the search', async () => {
    const call = await v.call(null);
    const recording = await v.recording(call, 'rec-erased', '2026-06-03T09:00:00.000Z');
    await v.transcripts.save(
      { recordingId: recording, callId: call, lang: 'en', phrases: said('my card number is secret') },
      '2026-06-03T09:10:00.000Z',
    );
    expect((await v.transcripts.callsSaying('card number', 10)).map((c) => c.callId)).toEqual([call]);
    await v.recordings.markErased(recording, '2026-06-03T10:00:00.000Z');
    expect(await v.transcripts.forCall(call)).toBeNull();
    expect((await v.transcripts.callsSaying('card number', 10)).map((c) => c.callId)).toEqual([]);
  });
});
