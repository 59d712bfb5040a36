/**
 * The recordings vault end to end, on both databases, against the simulator: NOTIFY_RECORD → fetch job (through
 * Zadarma's 5xx, 429 and a download cut halfway) → our copy; playback with Range, the call-reading rule (403 and
 * audited), the audit admins read, link-only mode, and a call with no recording. Transcripts Zadarma posts:
 * recordings-transcripts.test.ts.
 */
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createWav } from '@switchboard/zadarma-sim';
import { describe, expect, it } from 'vitest';
import { type Actor, systemActor } from '../../platform/auth/actor.js';
import { TEST_DIALECTS } from '../../test-support/test-database.js';
import type { CallRecording } from './ports.js';
import { placeRecordedCall, type RecordedCallInput, until } from './test-support/recordings-harness.js';
import { seedContact } from './test-support/seed-crm.js';
import { useTelephonyTest } from './test-support/test-telephony.js';
import { applyRecordingRetention, recordingStorage } from './use-cases/apply-recording-retention.js';
import { FETCH_RECORDING_JOB } from './use-cases/fetch-call-recording.js';
import { openCallRecording } from './use-cases/play-call-recording.js';

describe.each(TEST_DIALECTS)('the recordings vault on %s', (dialect) => {
  const t = useTelephonyTest(dialect, { jobs: true });

  const recordedCall = (input: RecordedCallInput) => placeRecordedCall(t, input);

  function settled(callId: string, status: CallRecording['status']) {
    return until(async () => {
      const recording = await t.live.vault.recordings.latestForCall(callId);
      return recording?.status === status ? recording : null;
    }, `recording of ${callId} ${status}`);
  }

  /** How many recording links the server asked the simulator for this recording (its REST log). */
  async function linkRequests(recordingId: string): Promise<number> {
    const log = (await (await fetch(`${t.sim.url}/_sim/requests`)).json()) as {
      method: string;
      path: string;
      params?: Record<string, string>;
      status: number;
    }[];
    return log.filter(
      (r) =>
        r.method === 'GET' &&
        r.path.includes('pbx/record/request') &&
        JSON.stringify(r).includes(recordingId),
    ).length;
  }

  let copied: { callId: string; wav: Buffer };

  it('copies a recording into the store through a 503, a 429 and a download cut halfway, never keeping half', async () => {
    t.sim.setFaults({
      rest: [
        { path: 'pbx/record/request', status: 503, count: 1 },
        { path: 'pbx/record/request', status: 429, count: 1 },
      ],
      cutDownloads: 1,
    });
    const { callId, recordingId } = await recordedCall({ answer: '101', talkSeconds: 3 });
    expect(recordingId).not.toBeNull();
    const stored = await settled(callId, 'stored');
    const wav = createWav({ seconds: t.sim.data.recordings.get(recordingId as string)?.seconds ?? -1 });
    expect(stored.sizeBytes).toBe(wav.length);
    expect(stored.sha256).toBe(createHash('sha256').update(wav).digest('hex'));
    expect(stored.contentType).toBe('audio/wav');
    // Three failed attempts (503, 429, the cut download), each counted; nothing half-written remains.
    expect(stored.attempts).toBe(3);
    expect(readdirSync(join(t.dataDir, 'recordings'))).toEqual([stored.storageKey]);
    copied = { callId, wav };
  });

  it('marks a recording Zadarma does not have failed after one request, and the job ends without retrying', async () => {
    const { callId, pbxCallId } = await recordedCall({ answer: '101', talkSeconds: 1, record: false });
    const gone = `rec-gone-${dialect}`;
    await t.database.db
      .insertInto('call_recordings')
      .values({
        id: `row-${gone}`,
        call_id: callId,
        pbx_call_id: pbxCallId,
        recording_id: gone,
        status: 'pending',
        storage_key: null,
        size_bytes: null,
        sha256: null,
        content_type: null,
        legal_hold: 0,
        attempts: 0,
        last_error: null,
        created_at: new Date().toISOString(),
        stored_at: null,
        deleted_at: null,
      })
      .execute();
    const job = await t.jobs?.enqueue(
      FETCH_RECORDING_JOB,
      { recordingRowId: `row-${gone}` },
      { maxAttempts: 5 },
    );
    const done = await until(async () => {
      const record = await t.jobs?.get(job?.id ?? '');
      return record && (record.status === 'done' || record.status === 'dead') ? record : null;
    }, 'the fetch job finished');
    expect(done).toMatchObject({ status: 'done', attempts: 1 });
    const failed = await settled(callId, 'failed');
    expect(failed).toMatchObject({ attempts: 1, lastError: expect.stringMatching(/no recording/) });
    expect(await linkRequests(gone)).toBe(1);
    const summary = await t.as(t.agent1, { method: 'GET', url: `/api/calls/${callId}/recording/summary` });
    expect(summary.json()).toMatchObject({ available: false, status: 'failed' });
  });

  it('plays the recording to the agent who took the call, with byte ranges for seeking, and as a download', async () => {
    const { callId, wav } = copied;
    const summary = await t.as(t.agent1, { method: 'GET', url: `/api/calls/${callId}/recording/summary` });
    expect(summary.json()).toEqual({
      available: true,
      status: 'stored',
      sizeBytes: wav.length,
      contentType: 'audio/wav',
      legalHold: false,
    });
    const whole = await t.as(t.agent1, { method: 'GET', url: `/api/calls/${callId}/recording` });
    expect(whole.statusCode).toBe(200);
    expect(whole.headers['accept-ranges']).toBe('bytes');
    expect(whole.rawPayload.equals(wav)).toBe(true);
    const head = await t.as(t.agent1, {
      method: 'GET',
      url: `/api/calls/${callId}/recording`,
      headers: { range: 'bytes=0-99' },
    });
    expect(head.statusCode).toBe(206);
    expect(head.headers['content-range']).toBe(`bytes 0-99/${wav.length}`);
    expect(head.rawPayload.equals(wav.subarray(0, 100))).toBe(true);
    const seek = await t.as(t.agent1, {
      method: 'GET',
      url: `/api/calls/${callId}/recording`,
      headers: { range: 'bytes=20000-' },
    });
    expect(seek.statusCode).toBe(206);
    expect(seek.rawPayload.equals(wav.subarray(20000))).toBe(true);
    const beyond = await t.as(t.agent1, {
      method: 'GET',
      url: `/api/calls/${callId}/recording`,
      headers: { range: `bytes=${wav.length}-` },
    });
    expect(beyond.statusCode).toBe(416);
    expect(beyond.headers['content-range']).toBe(`bytes */${wav.length}`);
    const download = await t.as(t.agent1, {
      method: 'GET',
      url: `/api/calls/${callId}/recording?download=1`,
    });
    expect(download.headers['content-disposition']).toBe(`attachment; filename="call-${callId}.wav"`);
    expect(download.rawPayload.equals(wav)).toBe(true);
  });

  it('refuses another agent with 403, writes the refusal in the audit, and shows admins who listened', async () => {
    const { callId } = copied;
    const refused = await t.as(t.agent2, { method: 'GET', url: `/api/calls/${callId}/recording` });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('SB_ERR_FORBIDDEN');
    const notForAgents = await t.as(t.agent1, { method: 'GET', url: '/api/admin/recordings-audit' });
    expect(notForAgents.statusCode).toBe(403);
    const audit = await t.as(t.admin, { method: 'GET', url: '/api/admin/recordings-audit' });
    expect(audit.statusCode).toBe(200);
    const lines = (
      audit.json() as { items: { userName: string; callId: string; action: string; outcome: string }[] }
    ).items.map((i) => [i.userName, i.callId, i.action, i.outcome]);
    // Newest first. One listen is one line: the second fetch from byte 0, the seek (bytes=20000-) and the 416
    // within the same ten minutes are not lines of their own; a refusal always is.
    expect(lines).toEqual([
      ['Tom Two', callId, 'play', 'denied'],
      ['Olga One', callId, 'download', 'allowed'],
      ['Olga One', callId, 'play', 'allowed'],
    ]);
  });

  it('writes a line for each access with no user behind it, never merging them into one listen', async () => {
    const { callId } = copied;
    const linesOfNobody = async () =>
      (
        await t.database.db
          .selectFrom('recording_audit')
          .select('id')
          .where('call_id', '=', callId)
          .where('user_id', 'is', null)
          .execute()
      ).length;
    const before = await linesOfNobody();
    for (const reason of ['export', 'export', 'another job']) {
      const playable = await openCallRecording(t.live.vault.playback, systemActor(reason), {
        callId,
        action: 'download',
        audited: true,
      });
      await playable.close();
    }
    expect((await linesOfNobody()) - before).toBe(3);
    // An integration's key is named on its line, a refusal too (no rule grants an API client a call yet).
    const integration: Actor = { kind: 'api-client', id: 'key-7f3a', scopes: ['calls:read'] };
    await expect(
      openCallRecording(t.live.vault.playback, integration, { callId, action: 'play', audited: true }),
    ).rejects.toMatchObject({ code: 'SB_ERR_FORBIDDEN' });
    const audit = await t.as(t.admin, { method: 'GET', url: '/api/admin/recordings-audit?pageSize=4' });
    expect(audit.statusCode).toBe(200);
    const lines = (
      audit.json() as {
        items: {
          userId: string | null;
          actorKind: string | null;
          actorRef: string | null;
          outcome: string;
        }[];
      }
    ).items;
    // The four newest lines (lines of one millisecond may come in either order).
    expect(lines.map((l) => [l.userId, l.actorKind, l.actorRef, l.outcome].join(' ')).sort()).toEqual([
      ' api-client key-7f3a denied',
      ' system another job allowed',
      ' system export allowed',
      ' system export allowed',
    ]);
  });

  it("keeps Zadarma's transcript of the recording, by speaker, and finds the call by what was said", async () => {
    const { callId } = copied;
    type Transcript = {
      lang: string;
      phrases: { speaker: string; text: string; start: number; end: number }[];
    };
    const transcript = await until<Transcript>(async () => {
      const read = await t.as(t.agent1, { method: 'GET', url: `/api/calls/${callId}/transcript` });
      return read.json().available ? (read.json() as Transcript) : null;
    }, 'the transcript');
    expect(transcript.lang).toBe('en-EN');
    const phrases = transcript.phrases;
    expect(phrases.map((p) => p.speaker)).toEqual(['agent', 'client', 'agent', 'client', 'agent', 'client']);
    expect(phrases[0]?.text).toBe('hello thank you for calling how can I help you');
    expect(
      phrases.every((p, i) => p.end >= p.start && (i === 0 || p.start >= (phrases[i - 1]?.start ?? 0))),
    ).toBe(true);
    const refused = await t.as(t.agent2, { method: 'GET', url: `/api/calls/${callId}/transcript` });
    expect(refused.statusCode).toBe(404);
    const search = t.live.vault.transcripts;
    expect((await search.callsSaying('More About YOUR offer', 50)).map((c) => c.callId)).toContain(callId);
    expect((await search.callsSaying('nobody said this', 50)).map((c) => c.callId)).toEqual([]);
    // LIKE's wildcards are the user's characters, not patterns.
    expect((await search.callsSaying('%', 50)).map((c) => c.callId)).toEqual([]);
    expect((await search.callsSaying('_', 50)).map((c) => c.callId)).toEqual([]);
  });

  it('says so for a call with no recording instead of serving a broken file', async () => {
    const { callId, recordingId } = await recordedCall({ answer: '101', talkSeconds: 2, record: false });
    expect(recordingId).toBeNull();
    const summary = await t.as(t.agent1, { method: 'GET', url: `/api/calls/${callId}/recording/summary` });
    expect(summary.json()).toMatchObject({ available: false, status: 'none' });
    const play = await t.as(t.agent1, { method: 'GET', url: `/api/calls/${callId}/recording` });
    expect(play.statusCode).toBe(404);
    expect(play.json().error.code).toBe('SB_ERR_NO_RECORDING');
  });

  it('in link-only mode keeps no copy and plays through a fresh link', async () => {
    const set = await t.as(t.admin, {
      method: 'PUT',
      url: '/api/recordings/settings',
      payload: { mode: 'link' },
    });
    expect(set.json()).toMatchObject({ mode: 'link', retentionDays: 0, maxStorageMb: 0 });
    const { callId, recordingId } = await recordedCall({ answer: '101', talkSeconds: 2 });
    const linked = await settled(callId, 'linked');
    expect(linked.storageKey).toBeNull();
    const wav = createWav({ seconds: t.sim.data.recordings.get(recordingId as string)?.seconds ?? -1 });
    const play = await t.as(t.agent1, {
      method: 'GET',
      url: `/api/calls/${callId}/recording`,
      headers: { range: 'bytes=44-143' },
    });
    expect(play.statusCode).toBe(206);
    expect(play.rawPayload.equals(wav.subarray(44, 144))).toBe(true);
    expect(readdirSync(join(t.dataDir, 'recordings'))).toHaveLength(1);
    await t.as(t.admin, { method: 'PUT', url: '/api/recordings/settings', payload: { mode: 'copy' } });
  });

  it('in link-only mode streams the range asked through a fresh link, asks again for an expired one, and resumes a download cut halfway', async () => {
    await t.as(t.admin, { method: 'PUT', url: '/api/recordings/settings', payload: { mode: 'link' } });
    try {
      const { callId, recordingId } = await recordedCall({ answer: '101', talkSeconds: 5 });
      await settled(callId, 'linked');
      const wav = createWav({ seconds: t.sim.data.recordings.get(recordingId as string)?.seconds ?? -1 });
      const links = () => linkRequests(recordingId as string);
      const before = await links();
      // The link handed out has expired by the time it is used: a fresh one is asked for, the seek still works.
      t.sim.setFaults({ expiredLinks: 1 });
      const seek = await t.as(t.agent1, {
        method: 'GET',
        url: `/api/calls/${callId}/recording`,
        headers: { range: 'bytes=30000-30999' },
      });
      expect(seek.statusCode).toBe(206);
      expect(seek.headers['content-range']).toBe(`bytes 30000-30999/${wav.length}`);
      expect(seek.rawPayload.equals(wav.subarray(30000, 31000))).toBe(true);
      expect((await links()) - before).toBe(2);
      // Zadarma's download breaks off halfway: the listener still gets every byte, resumed on a fresh link.
      t.sim.setFaults({ cutDownloads: 1 });
      const whole = await t.as(t.agent1, { method: 'GET', url: `/api/calls/${callId}/recording` });
      expect(whole.statusCode).toBe(200);
      expect(whole.headers['content-length']).toBe(String(wav.length));
      expect(whole.rawPayload.equals(wav)).toBe(true);
      // An open-ended seek and a suffix: what a player sends.
      const tail = await t.as(t.agent1, {
        method: 'GET',
        url: `/api/calls/${callId}/recording`,
        headers: { range: 'bytes=-100' },
      });
      expect(tail.statusCode).toBe(206);
      expect(tail.rawPayload.equals(wav.subarray(wav.length - 100))).toBe(true);
      const beyond = await t.as(t.agent1, {
        method: 'GET',
        url: `/api/calls/${callId}/recording`,
        headers: { range: `bytes=${wav.length}-` },
      });
      expect(beyond.statusCode).toBe(416);
      // Zadarma's 429: refused with the catalogue's error after one request, never hammered again at once.
      const beforeLimited = await links();
      t.sim.setFaults({ rest: [{ path: 'pbx/record/request', status: 429, count: 2 }] });
      const limited = await t.as(t.agent1, {
        method: 'GET',
        url: `/api/calls/${callId}/recording`,
        headers: { range: 'bytes=0-99' },
      });
      expect(limited.statusCode).toBe(429);
      expect(limited.json().error.code).toBe('SB_ERR_ZADARMA_RATE_LIMITED');
      expect((await links()) - beforeLimited).toBe(1);
    } finally {
      t.sim.setFaults({});
      await t.as(t.admin, { method: 'PUT', url: '/api/recordings/settings', payload: { mode: 'copy' } });
    }
  });

  it("erases a contact's recordings from our store and from Zadarma, keeps one on legal hold, and says what it did", async () => {
    const from = '+33611223344';
    const contactId = await seedContact(t.database.db, { displayName: 'Erin Erase', phones: [from] });
    const first = await recordedCall({ answer: '101', talkSeconds: 2, from });
    const held = await recordedCall({ answer: '101', talkSeconds: 2, from });
    const stored = await settled(first.callId, 'stored');
    await settled(held.callId, 'stored');
    const hold = await t.as(t.admin, {
      method: 'PUT',
      url: `/api/calls/${held.callId}/recording/legal-hold`,
      payload: { hold: true },
    });
    expect(hold.json()).toEqual({ legalHold: true });
    const agentHold = await t.as(t.agent1, {
      method: 'PUT',
      url: `/api/calls/${held.callId}/recording/legal-hold`,
      payload: { hold: false },
    });
    expect(agentHold.statusCode).toBe(403);
    const notForAgents = await t.as(t.agent1, {
      method: 'POST',
      url: `/api/contacts/${contactId}/recordings/erase`,
    });
    expect(notForAgents.statusCode).toBe(403);

    // What was said in it is searchable until the erasure.
    await until(() => t.live.vault.transcripts.forCall(first.callId), 'the transcript before erasure');
    expect(
      (await t.live.vault.transcripts.callsSaying('more about your offer', 10_000)).map((c) => c.callId),
    ).toContain(first.callId);
    const erased = await t.as(t.admin, {
      method: 'POST',
      url: `/api/contacts/${contactId}/recordings/erase`,
    });
    expect(erased.statusCode).toBe(200);
    expect(erased.json()).toMatchObject({
      recordings: 2,
      ourCopiesDeleted: 1,
      zadarmaDeleted: 1,
      zadarmaAbsent: 0,
      heldBack: 1,
      failed: 0,
    });
    // Both copies are gone: ours from the disk, Zadarma's from its storage (the simulator's record is deleted).
    expect(readdirSync(join(t.dataDir, 'recordings'))).not.toContain(stored.storageKey);
    expect(t.sim.data.recordings.get(first.recordingId as string)?.deleted).toBe(true);
    expect(t.sim.data.recordings.get(held.recordingId as string)?.deleted).toBe(false);
    // Its transcript went with it: no longer shown, no longer found by what was said.
    expect(await t.live.vault.transcripts.forCall(first.callId)).toBeNull();
    expect(
      (await t.live.vault.transcripts.callsSaying('more about your offer', 10_000)).map((c) => c.callId),
    ).not.toContain(first.callId);
    const gone = await t.as(t.admin, { method: 'GET', url: `/api/calls/${first.callId}/recording/summary` });
    expect(gone.json()).toMatchObject({ available: false, status: 'none' });
    const play = await t.as(t.admin, { method: 'GET', url: `/api/calls/${held.callId}/recording` });
    expect(play.statusCode).toBe(200);
    // A second run finds nothing left to erase but the held one.
    const again = await t.as(t.admin, { method: 'POST', url: `/api/contacts/${contactId}/recordings/erase` });
    expect(again.json()).toMatchObject({ recordings: 1, heldBack: 1 });
  });

  it("erases our side at once when Zadarma's delete fails, says so, and retries Zadarma's delete until it is done", async () => {
    const from = '+33611223355';
    const contactId = await seedContact(t.database.db, { displayName: 'Fay Failing', phones: [from] });
    const call = await recordedCall({ answer: '101', talkSeconds: 2, from });
    const stored = await settled(call.callId, 'stored');
    t.sim.setFaults({ rest: [{ path: 'pbx/record/request', status: 503, count: 1 }] });
    try {
      const erased = await t.as(t.admin, {
        method: 'POST',
        url: `/api/contacts/${contactId}/recordings/erase`,
      });
      expect(erased.json()).toMatchObject({
        recordings: 1,
        ourCopiesDeleted: 1,
        zadarmaDeleted: 0,
        failed: 1,
      });
      expect(erased.json().items).toEqual([
        expect.objectContaining({ ourCopy: 'deleted', zadarma: 'failed', error: expect.any(String) }),
      ]);
      expect(readdirSync(join(t.dataDir, 'recordings'))).not.toContain(stored.storageKey);
      const summary = await t.as(t.admin, {
        method: 'GET',
        url: `/api/calls/${call.callId}/recording/summary`,
      });
      expect(summary.json()).toMatchObject({ available: false, status: 'none' });
      // The job retries Zadarma's delete: the simulator's file goes.
      await until(
        async () => (t.sim.data.recordings.get(call.recordingId as string)?.deleted ? true : null),
        "Zadarma's file deleted by the retry",
      );
    } finally {
      t.sim.setFaults({});
    }
  });

  it('deletes the oldest copies over the size cap, then those past the retention period, never one on legal hold', async () => {
    const older = await recordedCall({ answer: '101', talkSeconds: 2 });
    const newer = await recordedCall({ answer: '101', talkSeconds: 2 });
    await settled(older.callId, 'stored');
    const newest = await settled(newer.callId, 'stored');
    const { recordings } = t.live.vault;
    const store = t.live.vault.playback.store;
    const stored = async () =>
      (
        await t.database.db
          .selectFrom('call_recordings')
          .select(['call_id', 'legal_hold', 'created_at'])
          .where('status', '=', 'stored')
          .orderBy('created_at')
          .execute()
      ).map((r) => ({ callId: r.call_id, held: Number(r.legal_hold) === 1 }));
    const before = await stored();
    const oldestFree = before.find((r) => !r.held)?.callId;
    const total = await recordings.storedBytes();
    // The warning comes before any deletion: at 90 % of the cap.
    expect((await recordingStorage(recordings, { retentionDays: 0, maxStorageBytes: total })).nearCap).toBe(
      true,
    );
    expect(
      (await recordingStorage(recordings, { retentionDays: 0, maxStorageBytes: total * 2 })).nearCap,
    ).toBe(false);
    const warnings: string[] = [];
    const ports = {
      recordings,
      store,
      clock: { now: () => Date.now() },
      warn: (m: string) => warnings.push(m),
    };
    const capped = await applyRecordingRetention(ports, { retentionDays: 0, maxStorageBytes: total - 1 });
    expect(capped).toEqual({ expired: 0, overCap: 1 });
    expect(warnings).toHaveLength(2);
    const afterCap = await stored();
    expect(afterCap.map((r) => r.callId)).toEqual(
      before.map((r) => r.callId).filter((id) => id !== oldestFree),
    );
    // The deleted copy still plays, through a fresh Zadarma link.
    const play = await t.as(t.admin, { method: 'GET', url: `/api/calls/${oldestFree}/recording` });
    expect(play.statusCode).toBe(200);

    const later = { ...ports, clock: { now: () => Date.now() + 2 * 86_400_000 } };
    const expired = await applyRecordingRetention(later, { retentionDays: 1, maxStorageBytes: 0 });
    expect(expired.expired).toBe(afterCap.filter((r) => !r.held).length);
    const left = await stored();
    expect(left.length).toBeGreaterThan(0);
    expect(left.every((r) => r.held)).toBe(true);
    expect(readdirSync(join(t.dataDir, 'recordings'))).not.toContain(newest.storageKey);
  });

  it('registers one recording and one fetch for a NOTIFY_RECORD delivered twice', async () => {
    const twice = await t.extraSimulator({ duplicateEvents: true });
    const { pbxCallId } = twice.placeInbound({
      from: '+33612345679',
      to: '442037691999',
      answer: '101',
      talkSeconds: 2,
    });
    await t.settle(twice, pbxCallId);
    const call = await t.live.adapters.calls.get(pbxCallId);
    // The extra simulator's links point at itself: its recording is fetched from there.
    await until(async () => {
      const rows = await t.database.db
        .selectFrom('call_recordings')
        .selectAll()
        .where('pbx_call_id', '=', pbxCallId)
        .execute();
      return rows.length > 0 ? rows : null;
    }, 'the recording row');
    const rows = await t.database.db
      .selectFrom('call_recordings')
      .select('id')
      .where('call_id', '=', call?.id ?? '')
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('warns admins on the settings page once the copies pass 90 % of the size cap, before the cap deletes any', async () => {
    type Settings = { storage: { storedBytes: number; maxStorageBytes: number; nearCap: boolean } };
    const MB = 1024 * 1024;
    const storage = async () =>
      ((await t.as(t.admin, { method: 'GET', url: '/api/recordings/settings' })).json() as Settings).storage;
    const already = await storage();
    expect(already).toMatchObject({ maxStorageBytes: 0, nearCap: false });
    // A call long enough to bring the copies to about 95 % of a cap (8 kHz 16-bit audio: 16 000 bytes a second).
    const cap = Math.ceil(already.storedBytes / MB) + 2;
    const talkSeconds = Math.round((0.95 * cap * MB - already.storedBytes) / 16_000);
    const { callId } = await recordedCall({ answer: '101', talkSeconds });
    await settled(callId, 'stored');
    const stored = (await storage()).storedBytes;
    expect(stored).toBeGreaterThanOrEqual(0.9 * cap * MB);
    expect(stored).toBeLessThan(cap * MB);
    // Within 10 % of the cap: warned, nothing deleted (the nightly job deletes, not the setting).
    const near = await t.as(t.admin, {
      method: 'PUT',
      url: '/api/recordings/settings',
      payload: { maxStorageMb: cap },
    });
    expect((near.json() as Settings).storage).toEqual({
      storedBytes: stored,
      maxStorageBytes: cap * MB,
      nearCap: true,
    });
    expect((await t.live.vault.recordings.latestForCall(callId))?.status).toBe('stored');
    // Far from a larger cap: no warning. Agents never see the vault's settings.
    const far = await t.as(t.admin, {
      method: 'PUT',
      url: '/api/recordings/settings',
      payload: { maxStorageMb: cap * 4 },
    });
    expect((far.json() as Settings).storage.nearCap).toBe(false);
    expect((await t.as(t.agent1, { method: 'GET', url: '/api/recordings/settings' })).statusCode).toBe(403);
    await t.as(t.admin, { method: 'PUT', url: '/api/recordings/settings', payload: { maxStorageMb: 0 } });
  });
});
