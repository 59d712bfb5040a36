/**
 * Frees a PBX extension: nobody's calls arrive through it until it is assigned again.
 */
import type { ExtensionAssignmentRepository } from '../ports.js';
import type { ExtensionItem } from './list-extensions.js';

/** Removes the extension's assignment (freeing a free extension is not an error). Why: before giving it to another. */
export async function freeExtension(options: {
  readonly assignments: Pick<ExtensionAssignmentRepository, 'unassign'>;
  readonly extension: string;
}): Promise<ExtensionItem> {
  await options.assignments.unassign(options.extension);
  return { extension: options.extension, online: null, userId: null, userName: null };
}
