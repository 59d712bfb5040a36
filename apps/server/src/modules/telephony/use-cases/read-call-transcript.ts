/**
 * A call's transcript as the call page shows it beside the audio: phrases in time order, each with its speaker.
 * Zadarma records each party on its own channel (§5.6.12); channel 1 is taken as our side (the agent), as TWENTY's
 * integration does and the simulator models — unconfirmed upstream for inbound calls, so the channel is kept too.
 */
import type { Actor } from '../../../platform/auth/actor.js';
import { AppError } from '../../../platform/errors/errors.js';
import type { TranscriptRepository } from '../ports.js';
import type { CallAccess } from './play-call-recording.js';

export interface TranscriptView {
  readonly available: boolean;
  readonly lang: string | null;
  readonly phrases: readonly {
    readonly speaker: 'agent' | 'client';
    readonly channel: number;
    readonly start: number;
    readonly end: number;
    readonly text: string;
  }[];
}

/** The transcript of a call the actor may read (404 otherwise, as for the call itself). */
export async function readCallTranscript(
  ports: { readonly calls: CallAccess; readonly transcripts: TranscriptRepository },
  actor: Actor,
  callId: string,
): Promise<TranscriptView> {
  if (!(await ports.calls.exists(callId)) || !(await ports.calls.canRead(actor, callId))) {
    throw new AppError('SB_ERR_NOT_FOUND', `no call ${callId}`);
  }
  const transcript = await ports.transcripts.forCall(callId);
  if (!transcript) {
    return { available: false, lang: null, phrases: [] };
  }
  return {
    available: true,
    lang: transcript.lang,
    phrases: transcript.phrases.map((p) => ({ ...p, speaker: p.channel === 1 ? 'agent' : 'client' })),
  };
}
