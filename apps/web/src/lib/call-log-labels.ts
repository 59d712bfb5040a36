// The call log's words in the user's language: outcomes, attribution rules, what became of a missed call, and
// the items of a call's trace (stored as a kind code and parameters, never as English sentences).
import type { AttributionRule, CallOutcome, MissedCallClass } from '../api/types.js';

type T = (id: string, values?: Record<string, unknown>) => string;

/** An outcome in plain words ("No answer", "Hung up in the voice menu"). */
export function outcomeLabel(t: T, outcome: CallOutcome | 'missed'): string {
  return t(`call.outcome.${outcome}`);
}

/** The Mantine colour of an outcome badge. */
export function outcomeColor(outcome: CallOutcome): string {
  switch (outcome) {
    case 'answered':
      return 'green';
    case 'live':
      return 'blue';
    case 'no_answer':
    case 'cancelled':
    case 'ivr_hangup':
      return 'orange';
    case 'busy':
    case 'failed':
      return 'red';
    default:
      return 'gray';
  }
}

/** The attribution as a sentence: "answered by 102", "transfer: last participant 103". */
export function attributionLabel(
  t: T,
  attribution: { extension: string | null; rule: AttributionRule },
): string {
  return t(`call.rule.${attribution.rule}`, { extension: attribution.extension ?? '' });
}

/** What became of a missed call. */
export function missedClassLabel(t: T, classification: MissedCallClass, minutes: number): string {
  return t(`call.fate.${classification}`, { minutes });
}

/** Trace kinds this page knows how to word; others show the English line stored with them. */
const TRACE_KINDS = new Set(['call.routing']);

/** One item of a call's trace in the user's language. */
export function traceLabel(
  t: T,
  item: { type: string; params: Record<string, string | number>; text: string | null },
): string {
  if (TRACE_KINDS.has(item.type)) {
    return t(`call.trace.${item.type.replace(/\./g, '_')}`, item.params);
  }
  return item.text ?? item.type;
}

/** Seconds as m:ss, or h:mm:ss past an hour. */
export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) {
    return '—';
  }
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}
