import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, type QueryValue } from './client.js';
import type {
  ExtensionItem,
  Health,
  InboxDetail,
  InboxItem,
  ListResult,
  TelephonyMe,
  TelephonySettings,
} from './types.js';

export const telephonyKeys = {
  settings: ['telephony', 'settings'] as const,
  extensions: ['telephony', 'extensions'] as const,
  balance: ['telephony', 'balance'] as const,
  blacklist: ['telephony', 'blacklist'] as const,
  me: ['telephony', 'me'] as const,
  inbox: ['telephony', 'inbox'] as const,
};

/** Server health and mode. Why: the demo banner shows only when the server runs its built-in simulator. */
export function useHealth() {
  return useQuery({
    queryKey: ['health'],
    queryFn: ({ signal }) => api.get<Health>('/health', undefined, signal),
    staleTime: 300_000,
  });
}

/** Whether telephony is on and the signed-in user's extension. Why: PhoneLink falls back to `tel:` when off. */
export function useTelephonyMe() {
  return useQuery({
    queryKey: telephonyKeys.me,
    queryFn: ({ signal }) => api.get<TelephonyMe>('/telephony/me', undefined, signal),
    staleTime: 60_000,
    retry: false,
  });
}

export function useTelephonySettings() {
  return useQuery({
    queryKey: telephonyKeys.settings,
    queryFn: ({ signal }) => api.get<TelephonySettings>('/telephony/settings', undefined, signal),
    // The webhook's live status (last event, last rejection) follows without a reload.
    refetchInterval: 15_000,
  });
}

export function useExtensions(enabled: boolean) {
  return useQuery({
    queryKey: telephonyKeys.extensions,
    queryFn: ({ signal }) => api.get<{ items: ExtensionItem[] }>('/telephony/extensions', undefined, signal),
    enabled,
    // Online status comes from Zadarma (one request per extension): once a minute stays far below 100/min.
    refetchInterval: 60_000,
    retry: false,
  });
}

export function useBalance(enabled: boolean) {
  return useQuery({
    queryKey: telephonyKeys.balance,
    queryFn: ({ signal }) =>
      api.get<{ balance: number; currency: string }>('/telephony/balance', undefined, signal),
    enabled,
    retry: false,
  });
}

export function useInbox(query: Record<string, QueryValue>) {
  return useQuery({
    queryKey: [...telephonyKeys.inbox, 'list', query],
    queryFn: ({ signal }) => api.get<ListResult<InboxItem>>('/telephony/inbox', query, signal),
    placeholderData: keepPreviousData,
  });
}

export function useInboxItem(id: string | null) {
  return useQuery({
    queryKey: [...telephonyKeys.inbox, 'one', id],
    queryFn: ({ signal }) => api.get<InboxDetail>(`/telephony/inbox/${id}`, undefined, signal),
    enabled: Boolean(id),
  });
}

/** A page of calls with filters (contactId, userId, direction, status). */
