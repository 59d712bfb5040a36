import { createContext } from 'react';
import type { LiveEventMap } from '../api/types.js';

export type LiveEventType = keyof LiveEventMap;
export type LiveListener<K extends LiveEventType> = (data: LiveEventMap[K]) => void;

export interface LiveEvents {
  subscribe: <K extends LiveEventType>(type: K, listener: LiveListener<K>) => () => void;
  /** True while the stream is open. */
  connected: boolean;
}

/** The tab's one live event stream. Why: every popup, toast and cache update shares one EventSource. */
export const LiveEventsContext = createContext<LiveEvents | null>(null);

export const LIVE_EVENT_TYPES: readonly LiveEventType[] = [
  'call.ringing',
  'call.answered',
  'call.ended',
  'call.missed',
  'callback.status',
];
