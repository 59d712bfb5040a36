/**
 * Transcripts Zadarma posts (SPEECH_RECOGNITION on the events channel), end to end on both databases against the
 * simulator: kept once whatever the retries, searchable from the call log within the reader's rights, and parked when
 * they come before their recording's NOTIFY_RECORD. Transcripts the fetch job asks for: recordings-vault.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../test-support/test-database.js';
import { placeRecordedCall, type RecordedCallInput, until } from './test-support/recordings-harness.js';
import { postSignedWebhook, useTelephonyTest } from './test-support/test-telephony.js';

describe.each(TEST_DIALECTS)('transcripts Zadarma posts, on %s', (dialect) => {
  const t = useTelephonyTest(dialect, { jobs: true });

  const recordedCall = (input: RecordedCallInput) => placeRecordedCall(t, input);

  it('keeps the transcript Zadarma posts (SPEECH_RECOGNITION) in the webhook batch, once, and the call log finds the call by it', async () => {
    // Extension 101 transcribes every recording: the simulator posts SPEECH_RECOGNITION on the events channel.
    const ext = t.sim.state.extensions.find((e) => e.number === '101');
    if (!ext) {
      throw new Error('no extension 101');
    }
    ext.speechRecognition = 'all';
    t.sim.setEventsUrl(`${t.url}/zadarma`);
    // Asking Zadarma (the fetch job's way) fails throughout: only the webhook can bring this transcript.
    t.sim.setFaults({ rest: [{ path: 'speech_recognition', status: 503, count: 10_000 }] });
    try {
      const { callId, pbxCallId, recordingId } = await recordedCall({ answer: '101', talkSeconds: 4 });
      const sent = t.sim.listEventWebhooks().filter((w) => w.event === 'SPEECH_RECOGNITION');
      expect(sent.map((w) => [w.fields.call_id, w.fields.pbx_call_id, w.httpStatus])).toEqual([
        [recordingId, pbxCallId, 200],
      ]);
      expect(t.sim.getCall(pbxCallId)?.routing.map((r) => r.action)).toContain('SPEECH_RECOGNITION');
      type Transcript = { available: boolean; phrases: { speaker: string; text: string }[] };
      const transcript = await until<Transcript>(async () => {
        const read = await t.as(t.agent1, { method: 'GET', url: `/api/calls/${callId}/transcript` });
        return read.json().available ? (read.json() as Transcript) : null;
      }, 'the posted transcript');
      expect(transcript.phrases.map((p) => p.speaker)).toEqual([
        'agent',
        'client',
        'agent',
        'client',
        'agent',
        'client',
      ]);
      expect(transcript.phrases[1]?.text).toBe('hi I would like to know more about your offer');

      // The same event delivered again (Zadarma retries) changes nothing: one transcript, the same words.
      const event = sent[0];
      const again = await fetch(`${t.url}/zadarma`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', signature: event?.signature ?? '' },
        body: new URLSearchParams(event?.fields ?? {}).toString(),
      });
      expect(again.status).toBe(200);
      await until(async () => {
        const rows = await t.database.db
          .selectFrom('webhook_inbox')
          .select('status')
          .where('event', '=', 'SPEECH_RECOGNITION')
          .execute();
        return rows.length === 2 && rows.every((r) => r.status === 'processed') ? rows : null;
      }, 'both deliveries processed');
      const rows = await t.database.db
        .selectFrom('call_transcripts')
        .select(['search_text'])
        .where('call_id', '=', callId)
        .execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]?.search_text).toContain('send you the details by email');

      // The call log's search: words said, any case; a call the reader may not read stays out.
      const said = (user: typeof t.agent1, words: string) =>
        t.as(user, { method: 'GET', url: `/api/call-log?said=${encodeURIComponent(words)}&limit=200` });
      const found = await said(t.agent1, 'Details By EMAIL');
      expect(found.statusCode).toBe(200);
      expect((found.json() as { items: { id: string }[] }).items.map((i) => i.id)).toContain(callId);
      const nothing = await said(t.agent1, 'words nobody said');
      expect(nothing.json()).toEqual({ items: [], nextCursor: null });
      const hidden = await said(t.agent2, 'details by email');
      expect((hidden.json() as { items: { id: string }[] }).items.map((i) => i.id)).not.toContain(callId);
      const tooShort = await said(t.agent1, 'a');
      expect(tooShort.statusCode).toBe(400);
      expect(tooShort.json().error.code).toBe('SB_ERR_VALIDATION');
    } finally {
      ext.speechRecognition = 'off';
      t.sim.setFaults({});
    }
  });

  it('parks a SPEECH_RECOGNITION that comes before its NOTIFY_RECORD and keeps it once the recording is registered', async () => {
    const pbxCallId = `in_${'ab12'.repeat(10)}`;
    const recordingId = '1759000000.424242';
    const result = JSON.stringify({
      words: [
        { channel: 2, result: [{ s: 1.5, e: 2.1, w: 'bonjour' }] },
        { channel: 1, result: [{ s: 0.2, e: 0.9, w: 'allo' }] },
      ],
    });
    const post = (fields: Record<string, string>) => postSignedWebhook(t.url, fields);
    const parkedRows = () =>
      t.database.db
        .selectFrom('parked_transcripts')
        .selectAll()
        .where('notice_key', '=', `rec:${recordingId}`)
        .execute();
    expect(
      (await post({ event: 'SPEECH_RECOGNITION', call_id: recordingId, pbx_call_id: pbxCallId, result }))
        .status,
    ).toBe(200);
    await until(async () => ((await parkedRows()).length === 1 ? true : null), 'the parked transcript');
    expect(
      (await post({ event: 'NOTIFY_RECORD', pbx_call_id: pbxCallId, call_id_with_rec: recordingId })).status,
    ).toBe(200);
    const call = await until(() => t.live.adapters.calls.get(pbxCallId), 'the call of the recording');
    const transcript = await until(
      () => t.live.vault.transcripts.forCall(call.id),
      'the unparked transcript',
    );
    // In time order, whatever order the channels came in.
    expect(transcript.phrases).toEqual([
      { channel: 1, start: 0.2, end: 0.9, text: 'allo' },
      { channel: 2, start: 1.5, end: 2.1, text: 'bonjour' },
    ]);
    expect(await parkedRows()).toEqual([]);
  });
});
