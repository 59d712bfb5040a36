import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { apiQueryOf, type CallLogFilters } from '../lib/call-log-filters.js';
import { api, toQueryString } from './client.js';
import type { CallDetail, CallLogPage, CallStatistics, StatisticsSettings } from './types.js';

const PAGE_SIZE = 50;

/** The call log, a keyset page at a time. Why: "load more" costs the same on the 1st and the 10,000th page. */
export function useCallLog(filters: CallLogFilters) {
  return useInfiniteQuery({
    queryKey: ['calls', 'log', filters],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) =>
      api.get<CallLogPage>(
        '/call-log',
        { ...apiQueryOf(filters), limit: PAGE_SIZE, cursor: pageParam ?? undefined },
        signal,
      ),
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  });
}

/** Where the browser downloads the filtered log as CSV (the session cookie authenticates the GET). */
export function callLogExportUrl(filters: CallLogFilters): string {
  return `/api/call-log/export.csv${toQueryString(apiQueryOf(filters))}`;
}

/** A call's own page. */
export function useCallDetail(id: string) {
  return useQuery({
    queryKey: ['calls', 'detail', id],
    queryFn: ({ signal }) => api.get<CallDetail>(`/call-log/${encodeURIComponent(id)}`, undefined, signal),
  });
}

/** The statistics of a period (local days in the browser's time zone). */
export function useCallStatistics(query: { from: string; to: string; extension?: string | null }) {
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return useQuery({
    queryKey: ['calls', 'statistics', query, timeZone],
    queryFn: ({ signal }) =>
      api.get<CallStatistics>(
        '/statistics',
        { from: query.from, to: query.to, timeZone, extension: query.extension ?? undefined },
        signal,
      ),
    placeholderData: keepPreviousData,
    // Fresh within seconds: the rollups move in the fold's own transaction.
    refetchInterval: 15_000,
  });
}

/** The statistics settings: the return window of "returned within N minutes" and its choices. */
export function useStatisticsSettings() {
  return useQuery({
    queryKey: ['calls', 'statistics-settings'],
    queryFn: ({ signal }) => api.get<StatisticsSettings>('/statistics/settings', undefined, signal),
  });
}

/** Saves the return window (admins), then recounts the statistics with it. */
export function useSaveReturnWindow() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (returnWithinMinutes: number) =>
      api.put<StatisticsSettings>('/statistics/settings', { returnWithinMinutes }),
    onSuccess: (saved) => {
      queryClient.setQueryData(['calls', 'statistics-settings'], saved);
      return queryClient.invalidateQueries({ queryKey: ['calls', 'statistics'] });
    },
  });
}
