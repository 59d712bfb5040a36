/**
 * The `RecordingNotices` contract: the Kysely notices (both dialects) and the in-memory ones register a recording
 * once per call and recording, keep a transcript on the recording it names, park one that comes before its
 * NOTIFY_RECORD (Zadarma's order is not guaranteed, §5.7) and ignore one for an erased recording. Both are read back
 * through the vault's repositories.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../platform/ids.js';
import type {
  RecordingNotices,
  RecordingRepository,
  TranscriptNotice,
  TranscriptRepository,
} from '../ports.js';
import { type Opened, onEveryDialect } from '../test-support/contract-adapters.js';
import { insertTestCall } from '../test-support/test-calls.js';
import { createInMemoryRecordingNotices } from './in-memory-webhook-path.js';
import {
  createKyselyRecordingNotices,
  createKyselyRecordingRepository,
  createKyselyTranscriptRepository,
} from './kysely-recording-repository.js';

interface Notices {
  readonly notices: RecordingNotices;
  readonly recordings: RecordingRepository;
  readonly transcripts: TranscriptRepository;
  /** A call to hang recordings on; its id. */
  call(): Promise<string>;
}

const ADAPTERS = [
  ...onEveryDialect<Notices>(({ db }) => ({
    notices: createKyselyRecordingNotices(db, null),
    recordings: createKyselyRecordingRepository(db),
    transcripts: createKyselyTranscriptRepository(db),
    call: () => insertTestCall(db, { agentUserId: null, contactId: null }),
  })),
  {
    name: 'in-memory',
    async open(): Promise<Opened<Notices>> {
      const notices = createInMemoryRecordingNotices();
      return { ...notices, notices, call: async () => newId(), done: async () => {} };
    },
  },
];

const said = (text: string) => [{ channel: 1, start: 0, end: 1.5, text }];

function transcript(over: Partial<TranscriptNotice> & { readonly text: string }): TranscriptNotice {
  const { text, ...rest } = over;
  return {
    recordingId: null,
    pbxCallId: null,
    lang: 'fr',
    phrases: said(text),
    receivedAt: '2026-07-01T09:30:00.000Z',
    ...rest,
  };
}

describe.each(ADAPTERS)('RecordingNotices contract: $name', ({ open }) => {
  let v: Opened<Notices>;
  beforeAll(async () => {
    v = await open();
  });
  afterAll(async () => {
    await v?.done();
  });

  it('registers a pending recording once per call and recording', async () => {
    const call = await v.call();
    const notice = {
      callId: call,
      pbxCallId: `pbx-${call}`,
      recordingId: 'rec-once',
      at: '2026-07-01T09:00:00.000Z',
    };
    await v.notices.recordingReady(notice);
    await v.notices.recordingReady({ ...notice, at: '2026-07-01T09:05:00.000Z' });
    const row = await v.recordings.latestForCall(call);
    expect(row).toMatchObject({
      callId: call,
      pbxCallId: `pbx-${call}`,
      recordingId: 'rec-once',
      status: 'pending',
      attempts: 0,
      createdAt: '2026-07-01T09:00:00.000Z',
    });
    // The repeat added no second row: once this one is erased, the call has none.
    await v.recordings.markErased(row?.id as string, '2026-07-01T10:00:00.000Z');
    expect(await v.recordings.latestForCall(call)).toBeNull();
  });

  it('saves a transcript on the recording it names, a repeat rewriting it', async () => {
    const call = await v.call();
    await v.notices.recordingReady({
      callId: call,
      pbxCallId: `pbx-${call}`,
      recordingId: 'rec-named',
      at: '2026-07-02T09:00:00.000Z',
    });
    const row = await v.recordings.latestForCall(call);
    expect(await v.notices.transcriptReady(transcript({ recordingId: 'rec-named', text: 'Bonjour' }))).toBe(
      'saved',
    );
    expect(
      await v.notices.transcriptReady(
        transcript({ recordingId: 'rec-named', pbxCallId: `pbx-${call}`, lang: 'en', text: 'Hello' }),
      ),
    ).toBe('saved');
    expect(await v.transcripts.forCall(call)).toEqual({
      recordingId: row?.id,
      callId: call,
      lang: 'en',
      phrases: said('Hello'),
    });
  });

  it('saves a transcript naming only the call on the call’s latest recording', async () => {
    const call = await v.call();
    const pbxCallId = `pbx-${call}`;
    await v.notices.recordingReady({
      callId: call,
      pbxCallId,
      recordingId: 'rec-early',
      at: '2026-07-03T09:00:00.000Z',
    });
    await v.notices.recordingReady({
      callId: call,
      pbxCallId,
      recordingId: 'rec-late',
      at: '2026-07-03T09:10:00.000Z',
    });
    expect(await v.notices.transcriptReady(transcript({ pbxCallId, text: 'the later one' }))).toBe('saved');
    const latest = await v.recordings.latestForCall(call);
    expect(latest?.recordingId).toBe('rec-late');
    expect(await v.transcripts.forCall(call)).toMatchObject({
      recordingId: latest?.id,
      phrases: said('the later one'),
    });
  });

  it('parks a transcript that names both ids until both match a recording', async () => {
    const call = await v.call();
    await v.notices.recordingReady({
      callId: call,
      pbxCallId: `pbx-${call}`,
      recordingId: 'rec-both',
      at: '2026-07-04T09:00:00.000Z',
    });
    // The recording id is known, but under another call: not this recording.
    expect(
      await v.notices.transcriptReady(
        transcript({ recordingId: 'rec-both', pbxCallId: 'pbx-someone-else', text: 'no' }),
      ),
    ).toBe('parked');
    expect(await v.transcripts.forCall(call)).toBeNull();
  });

  it('parks a transcript before its NOTIFY_RECORD and keeps the latest on the recording once registered', async () => {
    const call = await v.call();
    const at = (minute: number) => `2026-07-05T09:${String(minute).padStart(2, '0')}:00.000Z`;
    expect(
      await v.notices.transcriptReady(
        transcript({ recordingId: 'rec-parked', text: 'first try', receivedAt: at(1) }),
      ),
    ).toBe('parked');
    expect(
      await v.notices.transcriptReady(
        transcript({ recordingId: 'rec-parked', text: 'second try', receivedAt: at(2) }),
      ),
    ).toBe('parked');
    expect(await v.transcripts.forCall(call)).toBeNull();
    await v.notices.recordingReady({
      callId: call,
      pbxCallId: `pbx-${call}`,
      recordingId: 'rec-parked',
      at: at(3),
    });
    const row = await v.recordings.latestForCall(call);
    expect(await v.transcripts.forCall(call)).toEqual({
      recordingId: row?.id,
      callId: call,
      lang: 'fr',
      phrases: said('second try'),
    });

    // Parked by the call alone, it lands on that call's recording too.
    const other = await v.call();
    expect(
      await v.notices.transcriptReady(
        transcript({ pbxCallId: `pbx-${other}`, text: 'by call', receivedAt: at(4) }),
      ),
    ).toBe('parked');
    await v.notices.recordingReady({
      callId: other,
      pbxCallId: `pbx-${other}`,
      recordingId: 'rec-by-call',
      at: at(5),
    });
    expect(await v.transcripts.forCall(other)).toMatchObject({ phrases: said('by call') });
  });

  it('ignores a transcript for an erased recording (the right to be forgotten covers what was said)', async () => {
    const call = await v.call();
    await v.notices.recordingReady({
      callId: call,
      pbxCallId: `pbx-${call}`,
      recordingId: 'rec-gone',
      at: '2026-07-06T09:00:00.000Z',
    });
    const row = await v.recordings.latestForCall(call);
    await v.recordings.markErased(row?.id as string, '2026-07-06T10:00:00.000Z');
    expect(await v.notices.transcriptReady(transcript({ recordingId: 'rec-gone', text: 'my secret' }))).toBe(
      'ignored',
    );
    expect(await v.notices.transcriptReady(transcript({ pbxCallId: `pbx-${call}`, text: 'my secret' }))).toBe(
      'ignored',
    );
    expect(await v.transcripts.forCall(call)).toBeNull();
  });
});
