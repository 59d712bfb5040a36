import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client.js';
import type { MissedCalls } from '../api/types.js';

/**
 * The signed-in user's missed calls still to return. Under `['calls', …]`, so every live call event refreshes it:
 * a call back answered takes a missed call off the list without a reload.
 */
export function useMissedCalls() {
  return useQuery({
    queryKey: ['calls', 'missed'],
    queryFn: ({ signal }) => api.get<MissedCalls>('/calls/missed', undefined, signal),
  });
}
