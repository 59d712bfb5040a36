/**
 * Zadarma's transcripts in the vault's terms: the timed words per channel of `GET /v1/speech_recognition/` and of
 * the SPEECH_RECOGNITION event (docs/zadarma-protocol.md §4.11, §5.6.12) become phrases — one per channel's turn,
 * its first word's start to its last word's end — in time order.
 */
import type { TWebhookEvent } from '@switchboard/zadarma';
import type { TranscriptNotice, TranscriptPhrase } from '../../ports.js';

/** One channel's turn as Zadarma sends it (`words[]`). */
interface ZadarmaWords {
  readonly channel?: number | string | undefined;
  readonly result?: readonly {
    readonly s: number | string;
    readonly e: number | string;
    readonly w: string;
  }[];
}

/** The phrases of a words transcript, in time order; empty turns are dropped. */
export function phrasesFromWords(words: readonly ZadarmaWords[]): TranscriptPhrase[] {
  return words
    .filter((entry) => (entry.result?.length ?? 0) > 0)
    .map((entry) => {
      const result = entry.result ?? [];
      return {
        channel: Number(entry.channel ?? 1),
        start: Number(result[0]?.s ?? 0),
        end: Number(result[result.length - 1]?.e ?? 0),
        text: result.map((w) => w.w).join(' '),
      };
    })
    .sort((a, b) => a.start - b.start);
}

/**
 * The transcript of a verified SPEECH_RECOGNITION (the SDK parsed its `result` into `data`); null for any other
 * event, or for one that names neither the recording (`call_id`) nor the call (`pbx_call_id`) — TWENTY saw either.
 */
export function toTranscriptNotice(event: TWebhookEvent, receivedAt: string): TranscriptNotice | null {
  if (event.event !== 'SPEECH_RECOGNITION') {
    return null;
  }
  const recordingId = event.call_id ? event.call_id : null;
  const pbxCallId = event.pbx_call_id ? event.pbx_call_id : null;
  if (recordingId === null && pbxCallId === null) {
    return null;
  }
  const lang = (event.data as { lang?: unknown }).lang;
  return {
    recordingId,
    pbxCallId,
    lang: typeof lang === 'string' && lang !== '' ? lang : null,
    phrases: phrasesFromWords(event.data.words ?? []),
    receivedAt,
  };
}
