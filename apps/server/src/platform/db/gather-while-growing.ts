/**
 * Waits event-loop turns while a queue keeps growing: at most `maxTurns`, and never once it holds `enough`.
 * Why: a group commit (the webhook inbox, a processing batch) under load then takes in everything the sockets
 * are about to deliver and pays one commit for all of it; on a quiet server the first turn adds nothing and
 * the commit starts at once, so latency is not traded away when there is nothing to gain.
 */
export async function gatherWhileGrowing(
  size: () => number,
  options: { readonly enough: number; readonly maxTurns: number },
): Promise<void> {
  for (let turn = 0; turn < options.maxTurns && size() < options.enough; turn++) {
    const before = size();
    await new Promise((resolve) => setImmediate(resolve));
    if (size() === before) {
      return;
    }
  }
}
