// The click-to-call requests this tab started, so `callback.status` events can update their toast.
import type { CallbackStatusEvent } from '../api/types.js';
import { applyCallbackEvent, type CallbackProgress, matchCallback } from './callback-status.js';

const MAX_TRACKED = 10;
let tracked: CallbackProgress[] = [];

/** Remembers a click-to-call request. Why: its legs' events arrive later over SSE. */
export function trackCallback(requestId: string, to: string): CallbackProgress {
  const progress: CallbackProgress = {
    requestId,
    pbxCallId: null,
    to,
    agent: null,
    client: null,
    disposition: null,
  };
  tracked = [...tracked.filter((p) => p.requestId !== requestId), progress].slice(-MAX_TRACKED);
  return progress;
}

/** Applies an event to the request it belongs to; undefined when it belongs to none of this tab's requests. */
export function updateTrackedCallback(event: CallbackStatusEvent): CallbackProgress | undefined {
  const match = matchCallback(tracked, event);
  if (!match) {
    return undefined;
  }
  const next = applyCallbackEvent(match, event);
  tracked = tracked.map((p) => (p === match ? next : p));
  return next;
}
