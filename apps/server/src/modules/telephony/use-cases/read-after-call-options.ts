/** The after-call options as the settings page shows them: the callback task's due time, the new-caller rules. */
import type { AfterCallOptions, AfterCallOptionsStore } from '../ports.js';

/** Reads the options. Why a use case: the routes only route; saving has its own (`save-after-call-options.ts`). */
export function readAfterCallOptions(ports: {
  readonly options: Pick<AfterCallOptionsStore, 'read'>;
}): Promise<AfterCallOptions> {
  return ports.options.read();
}
