/**
 * What the signed-in user's web app needs to know about telephony: whether it is on, their extension, and how
 * click-to-call rings.
 */
import type { ExtensionAssignmentRepository, TelephonySettingsStore } from '../ports.js';

export interface MyTelephony {
  readonly enabled: boolean;
  readonly extension: string | null;
  readonly predictedCallback: boolean;
}

/**
 * Telephony is on in demo mode or once credentials are stored. Why: phone links become click-to-call buttons
 * only when a call can actually be placed from this user's extension.
 */
export async function readMyTelephony(options: {
  readonly settings: Pick<TelephonySettingsStore, 'stored'>;
  readonly assignments: Pick<ExtensionAssignmentRepository, 'findExtension'>;
  readonly mode: 'demo' | 'live';
  readonly userId: string;
}): Promise<MyTelephony> {
  const [stored, extension] = await Promise.all([
    options.settings.stored(),
    options.assignments.findExtension(options.userId),
  ]);
  return {
    enabled: options.mode === 'demo' || Boolean(stored.apiKey && stored.apiSecret),
    extension,
    predictedCallback: stored.predictedCallback,
  };
}
