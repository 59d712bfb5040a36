/**
 * Who hears about an inbound call once it is answered or ended: the users of every extension it rang or that
 * answered it, and its agent. Why: `call.answered` and `call.ended` go to the same people, so every tab that
 * showed the popup can close it.
 */
import type { ExtensionDirectory, StoredCall } from '../ports.js';

/** The audience of a call's answer or end, and the user of each extension (for naming who answered). */
export async function callAudience(
  ports: { readonly directory: ExtensionDirectory },
  call: StoredCall,
  answeredExtension: string | null,
): Promise<{ readonly audience: (string | null)[]; readonly users: ReadonlyMap<string, string> }> {
  const extensions = [
    ...new Set(
      [...call.ringingExtensions, call.answerExtension, call.answeredBy, answeredExtension].filter(
        (e): e is string => typeof e === 'string',
      ),
    ),
  ];
  const users = extensions.length > 0 ? await ports.directory.usersOf(extensions) : new Map<string, string>();
  return { audience: [...users.values(), call.agentUserId], users };
}
