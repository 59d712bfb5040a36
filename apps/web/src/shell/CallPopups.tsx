import { useLocalStorage } from '@mantine/hooks';
import { useEffect, useReducer, useRef } from 'react';
import { api } from '../api/client.js';
import type { User } from '../api/types.js';
import { useT } from '../i18n/useT.js';
import { onOpenCallCard } from '../live/call-card-opener.js';
import { reduceCallPopups } from '../live/call-popups.js';
import { useLiveEvent } from '../live/useLiveEvent.js';
import { CallCard } from './call-card/CallCard.js';

interface Offset {
  x: number;
  y: number;
}

/** Keeps the moved stack on screen: at least a header's height stays visible whatever the window size. */
function clamp(offset: Offset): Offset {
  const width = Math.min(360, window.innerWidth - 32);
  return {
    x: Math.min(0, Math.max(-(window.innerWidth - width - 32), offset.x)),
    y: Math.max(-48, Math.min(window.innerHeight - 140, offset.y)),
  };
}

/**
 * The live call cards (top right, stacked, movable by their grip): who is calling, the call itself, then the
 * wrap-up. A tab that connects during a call receives the call's state first, so a reload or a second tab shows
 * the card again; the calls page opens one by hand.
 */
export function CallPopups({ user }: { user: User }) {
  const { t } = useT();
  const [cards, dispatch] = useReducer(reduceCallPopups, []);
  const [offset, setOffset] = useLocalStorage<Offset>({
    key: 'sb-call-popups-offset',
    defaultValue: { x: 0, y: 0 },
  });
  const drag = useRef<{ startX: number; startY: number; from: Offset } | null>(null);
  // The user's other tabs of this browser close a wrap-up closed here (the server stops restoring it too).
  const tabs = useRef<BroadcastChannel | null>(null);
  useEffect(() => {
    if (typeof BroadcastChannel === 'undefined') {
      return;
    }
    const channel = new BroadcastChannel(`sb-call-cards-${user.id}`);
    channel.onmessage = (event: MessageEvent<{ closed?: unknown }>) => {
      if (typeof event.data?.closed === 'string') {
        dispatch({ type: 'dismiss', pbxCallId: event.data.closed });
      }
    };
    tabs.current = channel;
    return () => {
      tabs.current = null;
      channel.close();
    };
  }, [user.id]);
  useLiveEvent('call.ringing', (event) => dispatch({ type: 'ringing', event }));
  useLiveEvent('call.answered', (event) =>
    dispatch({ type: 'answered', event, meId: user.id, now: Date.now() }),
  );
  useLiveEvent('call.ended', (event) => dispatch({ type: 'ended', event }));
  useEffect(
    () => onOpenCallCard((call) => dispatch({ type: 'open', call, meId: user.id, now: Date.now() })),
    [user.id],
  );

  useEffect(() => {
    const move = (event: PointerEvent) => {
      const d = drag.current;
      if (d) {
        setOffset(clamp({ x: d.from.x + event.clientX - d.startX, y: d.from.y + event.clientY - d.startY }));
      }
    };
    const stop = () => {
      drag.current = null;
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', stop);
    return () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', stop);
    };
  }, [setOffset]);

  if (cards.length === 0) {
    return null;
  }
  const shown = clamp(offset);
  return (
    <section
      className="sb-call-popups"
      data-testid="call-popups"
      aria-live="polite"
      aria-label={t('popup.region')}
      style={{ transform: `translate(${shown.x}px, ${shown.y}px)` }}
    >
      {cards.map((card) => (
        <CallCard
          key={card.pbxCallId}
          card={card}
          me={user}
          onClose={() => {
            dispatch({ type: 'dismiss', pbxCallId: card.pbxCallId });
            if (card.mine) {
              // Closed for good: no tab brings this wrap-up back. Best effort, like opening it.
              api.put(`/calls/${card.callId}/wrap-up`, { open: false }).catch(() => undefined);
              tabs.current?.postMessage({ closed: card.pbxCallId });
            }
          }}
          onContactLinked={(contact) =>
            dispatch({ type: 'contactLinked', pbxCallId: card.pbxCallId, contact })
          }
          onDragStart={(event) => {
            event.preventDefault();
            drag.current = { startX: event.clientX, startY: event.clientY, from: shown };
          }}
        />
      ))}
    </section>
  );
}
