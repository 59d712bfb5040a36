import { type QueryClient, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import type { LiveEventMap } from '../api/types.js';
import {
  LIVE_EVENT_TYPES,
  type LiveEvents,
  LiveEventsContext,
  type LiveEventType,
  type LiveListener,
} from './live-events-context.js';

type AnyListener = (data: unknown) => void;

/** Invalidates what an event changes. Why: lists, timelines and the calls page stay true without polling. */
function invalidateFor<K extends LiveEventType>(client: QueryClient, type: K, data: LiveEventMap[K]): void {
  void client.invalidateQueries({ queryKey: ['calls'] });
  if (type === 'call.ringing') {
    const contactId = (data as LiveEventMap['call.ringing']).contact?.id;
    if (contactId) {
      void client.invalidateQueries({ queryKey: ['contacts', 'timeline', contactId] });
    }
    return;
  }
  if (type === 'call.ended' || type === 'call.answered' || type === 'callback.status') {
    void client.invalidateQueries({ queryKey: ['contacts', 'timeline'] });
    void client.invalidateQueries({ queryKey: ['telephony', 'inbox'] });
  }
}

/**
 * Opens ONE `EventSource('/api/events')` for the signed-in tab and fans its events out to subscribers. Why: the
 * browser reconnects by itself and sends `Last-Event-ID`, so the server replays what the tab missed.
 */
export function LiveEventsProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const listeners = useRef(new Map<LiveEventType, Set<AnyListener>>());
  const [connected, setConnected] = useState(false);

  useEffect(() => {
    if (typeof EventSource === 'undefined') {
      return;
    }
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const open = () => {
      source = new EventSource('/api/events', { withCredentials: true });
      source.onopen = () => setConnected(true);
      source.onerror = () => {
        setConnected(false);
        // The browser retries by itself unless the server refused the stream (e.g. 401/5xx): then try later.
        if (source?.readyState === EventSource.CLOSED && !stopped) {
          retry = setTimeout(open, 5_000);
        }
      };
      for (const type of LIVE_EVENT_TYPES) {
        source.addEventListener(type, (message) => {
          let data: unknown;
          try {
            data = JSON.parse((message as MessageEvent<string>).data);
          } catch {
            return;
          }
          invalidateFor(queryClient, type, data as LiveEventMap[typeof type]);
          for (const listener of listeners.current.get(type) ?? []) {
            listener(data);
          }
        });
      }
    };
    open();
    return () => {
      stopped = true;
      clearTimeout(retry);
      source?.close();
    };
  }, [queryClient]);

  const value = useMemo<LiveEvents>(
    () => ({
      connected,
      subscribe: <K extends LiveEventType>(type: K, listener: LiveListener<K>) => {
        const set = listeners.current.get(type) ?? new Set<AnyListener>();
        listeners.current.set(type, set);
        set.add(listener as AnyListener);
        return () => {
          set.delete(listener as AnyListener);
        };
      },
    }),
    [connected],
  );
  return <LiveEventsContext.Provider value={value}>{children}</LiveEventsContext.Provider>;
}
