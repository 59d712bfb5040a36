import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.js';

/** One local day of the calls chart, as `GET /api/calls/counts-by-day` returns it. */
export interface DayCount {
  /** Local calendar day, YYYY-MM-DD. */
  day: string;
  answered: number;
  missed: number;
}

/**
 * Answered and missed calls per day of the browser's time zone over the last `days` days, counted by the
 * server over every call the user may read. Why: the chart's title promises days, not the last page of calls;
 * its key sits under `calls`, so live call events refresh it with the log.
 */
export function useCallCountsByDay(days: number) {
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  return useQuery({
    queryKey: ['calls', 'counts-by-day', days, timeZone],
    queryFn: ({ signal }) =>
      api.get<{ timeZone: string; items: DayCount[] }>('/calls/counts-by-day', { days, timeZone }, signal),
    placeholderData: keepPreviousData,
  });
}
