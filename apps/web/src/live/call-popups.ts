// The state of the live call popups, as a pure reducer over the SSE call events (easy to test, no timers here).
import type {
  CallAnsweredEvent,
  CallEndedEvent,
  CallRingingEvent,
  ContactCard,
  LiveCall,
} from '../api/types.js';

type CallCardPhase = 'ringing' | 'inCall' | 'answeredElsewhere' | 'ended';

export interface CallCardState {
  pbxCallId: string;
  callId: string;
  ringing: CallRingingEvent;
  phase: CallCardPhase;
  /**
   * True once the signed-in user answered, and from the start of a call they placed: the card keeps its note
   * field and, after the call, its outcome picker until closed by hand.
   */
  mine: boolean;
  /** Opened by hand (the calls page): it stays until closed, whoever has the call. */
  pinned: boolean;
  answeredBy: CallAnsweredEvent['answeredBy'] | null;
  /** Epoch ms of the answer (the in-call timer's start): the server's time when it sent it, else this tab's. */
  answeredAt: number | null;
  ended: CallEndedEvent | null;
}

export type CallPopupAction =
  | { type: 'ringing'; event: CallRingingEvent }
  | { type: 'answered'; event: CallAnsweredEvent; meId: string; now: number }
  | { type: 'ended'; event: CallEndedEvent }
  | { type: 'open'; call: LiveCall; meId: string; now: number }
  | { type: 'contactLinked'; pbxCallId: string; contact: ContactCard }
  | { type: 'dismiss'; pbxCallId: string };

function newCard(event: CallRingingEvent, pinned: boolean): CallCardState {
  return {
    pbxCallId: event.pbxCallId,
    callId: event.callId,
    ringing: event,
    phase: 'ringing',
    // The user placed an outgoing call (click-to-call sends its card to them alone): theirs from the click.
    mine: event.direction === 'out',
    pinned,
    answeredBy: null,
    answeredAt: null,
    ended: null,
  };
}

function answeredAtOf(event: CallAnsweredEvent, now: number): number {
  const at = event.answeredAt ? Date.parse(event.answeredAt) : Number.NaN;
  return Number.isFinite(at) ? Math.min(at, now) : now;
}

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
      return [newCard(action.event, false), ...cards.filter((c) => c.pbxCallId !== action.event.pbxCallId)];
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
            answeredAt: c.answeredAt ?? answeredAtOf(action.event, action.now),
          };
        }
        // A transfer away from me after I answered keeps my card (and my note) open.
        return c.mine
          ? { ...c, answeredBy: action.event.answeredBy }
          : {
              ...c,
              phase: 'answeredElsewhere',
              answeredBy: action.event.answeredBy,
              answeredAt: answeredAtOf(action.event, action.now),
            };
      });
    case 'ended':
      // A restored wrap-up (`wrapUp`) is the user's own card: it keeps its outcome picker until closed.
      return cards.map((c) =>
        c.pbxCallId === action.event.pbxCallId
          ? { ...c, phase: 'ended', ended: action.event, mine: c.mine || action.event.wrapUp !== undefined }
          : c,
      );
    case 'open': {
      const { ringing, answered } = action.call;
      const existing = cards.find((c) => c.pbxCallId === ringing.pbxCallId);
      if (existing) {
        return cards.map((c) => (c === existing ? { ...c, pinned: true } : c));
      }
      let card = newCard(ringing, true);
      if (answered) {
        [card] = reduceCallPopups([card], {
          type: 'answered',
          event: answered,
          meId: action.meId,
          now: action.now,
        }) as [CallCardState];
      }
      return [card, ...cards];
    }
    case 'contactLinked':
      return cards.map((c) =>
        c.pbxCallId === action.pbxCallId ? { ...c, ringing: { ...c.ringing, contact: action.contact } } : c,
      );
    case 'dismiss':
      return cards.filter((c) => c.pbxCallId !== action.pbxCallId);
  }
}

/**
 * How long a card stays after it stops needing the agent, in ms, or null to keep it until closed. Why: others'
 * cards and missed calls clear themselves; the agent's own card holds the note and the outcome they record.
 */
export function autoCloseDelay(card: CallCardState): number | null {
  if (card.mine || card.pinned) {
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
