/**
 * The live events sent to browsers over SSE (api-contract-telephony.md "Live events"): each bus event carries
 * its audience (user ids) beside the data the browser receives, so every instance can filter per user and
 * `Last-Event-ID` replay returns only a user's own events.
 */
import type { BusEvent, EventPublisher } from '../events/event-bus.js';

/** The SSE event types of the contract. */
export const LIVE_TOPICS = [
  'call.ringing',
  'call.answered',
  'call.ended',
  'call.missed',
  'callback.status',
] as const;

export type LiveTopic = (typeof LIVE_TOPICS)[number];

/** The payload stored on the bus: who may see it, and what they see. */
export interface LiveEnvelope<T = unknown> {
  readonly userIds: readonly string[];
  readonly data: T;
}

/** Narrows a bus payload to an envelope. Why: the events table is shared with other topics. */
export function asEnvelope(event: BusEvent): LiveEnvelope | null {
  const payload = event.payload as Partial<LiveEnvelope> | null;
  if (payload === null || typeof payload !== 'object' || !Array.isArray(payload.userIds)) {
    return null;
  }
  return payload as LiveEnvelope;
}

/** Whether a user is in the event's audience. */
export function isFor(event: BusEvent, userId: string): boolean {
  return asEnvelope(event)?.userIds.includes(userId) ?? false;
}

/**
 * Publishes a live event to the given users (deduplicated); nothing is published for an empty audience.
 * Why: one place that shapes the envelope the SSE hub reads.
 */
export async function publishLive<T>(
  bus: EventPublisher,
  topic: LiveTopic,
  userIds: Iterable<string | null | undefined>,
  data: T,
): Promise<BusEvent | null> {
  const audience = [...new Set([...userIds].filter((id): id is string => typeof id === 'string'))];
  if (audience.length === 0) {
    return null;
  }
  return bus.publish<LiveEnvelope<T>>(topic, { userIds: audience, data });
}
