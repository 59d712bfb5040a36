import { TELEPHONY_FEATURES, type TelephonyFeature } from '../../../api/types.js';

/**
 * Switches shown on cards of their own, beside their options: new callers (`NewCallersCard`) and the missed-call
 * loop (`MissedCallsCard`). Why: a switch sits next to what it decides.
 */
const ON_THEIR_OWN_CARDS: ReadonlySet<TelephonyFeature> = new Set(['autoCreate', 'missedCallTasks']);

/** The switches of the features card (the others have cards of their own). */
export const SHOWN_TELEPHONY_FEATURES: readonly TelephonyFeature[] = TELEPHONY_FEATURES.filter(
  (feature) => !ON_THEIR_OWN_CARDS.has(feature),
);

/**
 * Every feature flag with one of them switched. Why: the settings API replaces the whole `features` object,
 * so the hidden switches must be sent back as stored, never reset.
 */
export function withFeature(
  features: Readonly<Record<TelephonyFeature, boolean>>,
  feature: TelephonyFeature,
  on: boolean,
): Record<TelephonyFeature, boolean> {
  return { ...features, [feature]: on };
}
