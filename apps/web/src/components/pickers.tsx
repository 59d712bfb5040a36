import { Select, type SelectProps } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api/client.js';
import { useDirectory, useMe } from '../api/queries.js';
import type { ListResult } from '../api/types.js';

type PickerProps = Omit<SelectProps, 'data' | 'value' | 'onChange'> & {
  value: string | null;
  onChange: (value: string | null) => void;
};

/**
 * Picks a user from the directory (responsible / assignee). With `assignable`, an agent is offered only themself:
 * the server lets agents assign records to themselves or to nobody, so the form never offers what would fail.
 */
export function UserSelect({
  value,
  onChange,
  assignable,
  ...props
}: PickerProps & { assignable?: boolean }) {
  const directory = useDirectory();
  const me = useMe();
  const users = directory.data ?? [];
  const allowed =
    assignable && me.data?.role === 'agent'
      ? users.filter((u) => u.id === me.data?.id || u.id === value)
      : users;
  const data = allowed.map((u) => ({ value: u.id, label: u.name }));
  return <Select searchable clearable data={data} value={value} onChange={onChange} {...props} />;
}

/** Picks a contact or company, searching the server as the user types. Why: there may be thousands. */
export function EntitySelect({
  entity,
  value,
  onChange,
  initialLabel,
  ...props
}: PickerProps & { entity: 'contacts' | 'companies'; initialLabel?: string }) {
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 200);
  const options = useQuery({
    queryKey: [entity, 'picker', debounced],
    queryFn: async ({ signal }) => {
      const result = await api.get<ListResult<{ id: string; name?: string; displayName?: string }>>(
        `/${entity}`,
        { q: debounced, pageSize: 20 },
        signal,
      );
      return result.items.map((item) => ({
        value: item.id,
        label: item.name ?? item.displayName ?? item.id,
      }));
    },
    staleTime: 30_000,
  });
  const selected = useQuery({
    queryKey: [entity, 'one', value],
    queryFn: ({ signal }) =>
      api.get<{ id: string; name?: string; displayName?: string }>(`/${entity}/${value}`, undefined, signal),
    enabled: Boolean(value) && !initialLabel,
  });
  const data = [...(options.data ?? [])];
  if (value && !data.some((o) => o.value === value)) {
    const label = initialLabel ?? selected.data?.name ?? selected.data?.displayName ?? '…';
    data.unshift({ value, label });
  }
  return (
    <Select
      searchable
      clearable
      data={data}
      value={value}
      onChange={onChange}
      onSearchChange={setSearch}
      filter={({ options: all }) => all}
      nothingFoundMessage="—"
      {...props}
    />
  );
}

/** Shows a linked record's name from its id (cached per id). */
export function EntityName({ entity, id }: { entity: 'contacts' | 'companies'; id: string | null }) {
  const query = useQuery({
    queryKey: [entity, 'one', id],
    queryFn: ({ signal }) =>
      api.get<{ name?: string; displayName?: string }>(`/${entity}/${id}`, undefined, signal),
    enabled: Boolean(id),
    staleTime: 60_000,
  });
  if (!id) {
    return null;
  }
  return <>{query.data?.name ?? query.data?.displayName ?? '…'}</>;
}

/** A user's name from the directory. */
export function UserName({ id }: { id: string | null }) {
  const directory = useDirectory();
  if (!id) {
    return null;
  }
  return <>{directory.data?.find((u) => u.id === id)?.name ?? '…'}</>;
}
