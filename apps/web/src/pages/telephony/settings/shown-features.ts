import { TELEPHONY_FEATURES, type TelephonyFeature } from '../../../api/types.js';

/**
 * Switches stored and accepted by the server but read by nothing yet: contact/lead auto-creation and missed-call
 * call-back tasks wait for the automation issue. Why: a switch that does nothing is a defect, so it stays hidden
 * until it works (its stored value is kept).
 */
const NOT_YET_WORKING: ReadonlySet<TelephonyFeature> = new Set(['autoCreate', 'missedCallTasks']);

/** The feature switches the settings page shows. Why: only switches the server acts on are offered. */
export const SHOWN_TELEPHONY_FEATURES: readonly TelephonyFeature[] = TELEPHONY_FEATURES.filter(
  (feature) => !NOT_YET_WORKING.has(feature),
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
