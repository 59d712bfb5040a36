/**
 * The one attribution rule: which extension a call counts for, and the rule that decided it. The call log shows
 * it ("answered by 102", "transfer: last participant", "missed: first extension rung") and the statistics count
 * by it, so an agent's figures are exactly the calls the log attributes to them (ARCHITECTURE.md, "Attribution").
 * Pure: a function of the folded record alone, so it is as order-independent as the fold.
 */
import type { CallRecord } from './fold-call.js';

/**
 * - `answered`: the one extension that talked (`last_internal`, else the answering party).
 * - `transfer_last_participant`: several extensions answered (a transfer); the last participant, the end's
 *   `last_internal`, is credited — the one who finished with the client.
 * - `missed_first_rung`: nobody answered; the first extension rung (the lowest, as ring groups dial in
 *   extension order; notifications carry no ringing time of their own).
 * - `placed_by`: an outbound call or a click-to-call, credited to the extension that placed it.
 * - `unrouted`: no extension ever took part (hung up in the voice menu, a queue, a forwarding rule).
 */
type AttributionRule =
  | 'answered'
  | 'transfer_last_participant'
  | 'missed_first_rung'
  | 'placed_by'
  | 'unrouted';

export interface Attribution {
  /** The extension credited, null for `unrouted`. */
  readonly extension: string | null;
  readonly rule: AttributionRule;
}

/** The fields of a call record the rule reads. */
export type AttributableCall = Pick<
  CallRecord,
  'direction' | 'answers' | 'answeredBy' | 'ringingExtensions' | 'originExtension' | 'calltype'
>;

/**
 * Attributes a call to an extension and names the rule that decided it.
 * Why one function: the call log and the statistics must never disagree about whose call it was.
 */
export function attributeCall(call: AttributableCall): Attribution {
  const placedBy = call.originExtension;
  const isCallback = call.calltype === 'callback_leg1' || call.calltype === 'callback_leg2';
  if (call.direction === 'outbound' || isCallback) {
    if (placedBy !== null) {
      return { extension: placedBy, rule: 'placed_by' };
    }
  }
  if (call.answeredBy !== null) {
    let parties = 0;
    for (const answer of call.answers) {
      if (answer.extension !== null) {
        parties += 1;
      }
    }
    return {
      extension: call.answeredBy,
      rule: parties > 1 ? 'transfer_last_participant' : 'answered',
    };
  }
  // `ringingExtensions` is kept in extension order by the fold.
  const firstRung = call.ringingExtensions[0];
  if (firstRung !== undefined) {
    return { extension: firstRung, rule: 'missed_first_rung' };
  }
  if (placedBy !== null) {
    return { extension: placedBy, rule: 'placed_by' };
  }
  return { extension: null, rule: 'unrouted' };
}
