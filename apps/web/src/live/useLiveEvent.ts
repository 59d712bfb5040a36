import { useContext, useEffect, useRef } from 'react';
import { LiveEventsContext, type LiveEventType, type LiveListener } from './live-events-context.js';

/** Calls `listener` for each live event of `type`. Why: components react to calls without their own stream. */
export function useLiveEvent<K extends LiveEventType>(type: K, listener: LiveListener<K>): void {
  const context = useContext(LiveEventsContext);
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => {
    if (!context) {
      return;
    }
    return context.subscribe(type, (data) => latest.current(data));
  }, [context, type]);
}

/** Whether the live stream is open (false outside the signed-in shell). */
export function useLiveConnected(): boolean {
  return useContext(LiveEventsContext)?.connected ?? false;
}
