/**
 * SPEECH_RECOGNITION as the vault reads it (§5.6.12): the id it names — the recording's `call_id`, the call's
 * `pbx_call_id`, or both, as TWENTY saw either — and the words per channel as phrases in time order.
 */
import { parseWebhookEvent } from '@switchboard/zadarma';
import { describe, expect, it } from 'vitest';
import { phrasesFromWords, toTranscriptNotice } from './zadarma-transcript.js';

const AT = '2026-12-03T10:00:00.000Z';

function verified(fields: Record<string, string>) {
  // The SDK's parse of a verified body: `result` validated and parsed into `data`.
  const parsed = parseWebhookEvent(fields);
  if (!parsed.ok || parsed.kind !== 'event') {
    throw new Error(`not a known event: ${JSON.stringify(parsed)}`);
  }
  return parsed.event;
}

const result = JSON.stringify({
  words: [
    { channel: 2, result: [{ s: 2.5, e: 2.9, w: 'oui' }] },
    { channel: 1, result: [] },
    {
      channel: 1,
      result: [
        { s: 0.1, e: 0.4, w: 'bonjour' },
        { s: 0.5, e: 1.2, w: 'madame' },
      ],
    },
  ],
});

describe('toTranscriptNotice', () => {
  it('reads the recording and the call it names, and the phrases in time order (empty turns dropped)', () => {
    const notice = toTranscriptNotice(
      verified({ event: 'SPEECH_RECOGNITION', call_id: '1759.42', pbx_call_id: 'in_abc', result }),
      AT,
    );
    expect(notice).toEqual({
      recordingId: '1759.42',
      pbxCallId: 'in_abc',
      lang: null,
      receivedAt: AT,
      phrases: [
        { channel: 1, start: 0.1, end: 1.2, text: 'bonjour madame' },
        { channel: 2, start: 2.5, end: 2.9, text: 'oui' },
      ],
    });
  });

  it('takes either id alone, and nothing from an event that names neither or is another event', () => {
    expect(
      toTranscriptNotice(verified({ event: 'SPEECH_RECOGNITION', call_id: '1759.42', result }), AT),
    ).toMatchObject({
      recordingId: '1759.42',
      pbxCallId: null,
    });
    expect(
      toTranscriptNotice(verified({ event: 'SPEECH_RECOGNITION', pbx_call_id: 'in_abc', result }), AT),
    ).toMatchObject({ recordingId: null, pbxCallId: 'in_abc' });
    expect(toTranscriptNotice(verified({ event: 'SPEECH_RECOGNITION', result }), AT)).toBeNull();
    expect(
      toTranscriptNotice(
        verified({ event: 'NOTIFY_RECORD', pbx_call_id: 'in_abc', call_id_with_rec: '1759.42' }),
        AT,
      ),
    ).toBeNull();
  });

  it('joins each turn’s words, from its first word’s start to its last word’s end', () => {
    expect(phrasesFromWords([{ channel: '2', result: [{ s: '1', e: '2', w: 'ok' }] }])).toEqual([
      { channel: 2, start: 1, end: 2, text: 'ok' },
    ]);
  });
});
