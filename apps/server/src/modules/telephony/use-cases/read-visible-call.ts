/**
 * One call, for an actor who may read it. Why one answer for both: a call that does not exist and a call the
 * actor may not read are the same 404, so ids cannot be probed.
 */
import type { Actor } from '../../../platform/auth/actor.js';
import { AppError } from '../../../platform/errors/errors.js';
import type { CallRepository, CallVisibility, StoredCall } from '../ports.js';

export interface ReadVisibleCallPorts {
  readonly calls: Pick<CallRepository, 'getById'>;
  readonly visibility: CallVisibility;
}

export async function readVisibleCall(
  ports: ReadVisibleCallPorts,
  actor: Actor,
  id: string,
): Promise<StoredCall> {
  const call = await ports.calls.getById(id);
  if (!call || !(await ports.visibility.canRead(actor, id))) {
    throw new AppError('SB_ERR_NOT_FOUND', `no call ${id}`);
  }
  return call;
}
