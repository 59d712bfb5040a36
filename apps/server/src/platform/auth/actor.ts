/**
 * Who performs a use case: a signed-in user, another program calling the API with its own key, or the server
 * itself. Use cases take an `Actor`, never the HTTP session, so the same code serves a click in the browser,
 * an integration and automation (a missed call creating a lead, a job tidying up) without pretending that
 * someone signed in.
 *
 * The rules every use case applies to the three kinds:
 * - **user**: the role decides (admins do everything; agents see everything but change only what is theirs or
 *   unassigned — `modules/crm/shared/record-access.ts`);
 * - **system**: the server acting on rules an admin configured. It may create and change records, is never
 *   restricted to "its own" records and is recorded as no user (author, creator and timeline actor are null);
 *   a record it creates gets the default responsible rule, which for no user is nobody;
 * - **api-client**: refused (`SB_ERR_FORBIDDEN`) wherever no rule names it. No use case grants one anything
 *   yet: the public API will add its rules (by scope) one use case at a time, so a new use case fails closed.
 */
import { AppError } from '../errors/errors.js';

/** A user's role. */
export type Role = 'admin' | 'agent';

/** The languages the interface speaks. */
export type Locale = 'en' | 'fr' | 'ru';

/** A person signed in through the web app (the session cookie). */
export interface UserActor {
  readonly kind: 'user';
  readonly id: string;
  readonly role: Role;
  readonly name: string;
  readonly locale: Locale;
}

/**
 * Another program calling the API with its own key; what it may do is listed by its scopes.
 * Not exported until the public API builds one: today it exists so that every rule has to decide about it.
 */
interface ApiClientActor {
  readonly kind: 'api-client';
  /** The API key's id (never the secret). */
  readonly id: string;
  readonly scopes: readonly string[];
}

/** The server itself: automation, jobs, seeding. Carries why it acts, for logs and the record's history. */
export interface SystemActor {
  readonly kind: 'system';
  /** e.g. `'automation: missed call'`. */
  readonly reason: string;
}

/** Who performs a use case (see the module comment for the rules each kind gets). */
export type Actor = UserActor | ApiClientActor | SystemActor;

/** The actor of a signed-in user. Why: the HTTP layer turns its session user into this, and tests build one. */
export function userActor(user: {
  readonly id: string;
  readonly role: Role;
  readonly name: string;
  readonly locale: Locale;
}): UserActor {
  return { kind: 'user', id: user.id, role: user.role, name: user.name, locale: user.locale };
}

/** The server acting on its own, for `reason`. Why: automation creates records with no user behind them. */
export function systemActor(reason: string): SystemActor {
  return { kind: 'system', reason };
}

/** True for a signed-in admin only. Why: admin-only rules must not open to the system or an API client by accident. */
export function isAdmin(actor: Actor): boolean {
  return actor.kind === 'user' && actor.role === 'admin';
}

/**
 * The user id to record as author, creator or owner: the user's own, null for the system and API clients.
 * Why: rows and timeline events name a user or nobody; there is no fake "system user" to join to.
 */
export function actorUserId(actor: Actor): string | null {
  return actor.kind === 'user' ? actor.id : null;
}

/**
 * Throws `SB_ERR_FORBIDDEN` when an API client would `action` (e.g. `'create contacts'`): no use case allows
 * one yet. Why: the fail-closed default, called first by every use case that has no rule for API clients.
 */
export function refuseApiClient(actor: Actor, action: string): asserts actor is UserActor | SystemActor {
  if (actor.kind === 'api-client') {
    throw new AppError('SB_ERR_FORBIDDEN', `API clients may not ${action}`);
  }
}

/**
 * Throws `SB_ERR_FORBIDDEN` unless a signed-in admin or the system would `action` (e.g. `'replay webhooks'`).
 * Why: an admin's use case refuses agents and API clients itself, whatever route or job calls it.
 */
export function refuseUnlessAdmin(actor: Actor, action: string): void {
  if (actor.kind !== 'system' && !isAdmin(actor)) {
    throw new AppError('SB_ERR_FORBIDDEN', `only an administrator may ${action}`);
  }
}

/** Who an audit line names: the actor's kind and, when no user acted, the API key's id or the system's reason. */
export interface AuditedActor {
  readonly kind: Actor['kind'];
  /** The user's id, the API key's id (never its secret), or the system's reason. */
  readonly ref: string;
}

/**
 * The actor as an audit line records it. Why: "no user" is not an answer an audit may give — an API key that
 * tried to hear a recording must be named, and the system's reason says which automation acted.
 */
export function auditedActor(actor: Actor): AuditedActor {
  switch (actor.kind) {
    case 'user':
      return { kind: 'user', ref: actor.id };
    case 'api-client':
      return { kind: 'api-client', ref: actor.id };
    case 'system':
      return { kind: 'system', ref: actor.reason };
  }
}
