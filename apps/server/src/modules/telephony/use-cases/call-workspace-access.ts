/**
 * Who may work on a call from the call workspace (open its card, record its outcome, link it to a record
 * created from the card, dismiss it from the missed calls): admins and the system; a user whose extension
 * rang, answered or placed it, who is its agent, or who is responsible for its contact — the people the call
 * reached (the live events' audience) and those the calls list shows it to. An API client: nobody yet.
 */
import type { Actor } from '../../../platform/auth/actor.js';
import type { CallWorkspaceStore, ExtensionDirectory, StoredCall } from '../ports.js';

/** Whether `actor` may work on `call`. Why: one rule for every action of the card and the missed list. */
export async function mayWorkOnCall(
  ports: { readonly store: CallWorkspaceStore; readonly directory: ExtensionDirectory },
  actor: Actor,
  call: StoredCall,
): Promise<boolean> {
  if (actor.kind === 'system') {
    return true;
  }
  if (actor.kind !== 'user') {
    return false;
  }
  if (actor.role === 'admin' || call.agentUserId === actor.id) {
    return true;
  }
  const extension = await ports.directory.extensionOf(actor.id);
  if (
    extension !== null &&
    (call.ringingExtensions.includes(extension) ||
      call.answeredBy === extension ||
      call.originExtension === extension)
  ) {
    return true;
  }
  return call.contactId !== null && (await ports.store.isResponsibleFor(call.contactId, actor.id));
}
