import { keepPreviousData, QueryCache, QueryClient, useQuery } from '@tanstack/react-query';
import { type ListParams, listQuery } from '../lib/list-params.js';
import { ApiError, api } from './client.js';
import type { DirectoryUser, ListResult, Pipeline, Settings, TimelineItem, User } from './types.js';

export type EntityPath = 'contacts' | 'companies' | 'leads' | 'deals' | 'tasks';

export const meKey = ['auth', 'me'] as const;

/** Creates the app's query client. Why: any 401 means the session ended, so the app returns to sign-in. */
export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      onError: (error, query) => {
        if (error instanceof ApiError && error.status === 401 && query.queryKey !== meKey) {
          client.setQueryData(meKey, null);
        }
      },
    }),
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        refetchOnWindowFocus: false,
        retry: (count, error) =>
          !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
      },
    },
  });
  return client;
}

/** The signed-in user, or null. Why: 401 on /auth/me is the normal signed-out state, not an error. */
export function useMe() {
  return useQuery({
    queryKey: meKey,
    queryFn: async ({ signal }) => {
      try {
        const { user } = await api.get<{ user: User }>('/auth/me', undefined, signal);
        return user;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) {
          return null;
        }
        throw error;
      }
    },
    staleTime: 60_000,
  });
}

/** Users for pickers (any signed-in user). */
export function useDirectory() {
  return useQuery({
    queryKey: ['users', 'directory'],
    queryFn: ({ signal }) => api.get<DirectoryUser[]>('/users/directory', undefined, signal),
    staleTime: 300_000,
  });
}

export function usePipelines() {
  return useQuery({
    queryKey: ['pipelines'],
    queryFn: ({ signal }) => api.get<Pipeline[]>('/pipelines', undefined, signal),
    staleTime: 300_000,
  });
}

export function useSettings(enabled = true) {
  return useQuery({
    queryKey: ['settings'],
    queryFn: ({ signal }) => api.get<Settings>('/settings', undefined, signal),
    enabled,
  });
}

/** A page of an entity list. Why: keeps the previous page on screen while the next one loads. */
export function useList<T>(entity: EntityPath, params: ListParams) {
  return useQuery({
    queryKey: [entity, 'list', listQuery(params)],
    queryFn: ({ signal }) => api.get<ListResult<T>>(`/${entity}`, listQuery(params), signal),
    placeholderData: keepPreviousData,
  });
}

export function useEntity<T>(entity: EntityPath, id: string | undefined) {
  return useQuery({
    queryKey: [entity, 'one', id],
    queryFn: ({ signal }) => api.get<T>(`/${entity}/${id}`, undefined, signal),
    enabled: Boolean(id),
  });
}

export function useTimeline(entity: Exclude<EntityPath, 'tasks'>, id: string | undefined) {
  return useQuery({
    queryKey: [entity, 'timeline', id],
    queryFn: ({ signal }) =>
      api.get<{ items: TimelineItem[] }>(`/${entity}/${id}/timeline`, undefined, signal),
    enabled: Boolean(id),
  });
}
