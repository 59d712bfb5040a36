// The state of the live call popups, as a pure reducer over the SSE call events (easy to test, no timers here).
import type { CallAnsweredEvent, CallEndedEvent, CallRingingEvent } from '../api/types.js';

type CallCardPhase = 'ringing' | 'inCall' | 'answeredElsewhere' | 'ended';

export interface CallCardState {
  pbxCallId: string;
  callId: string;
  ringing: CallRingingEvent;
  phase: CallCardPhase;
  /** True once the signed-in user answered: the card keeps its note field until closed by hand. */
  mine: boolean;
  answeredBy: CallAnsweredEvent['answeredBy'] | null;
  /** Epoch ms when this tab learnt of the answer (the in-call timer's start). */
  answeredAt: number | null;
  ended: CallEndedEvent | null;
}

export type CallPopupAction =
  | { type: 'ringing'; event: CallRingingEvent }
  | { type: 'answered'; event: CallAnsweredEvent; meId: string; now: number }
  | { type: 'ended'; event: CallEndedEvent }
  | { type: 'dismiss'; pbxCallId: string };

/**
 * Applies one call event to the list of popup cards (newest first). Why: events may repeat or arrive late, and the
 * cards must still end up right — a duplicate ringing never resets an answered call, an unknown call is ignored.
 */
export function reduceCallPopups(cards: CallCardState[], action: CallPopupAction): CallCardState[] {
  switch (action.type) {
    case 'ringing': {
      const existing = cards.find((c) => c.pbxCallId === action.event.pbxCallId);
      if (existing && (existing.phase === 'ringing' || existing.phase === 'inCall' || existing.mine)) {
        return cards;
      }
      const card: CallCardState = {
        pbxCallId: action.event.pbxCallId,
        callId: action.event.callId,
        ringing: action.event,
        phase: 'ringing',
        mine: false,
        answeredBy: null,
        answeredAt: null,
        ended: null,
      };
      return [card, ...cards.filter((c) => c.pbxCallId !== action.event.pbxCallId)];
    }
    case 'answered':
      return cards.map((c) => {
        if (c.pbxCallId !== action.event.pbxCallId || c.phase === 'ended') {
          return c;
        }
        const mine = action.event.answeredBy.userId === action.meId;
        if (mine) {
          return {
            ...c,
            phase: 'inCall',
            mine: true,
            answeredBy: action.event.answeredBy,
            answeredAt: c.mine ? c.answeredAt : action.now,
          };
        }
        // A transfer away from me after I answered keeps my card (and my note) open.
        return c.mine
          ? { ...c, answeredBy: action.event.answeredBy }
          : { ...c, phase: 'answeredElsewhere', answeredBy: action.event.answeredBy };
      });
    case 'ended':
      return cards.map((c) =>
        c.pbxCallId === action.event.pbxCallId ? { ...c, phase: 'ended', ended: action.event } : c,
      );
    case 'dismiss':
      return cards.filter((c) => c.pbxCallId !== action.pbxCallId);
  }
}

/**
 * How long a card stays after it stops needing the agent, in ms, or null to keep it until closed. Why: others'
 * cards and missed calls clear themselves; the agent's own in-call card holds the note they are writing.
 */
export function autoCloseDelay(card: CallCardState): number | null {
  if (card.mine) {
    return null;
  }
  if (card.phase === 'answeredElsewhere') {
    return 4_000;
  }
  if (card.phase === 'ended') {
    return 6_000;
  }
  return null;
}
