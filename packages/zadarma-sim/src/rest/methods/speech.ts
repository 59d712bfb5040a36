/**
 * `GET|PUT /v1/speech_recognition/` (docs/zadarma-protocol.md §4.11): a deterministic transcript for any recorded call,
 * keyed by the recording id (`call_id_with_rec`), and the SPEECH_RECOGNITION event after a PUT.
 */
import type { Recording } from '../../store.js';
import { ApiError } from '../errors.js';
import { oneOf, optional, type RestRequest, type Route, required } from '../route.js';

const SCRIPT: readonly [number, string][] = [
  [1, 'hello thank you for calling how can I help you'],
  [2, 'hi I would like to know more about your offer'],
  [1, 'of course let me check that for you'],
  [2, 'thank you that would be great'],
  [1, 'I will send you the details by email today'],
  [2, 'perfect thank you goodbye'],
];

interface Transcript {
  readonly phrases: { result: string; channel: number }[];
  readonly words: { result: { s: number; e: number; w: string }[]; channel: number }[];
}

/** A transcript whose phrases fill the recording's length, alternating channels (stereo: one party each). */
function transcriptFor(recording: Recording): Transcript {
  const length = Math.max(1, recording.seconds);
  const slot = length / SCRIPT.length;
  const phrases: Transcript['phrases'] = [];
  const words: Transcript['words'] = [];
  SCRIPT.forEach(([channel, text], i) => {
    phrases.push({ result: text, channel });
    const list = text.split(' ');
    const step = (slot * 0.9) / list.length;
    words.push({
      channel,
      result: list.map((w, j) => {
        const s = Math.round((i * slot + j * step) * 100) / 100;
        return { s, e: Math.round((s + step * 0.9) * 100) / 100, w };
      }),
    });
  });
  return { phrases, words };
}

/**
 * The SPEECH_RECOGNITION event of a recording (§5.6.12): `result` is the words transcript as a JSON string (what is
 * signed), beside both ids TWENTY saw at the top level. Sent after a PUT, and on its own for an extension with
 * automatic recognition (pbx/call-runtime.ts).
 */
export function speechRecognitionFields(recording: Recording): [string, string][] {
  return [
    ['event', 'SPEECH_RECOGNITION'],
    ['call_id', recording.callId],
    ['pbx_call_id', recording.pbxCallId],
    ['result', JSON.stringify({ words: transcriptFor(recording).words })],
  ];
}

function recordingOf(req: RestRequest): Recording {
  const callId = required(req, 'call_id');
  const recording = req.sim.data.recordings.get(callId);
  if (!recording || recording.deleted || recording.readyAt > req.sim.clock.now()) {
    throw new ApiError(
      400,
      `Wrong parameter 'call_id': no recording "${callId}" (use call_id_with_rec, not pbx_call_id)`,
    );
  }
  return recording;
}

export const speechRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^speech_recognition$/,
    handler: (req) => {
      const recording = recordingOf(req);
      const lang = optional(req, 'lang') ?? 'en-EN';
      const mode = oneOf(req, 'return', ['words', 'phrases'], false) ?? 'phrases';
      oneOf(req, 'alternatives', ['0', '1'], false);
      const t = transcriptFor(recording);
      return {
        status: 'success',
        lang,
        recognitionStatus: 'recognized',
        otherLangs: [],
        ...(mode === 'words' ? { words: t.words } : { phrases: t.phrases }),
      };
    },
  },
  {
    method: 'PUT',
    pattern: /^speech_recognition$/,
    handler: (req) => {
      const recording = recordingOf(req);
      optional(req, 'lang');
      req.sim.data.recognitionRequested.add(recording.callId);
      void req.sim.sendEventWebhook(speechRecognitionFields(recording), 'speech_recognition');
      return { status: 'success' };
    },
  },
];
