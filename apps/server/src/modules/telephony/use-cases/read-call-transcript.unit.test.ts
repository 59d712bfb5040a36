/**
 * A call's transcript as the call page shows it: phrases with their speaker (channel 1 is the agent), for a
 * reader of the call only, and "not available" while there is none.
 */
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../platform/auth/actor.js';
import { userActor } from '../../../platform/auth/actor.js';
import type { TranscriptRepository } from '../ports.js';
import type { CallAccess } from './play-call-recording.js';
import { readCallTranscript } from './read-call-transcript.js';

const olga = userActor({ id: 'u-olga', role: 'agent', name: 'Olga', locale: 'en' });
const boris = userActor({ id: 'u-boris', role: 'agent', name: 'Boris', locale: 'en' });

function world() {
  const calls: CallAccess = {
    exists: async (callId) => callId === 'c-1' || callId === 'c-2',
    canRead: async (actor: Actor) => actor.kind === 'user' && actor.id === 'u-olga',
  };
  const saved = new Map<string, Parameters<TranscriptRepository['save']>[0]>();
  const transcripts: TranscriptRepository = {
    async save(transcript) {
      if (transcript.callId) {
        saved.set(transcript.callId, transcript);
      }
    },
    forCall: async (callId) => saved.get(callId) ?? null,
  };
  return { ports: { calls, transcripts }, transcripts };
}

describe('readCallTranscript', () => {
  it('names each phrase by its channel: 1 is the agent, any other the client', async () => {
    const { ports, transcripts } = world();
    await transcripts.save(
      {
        recordingId: 'r-1',
        callId: 'c-1',
        lang: 'ru',
        phrases: [
          { channel: 1, start: 0.5, end: 2, text: 'Добрый день' },
          { channel: 2, start: 2.4, end: 4, text: 'Здравствуйте' },
        ],
      },
      '2026-01-15T09:00:00.000Z',
    );
    expect(await readCallTranscript(ports, olga, 'c-1')).toEqual({
      available: true,
      lang: 'ru',
      phrases: [
        { speaker: 'agent', channel: 1, start: 0.5, end: 2, text: 'Добрый день' },
        { speaker: 'client', channel: 2, start: 2.4, end: 4, text: 'Здравствуйте' },
      ],
    });
  });

  it('says a transcript is not available yet', async () => {
    const { ports } = world();
    expect(await readCallTranscript(ports, olga, 'c-2')).toEqual({
      available: false,
      lang: null,
      phrases: [],
    });
  });

  it('answers SB_ERR_NOT_FOUND to a reader who may not read the call, as for an unknown call', async () => {
    const { ports } = world();
    await expect(readCallTranscript(ports, boris, 'c-1')).rejects.toMatchObject({ code: 'SB_ERR_NOT_FOUND' });
    await expect(readCallTranscript(ports, olga, 'c-nope')).rejects.toMatchObject({
      code: 'SB_ERR_NOT_FOUND',
    });
  });
});
