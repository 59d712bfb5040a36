/**
 * The `CallWorkspaceStore` port in memory, over the calls a test stored and the contacts it names (responsible
 * user, phones). Same rules as the Kysely store: the user's audience is their agent calls and their extension's
 * (rang, answered, placed); missed = inbound with a missed outcome, not returned by a later answered call with
 * the same number, not dismissed. Why: the workspace use cases are unit-tested without a database.
 */
import { callOutcome, isMissed } from '../domain/call-outcome.js';
import type { CallOutcome, CallWorkspaceStore, CallWrapUp, StoredCall } from '../ports.js';

/** A contact as the store sees it. */
export interface InMemoryWorkspaceContact {
  readonly id: string;
  readonly responsibleUserId: string | null;
  readonly phones: readonly string[];
}

const startOf = (call: StoredCall) => call.startedAt ?? call.createdAt;

/** The store over `calls()` (the calls stored now) and `contacts`; `wrapUps` are the rows it wrote. */
export function createInMemoryCallWorkspaceStore(world: {
  readonly calls: () => Promise<readonly StoredCall[]>;
  readonly contacts: readonly InMemoryWorkspaceContact[];
}): CallWorkspaceStore & {
  readonly wrapUps: Map<string, CallWrapUp & { dismissedBy: string | null; dismissedAt: string | null }>;
} {
  const wrapUps = new Map<string, CallWrapUp & { dismissedBy: string | null; dismissedAt: string | null }>();
  const row = (callId: string) =>
    wrapUps.get(callId) ?? {
      outcome: null,
      outcomeBy: null,
      outcomeAt: null,
      dismissedBy: null,
      dismissedAt: null,
    };
  const rangAt = (call: StoredCall, extension: string | null) =>
    extension !== null &&
    (call.ringingExtensions.includes(extension) ||
      call.answeredBy === extension ||
      call.originExtension === extension);
  const isResponsible = (contactId: string | null, userId: string) =>
    contactId !== null && world.contacts.some((c) => c.id === contactId && c.responsibleUserId === userId);
  return {
    wrapUps,
    async inProgressFor({ userId, extension, ringingSince, inProgressSince }) {
      return (await world.calls())
        .filter(
          (call) =>
            (call.status === 'ringing' && startOf(call) >= ringingSince) ||
            (call.status === 'in_progress' && startOf(call) >= inProgressSince),
        )
        .filter((call) => call.agentUserId === userId || rangAt(call, extension))
        .sort((a, b) => startOf(b).localeCompare(startOf(a)))
        .slice(0, 20)
        .map((call) => call.id);
    },
    async missedFor({ userId, extension, since, limit }) {
      const calls = await world.calls();
      const returned = (missed: StoredCall) =>
        missed.clientE164 !== null &&
        calls.some(
          (other) =>
            other.clientE164 === missed.clientE164 &&
            other.status === 'answered' &&
            startOf(other) > startOf(missed),
        );
      return calls
        .filter((call) => isMissed(call.direction, callOutcome(call)) && !returned(call))
        .filter((call) => startOf(call) >= since && row(call.id).dismissedAt === null)
        .filter(
          (call) =>
            isResponsible(call.contactId, userId) ||
            (extension !== null && call.ringingExtensions.includes(extension)),
        )
        .sort((a, b) => startOf(b).localeCompare(startOf(a)))
        .slice(0, limit)
        .map((call) => call.id);
    },
    async isResponsibleFor(contactId, userId) {
      return isResponsible(contactId, userId);
    },
    async contactHasNumber(contactId, e164) {
      return world.contacts.some((c) => c.id === contactId && c.phones.includes(e164));
    },
    async wrapUpOf(callId) {
      const { outcome, outcomeBy, outcomeAt } = row(callId);
      return { outcome, outcomeBy, outcomeAt };
    },
    async setOutcome(callId, outcome: CallOutcome | null, userId, at) {
      wrapUps.set(callId, {
        ...row(callId),
        outcome,
        outcomeBy: userId,
        outcomeAt: outcome === null ? null : at,
      });
    },
    async dismissMissed(callId, userId, at) {
      wrapUps.set(callId, { ...row(callId), dismissedBy: userId, dismissedAt: at });
    },
  };
}
