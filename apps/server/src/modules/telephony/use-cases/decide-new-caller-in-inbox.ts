/**
 * The new-callers inbox (issue 12, item 6, the Kommo model): every signed-in user sees the numbers waiting with
 * their calls and a spam hint, and accepts one (a contact, lead or deal is created, theirs), merges it into an
 * existing contact, or declines it. Whoever decides first wins; the others get a conflict.
 */
import type { UserActor } from '../../../platform/auth/actor.js';
import { AppError } from '../../../platform/errors/errors.js';
import { looksLikeSpam } from '../domain/after-call-policy.js';
import type { NewCaller, NewCallerInbox } from '../ports.js';

/** A pending number as the inbox shows it. */
export interface NewCallerItem extends NewCaller {
  readonly spamHint: boolean;
}

const INBOX_LIMIT = 200;

/** The numbers waiting for a decision, most recent call first. */
export async function listNewCallers(ports: { readonly inbox: NewCallerInbox }): Promise<NewCallerItem[]> {
  const pending = await ports.inbox.listPending(INBOX_LIMIT);
  return pending.map((caller) => ({ ...caller, spamHint: looksLikeSpam(caller) }));
}

function alreadyDecided(clientE164: string): AppError {
  return new AppError('SB_ERR_CONFLICT', `${clientE164} is no longer waiting in the new-callers inbox`);
}

/** Accepts a number: its record is created, assigned to the user who accepted it. */
export async function acceptNewCaller(
  ports: { readonly inbox: NewCallerInbox },
  input: {
    readonly clientE164: string;
    readonly kind: 'contact' | 'lead' | 'deal';
    readonly name: string | null;
    readonly actor: UserActor;
    readonly at: string;
  },
): Promise<{ type: 'contact' | 'lead' | 'deal'; id: string }> {
  const created = await ports.inbox.accept(input);
  if (!created) {
    throw alreadyDecided(input.clientE164);
  }
  return created;
}

/** Adds the number to an existing contact (the user must be allowed to change that contact). */
export async function mergeNewCaller(
  ports: { readonly inbox: NewCallerInbox },
  input: {
    readonly clientE164: string;
    readonly contactId: string;
    readonly actor: UserActor;
    readonly at: string;
  },
): Promise<void> {
  if (!(await ports.inbox.merge(input))) {
    throw alreadyDecided(input.clientE164);
  }
}

/** Declines a number: no record, and its later calls are not offered again. */
export async function declineNewCaller(
  ports: { readonly inbox: NewCallerInbox },
  input: { readonly clientE164: string; readonly actor: UserActor; readonly at: string },
): Promise<void> {
  if (!(await ports.inbox.decline(input))) {
    throw alreadyDecided(input.clientE164);
  }
}
