// Click-to-call progress from the `callback.status` events of its two legs (agent's phone, then the client).
import type { CallbackStatusEvent } from '../api/types.js';

export type CallbackStep = 'requested' | 'ringingAgent' | 'callingClient' | 'connected' | 'ended';

export interface CallbackProgress {
  requestId: string;
  pbxCallId: string | null;
  to: string;
  agent: CallbackStatusEvent['state'] | null;
  client: CallbackStatusEvent['state'] | null;
  disposition: string | null;
}

/** Folds one leg event into the progress. Why: leg events arrive in any order; the latest per leg wins. */
export function applyCallbackEvent(progress: CallbackProgress, event: CallbackStatusEvent): CallbackProgress {
  const next = { ...progress, pbxCallId: progress.pbxCallId ?? event.pbxCallId };
  if (event.leg === 'agent') {
    next.agent = progress.agent === 'ended' ? 'ended' : event.state;
  } else {
    next.client = progress.client === 'ended' ? 'ended' : event.state;
  }
  if (event.state === 'ended' && event.disposition) {
    next.disposition = progress.disposition ?? event.disposition;
  }
  return next;
}

/**
 * The step to show. Why: Zadarma rings the agent's extension first, then dials the client once the agent picks
 * up (docs/zadarma-protocol.md §4.2, §5.7 item 5), so a client leg event means the agent already answered.
 */
export function callbackStep(progress: CallbackProgress): CallbackStep {
  if (progress.agent === 'ended' || progress.client === 'ended') {
    return 'ended';
  }
  if (progress.client === 'answered') {
    return 'connected';
  }
  if (progress.client === 'ringing' || progress.agent === 'answered') {
    return 'callingClient';
  }
  if (progress.agent === 'ringing') {
    return 'ringingAgent';
  }
  return 'requested';
}

/**
 * Finds which tracked click-to-call an event belongs to: by request id, else by pbx_call_id, else the latest
 * one still waiting for its first event. Why: the callback legs' webhooks do not always carry our request id.
 */
export function matchCallback(
  tracked: readonly CallbackProgress[],
  event: CallbackStatusEvent,
): CallbackProgress | undefined {
  if (event.requestId) {
    const byRequest = tracked.find((p) => p.requestId === event.requestId);
    if (byRequest) {
      return byRequest;
    }
  }
  const byCall = tracked.find((p) => p.pbxCallId === event.pbxCallId);
  if (byCall) {
    return byCall;
  }
  return [...tracked].reverse().find((p) => p.pbxCallId === null);
}
