/** The agent's open wrap-up cards (issue 13). (Part of the telephony ports; import them from `../ports.js`.) */

/**
 * Which calls a user still has a wrap-up card open for: opened when the call becomes theirs on their card
 * (answered or placed), closed when they close it. Why: a reload or a second tab after the call ended brings
 * the card back with its outcome picker until the agent is done, on any instance.
 */
export interface WrapUpCards {
  /** Marks the user's card of the call open; a card the user already closed stays closed. */
  open(callId: string, userId: string, at: string): Promise<void>;
  /** Closes the user's card of the call (a card never opened is recorded closed, so it is not opened later). */
  close(callId: string, userId: string, at: string): Promise<void>;
  /** Ids of the calls whose card the user opened since `since` and has not closed; newest first. */
  openFor(userId: string, since: string, limit: number): Promise<string[]>;
}
