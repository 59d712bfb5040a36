import type { CallView } from '../api/types.js';

export interface DayBucket {
  /** Local calendar day, YYYY-MM-DD. */
  day: string;
  answered: number;
  missed: number;
}

function localDay(date: Date): string {
  const y = date.getFullYear();
  const m = String(date.getMonth() + 1).padStart(2, '0');
  const d = String(date.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

/**
 * Counts answered and missed calls per local day over the last `days` days (oldest first, empty days kept).
 * Why: the calls page shows at a glance whether calls are being lost, day by day.
 */
export function callsPerDay(
  calls: readonly Pick<CallView, 'startedAt' | 'status'>[],
  days: number,
  now: Date = new Date(),
): DayBucket[] {
  const buckets = new Map<string, DayBucket>();
  for (let i = days - 1; i >= 0; i--) {
    const date = new Date(now.getFullYear(), now.getMonth(), now.getDate() - i);
    const day = localDay(date);
    buckets.set(day, { day, answered: 0, missed: 0 });
  }
  for (const call of calls) {
    const bucket = buckets.get(localDay(new Date(call.startedAt)));
    if (!bucket) {
      continue;
    }
    if (call.status === 'answered') {
      bucket.answered += 1;
    } else if (call.status === 'missed' || call.status === 'no_answer' || call.status === 'busy') {
      bucket.missed += 1;
    }
  }
  return [...buckets.values()];
}
