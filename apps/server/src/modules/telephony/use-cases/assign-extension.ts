/**
 * Gives a PBX extension to a user, under the one assignment policy (domain/extension-assignment-policy.ts): an
 * extension already given is not taken from its holder and a user holds one extension; a refusal names the holder.
 */
import { AppError } from '../../../platform/errors/errors.js';
import { decideExtensionAssignment } from '../domain/extension-assignment-policy.js';
import type { ExtensionAssignmentRepository, UserDirectory } from '../ports.js';
import type { ExtensionItem } from './list-extensions.js';

export interface AssignExtensionOptions {
  readonly assignments: Pick<ExtensionAssignmentRepository, 'assign' | 'listHoldings'>;
  readonly users: UserDirectory;
  readonly extension: string;
  readonly userId: string;
  /** The current instant (ISO-8601), stored with the assignment. */
  readonly now: () => string;
}

/**
 * Assigns, or refuses with SB_ERR_CONFLICT (taken) or SB_ERR_NOT_FOUND (no active user). Assigning what the user
 * already holds succeeds. Why a conflict and no takeover: a silent move would leave the other user's phone unlinked.
 */
export async function assignExtension(options: AssignExtensionOptions): Promise<ExtensionItem> {
  const { assignments, extension, userId } = options;
  const user = await options.users.findActive(userId);
  if (!user) {
    throw new AppError('SB_ERR_NOT_FOUND', `no active user with id ${userId}`);
  }
  const decision = decideExtensionAssignment(extension, user.id, await assignments.listHoldings());
  switch (decision.kind) {
    case 'extension-taken':
      throw new AppError(
        'SB_ERR_CONFLICT',
        `extension ${extension} is already assigned to ${decision.holder.userName}`,
      );
    case 'user-has-extension':
      throw new AppError(
        'SB_ERR_CONFLICT',
        `${user.name} already has extension ${decision.holding.extension}`,
      );
    case 'assign':
      if (!(await assignments.assign(extension, user.id, options.now()))) {
        // Another admin assigned one of the two between the read and the write: the table's unique keys refused it.
        throw new AppError(
          'SB_ERR_CONFLICT',
          `extension ${extension} or ${user.name} was assigned meanwhile`,
        );
      }
      break;
    case 'unchanged':
      break;
  }
  return { extension, online: null, userId: user.id, userName: user.name };
}
