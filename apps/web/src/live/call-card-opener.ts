// Opening a call's card from anywhere in the app (the calls page's "in progress" rows): the popups listen.
import { api } from '../api/client.js';
import type { LiveCall } from '../api/types.js';

type Listener = (call: LiveCall) => void;
const listeners = new Set<Listener>();

/** Subscribes the popups to cards opened by hand. Why: the card lives in the shell, the row on a page. */
export function onOpenCallCard(listener: Listener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/** Fetches the live state of a call in progress and opens its card; rejects when the call is over. */
export async function openCallCard(callId: string): Promise<void> {
  const call = await api.get<LiveCall>(`/calls/${encodeURIComponent(callId)}/live`);
  for (const listener of listeners) {
    listener(call);
  }
}
