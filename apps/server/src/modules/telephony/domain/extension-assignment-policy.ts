/**
 * The one extension-assignment policy: a PBX extension has at most one user and a user at most one extension, and
 * an extension already given is never taken from its holder — an admin frees it first. Every path that assigns
 * (the settings page, demo seeding, imports to come) decides with `decideExtensionAssignment`.
 */

/** An assignment as the policy needs to see it: the holder's name words a refusal. */
export interface Holding {
  readonly extension: string;
  readonly userId: string;
  readonly userName: string;
}

export type ExtensionAssignmentDecision =
  /** Both are free: store the assignment. */
  | { readonly kind: 'assign' }
  /** The user already holds this very extension: nothing to do. */
  | { readonly kind: 'unchanged' }
  /** The extension is someone else's. */
  | { readonly kind: 'extension-taken'; readonly holder: Holding }
  /** The user already holds another extension. */
  | { readonly kind: 'user-has-extension'; readonly holding: Holding };

/**
 * Whether `extension` may be given to `userId`, given every current assignment.
 * Why one function: the settings page and demo seeding must agree on what may be assigned.
 */
export function decideExtensionAssignment(
  extension: string,
  userId: string,
  holdings: readonly Holding[],
): ExtensionAssignmentDecision {
  const ofExtension = holdings.find((h) => h.extension === extension);
  if (ofExtension?.userId === userId) {
    return { kind: 'unchanged' };
  }
  if (ofExtension) {
    return { kind: 'extension-taken', holder: ofExtension };
  }
  const ofUser = holdings.find((h) => h.userId === userId);
  if (ofUser) {
    return { kind: 'user-has-extension', holding: ofUser };
  }
  return { kind: 'assign' };
}
