import { Button, Group, Paper, Stack, Table, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { IconArrowDown, IconArrowUp, IconDownload, IconSearch, IconSelector } from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { toQueryString } from '../api/client.js';
import { type EntityPath, useList } from '../api/queries.js';
import { useT } from '../i18n/useT.js';
import {
  type ListParams,
  listQuery,
  readListParams,
  toggleSort,
  writeListParams,
} from '../lib/list-params.js';
import { ErrorAlert } from './ErrorAlert.js';
import { ListFooter, ListTableState } from './ListParts.js';

export interface Column<T> {
  key: string;
  label: string;
  /** API sort field; a column without one is not sortable. */
  sort?: string;
  render: (item: T) => ReactNode;
  /** Hide below this breakpoint to keep phone widths readable. */
  visibleFrom?: 'xs' | 'sm' | 'md' | 'lg';
  width?: number;
}

export interface ListState {
  params: ListParams;
  setFilter: (key: string, value: string | null) => void;
  setFilters: (patch: Record<string, string | null>) => void;
}

/** List params in the URL, with setters. Why: search, filters, sort and page survive reloads and can be shared. */
function useListState(defaults: { sort: string; pageSize?: number }) {
  const [search, setSearch] = useSearchParams();
  const params = readListParams(search, defaults);
  const update = (next: Partial<ListParams>) => {
    setSearch(writeListParams({ ...params, ...next }, defaults), { replace: true });
  };
  const setFilters = (patch: Record<string, string | null>) => {
    const filters = { ...params.filters };
    for (const [key, value] of Object.entries(patch)) {
      if (value) {
        filters[key] = value;
      } else {
        delete filters[key];
      }
    }
    update({ filters, page: 1 });
  };
  const setFilter = (key: string, value: string | null) => setFilters({ [key]: value });
  return { params, update, setFilter, setFilters };
}

/**
 * A server-side list: search box, filters, sortable columns, paging and CSV export. Why: every entity list in the
 * CRM behaves the same way, so users learn it once.
 */
export function ListView<T extends { id: string }>({
  entity,
  columns,
  defaultSort,
  rowHref,
  onRowClick,
  filters,
  actions,
  exportable = true,
  rowClassName,
  emptyText,
}: {
  entity: EntityPath;
  columns: Column<T>[];
  defaultSort: string;
  rowHref?: (item: T) => string;
  onRowClick?: (item: T) => void;
  filters?: (state: ListState) => ReactNode;
  actions?: ReactNode;
  exportable?: boolean;
  rowClassName?: (item: T) => string | undefined;
  emptyText?: string;
}) {
  const { t } = useT();
  const navigate = useNavigate();
  const { params, update, setFilter, setFilters } = useListState({ sort: defaultSort });
  const list = useList<T>(entity, params);
  const [q, setQ] = useState(params.q);
  const pushSearch = useDebouncedCallback((value: string) => update({ q: value.trim(), page: 1 }), 250);

  const total = list.data?.total ?? 0;
  const exportQuery = { ...listQuery(params), page: undefined, pageSize: undefined };

  return (
    <Stack gap="sm">
      <Group gap="xs" align="flex-end" wrap="wrap">
        <TextInput
          placeholder={t('list.search')}
          aria-label={t('list.search')}
          leftSection={<IconSearch size={16} />}
          value={q}
          onChange={(event) => {
            setQ(event.currentTarget.value);
            pushSearch(event.currentTarget.value);
          }}
          style={{ flex: '1 1 220px' }}
          data-testid="list-search"
        />
        {filters?.({ params, setFilter, setFilters })}
        <Group gap="xs" ml="auto">
          {exportable && (
            <Button
              component="a"
              href={`/api/${entity}/export.csv${toQueryString(exportQuery)}`}
              variant="default"
              leftSection={<IconDownload size={16} />}
              download
            >
              {t('list.export')}
            </Button>
          )}
          {actions}
        </Group>
      </Group>
      <ErrorAlert error={list.error} />
      <Paper withBorder radius="md">
        <Table.ScrollContainer minWidth={320}>
          <Table highlightOnHover verticalSpacing="xs" data-testid={`${entity}-table`}>
            <Table.Thead>
              <Table.Tr>
                {columns.map((column) => (
                  <Table.Th key={column.key} visibleFrom={column.visibleFrom} w={column.width}>
                    {column.sort ? (
                      <SortHeader
                        label={column.label}
                        field={column.sort}
                        sort={params.sort}
                        onSort={(field) => update({ sort: toggleSort(params.sort, field), page: 1 })}
                      />
                    ) : (
                      column.label
                    )}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody style={{ opacity: list.isPlaceholderData ? 0.6 : 1 }}>
              {list.data?.items.map((item) => (
                <Table.Tr
                  key={item.id}
                  className={
                    [rowHref || onRowClick ? 'sb-row-link' : '', rowClassName?.(item) ?? '']
                      .join(' ')
                      .trim() || undefined
                  }
                  onClick={(event) => {
                    // Links and buttons inside the row (the name link, a phone's call button) act alone; a click
                    // with a modifier is the browser's (new tab, new window).
                    if (
                      (event.target as HTMLElement).closest('a, button, input, [role="button"]') ||
                      event.ctrlKey ||
                      event.metaKey ||
                      event.shiftKey
                    ) {
                      return;
                    }
                    if (rowHref) {
                      navigate(rowHref(item));
                    } else {
                      onRowClick?.(item);
                    }
                  }}
                >
                  {columns.map((column, index) => (
                    <Table.Td key={column.key} visibleFrom={column.visibleFrom}>
                      {rowHref && index === 0 ? (
                        // The row's first cell is a real link: middle-click, "open in a new tab", Tab + Enter.
                        <Link to={rowHref(item)} className="sb-row-anchor" data-testid="row-link">
                          {column.render(item)}
                        </Link>
                      ) : (
                        column.render(item)
                      )}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <ListTableState
          isPending={list.isPending}
          isEmpty={Boolean(list.data && list.data.items.length === 0)}
          emptyText={emptyText ?? t('list.empty')}
        />
      </Paper>
      <ListFooter
        total={total}
        page={params.page}
        pageSize={params.pageSize}
        onPage={(page) => update({ page })}
        onPageSize={(pageSize) => update({ pageSize, page: 1 })}
      />
    </Stack>
  );
}

function SortHeader({
  label,
  field,
  sort,
  onSort,
}: {
  label: string;
  field: string;
  sort: string;
  onSort: (field: string) => void;
}) {
  const Icon = sort === field ? IconArrowUp : sort === `-${field}` ? IconArrowDown : IconSelector;
  return (
    <UnstyledButton onClick={() => onSort(field)} data-testid={`sort-${field}`}>
      <Group gap={4} wrap="nowrap">
        <Text size="sm" fw={600}>
          {label}
        </Text>
        <Icon size={14} />
      </Group>
    </UnstyledButton>
  );
}
