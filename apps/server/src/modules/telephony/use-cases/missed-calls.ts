/**
 * The "missed calls" list (issue 13): the missed inbound calls that rang the user's extension or whose contact
 * they are responsible for, until handled — returned (an answered call with the same number afterwards, either
 * way) or dismissed. Derived from the calls themselves, so it needs no task and no job to stay true.
 */
import type { Actor } from '../../../platform/auth/actor.js';
import { AppError } from '../../../platform/errors/errors.js';
import type { CallRepository, CallWorkspaceStore, ExtensionDirectory, StoredCall } from '../ports.js';
import { mayWorkOnCall } from './call-workspace-access.js';

/** How far back the list looks: older missed calls are history, not work. */
const MISSED_WINDOW_MS = 14 * 24 * 60 * 60_000;
const MISSED_LIMIT = 100;

type MissedPorts = {
  readonly store: CallWorkspaceStore;
  readonly calls: Pick<CallRepository, 'getById'>;
  readonly directory: ExtensionDirectory;
};

/** The user's missed calls still to handle, newest first. */
export async function listMissedCalls(ports: MissedPorts, actor: Actor, now: number): Promise<StoredCall[]> {
  if (actor.kind !== 'user') {
    return [];
  }
  const extension = await ports.directory.extensionOf(actor.id);
  const ids = await ports.store.missedFor({
    userId: actor.id,
    extension,
    since: new Date(now - MISSED_WINDOW_MS).toISOString(),
    limit: MISSED_LIMIT,
  });
  const calls = await Promise.all(ids.map((id) => ports.calls.getById(id)));
  return calls.filter((c): c is StoredCall => c !== null);
}

/** Takes a missed call off everyone's list. Why: handled another way (an email, a colleague) needs no callback. */
export async function dismissMissedCall(
  ports: MissedPorts,
  actor: Actor,
  input: { readonly callId: string; readonly at: string },
): Promise<void> {
  const call = await ports.calls.getById(input.callId);
  if (!call || !(await mayWorkOnCall(ports, actor, call))) {
    throw new AppError('SB_ERR_NOT_FOUND', `no call ${input.callId}`);
  }
  if (call.status !== 'missed') {
    throw new AppError('SB_ERR_CONFLICT', 'only a missed call can be dismissed');
  }
  await ports.store.dismissMissed(call.id, actor.kind === 'user' ? actor.id : null, input.at);
}
