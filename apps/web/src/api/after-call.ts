import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useT } from '../i18n/useT.js';
import { api } from './client.js';
import type { AfterCallOptions, AfterCallOptionsInput, NewCallerItem, NewCallerKind } from './types.js';

const afterCallKeys = {
  options: ['telephony', 'after-call'] as const,
  newCallers: ['new-callers'] as const,
};

/** The callback tasks' due time and the new-caller rules (admin). */
export function useAfterCallOptions() {
  return useQuery({
    queryKey: afterCallKeys.options,
    queryFn: ({ signal }) => api.get<AfterCallOptions>('/telephony/after-call', undefined, signal),
  });
}

/** Saves after-call options and puts the answer in the cache. */
export function useSaveAfterCallOptions() {
  const { t } = useT();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: AfterCallOptionsInput) => api.put<AfterCallOptions>('/telephony/after-call', input),
    onSuccess: (saved) => {
      queryClient.setQueryData(afterCallKeys.options, saved);
      notifications.show({ color: 'green', message: t('common.saved') });
    },
  });
}

/** The numbers waiting in the new-callers inbox. */
export function useNewCallers() {
  return useQuery({
    queryKey: afterCallKeys.newCallers,
    queryFn: ({ signal }) => api.get<{ items: NewCallerItem[] }>('/new-callers', undefined, signal),
    refetchInterval: 30_000,
  });
}

type Decision =
  | { readonly decision: 'accept'; readonly number: string; readonly kind: NewCallerKind }
  | { readonly decision: 'merge'; readonly number: string; readonly contactId: string }
  | { readonly decision: 'decline'; readonly number: string };

/** Accepts, merges or declines a new caller; the inbox reloads either way (someone may have decided first). */
export function useDecideNewCaller() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ decision, ...body }: Decision) =>
      api.post<{ recordType: NewCallerKind | null; recordId: string | null }>(
        `/new-callers/${decision}`,
        body,
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: afterCallKeys.newCallers }),
  });
}
