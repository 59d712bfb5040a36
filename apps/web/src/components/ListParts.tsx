import { Center, Group, Loader, Pagination, Select, Text } from '@mantine/core';
import { useT } from '../i18n/useT.js';
import { formatNumber } from '../lib/format.js';
import { PAGE_SIZES } from '../lib/list-params.js';

/** Under a list's table: a loader while the first page loads, the empty text once it is known to be empty. */
export function ListTableState({
  isPending,
  isEmpty,
  emptyText,
}: {
  isPending: boolean;
  isEmpty: boolean;
  emptyText: string;
}) {
  return (
    <>
      {isPending && (
        <Center p="lg">
          <Loader size="sm" />
        </Center>
      )}
      {isEmpty && (
        <Center p="xl">
          <Text c="dimmed">{emptyText}</Text>
        </Center>
      )}
    </>
  );
}

/**
 * Below a list: the localised total and the pager (with a page-size menu when the list lets people choose).
 * Why: every paged list in the app ends the same way.
 */
export function ListFooter({
  total,
  page,
  pageSize,
  onPage,
  onPageSize,
}: {
  total: number;
  page: number;
  pageSize: number;
  onPage: (page: number) => void;
  onPageSize?: (pageSize: number) => void;
}) {
  const { t, locale } = useT();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <Group justify="space-between" wrap="wrap" gap="xs">
      <Text size="sm" c="dimmed" data-testid="list-total">
        {t('list.total', { count: total, formatted: formatNumber(total, locale) })}
      </Text>
      <Group gap="xs" wrap="nowrap">
        {onPageSize && (
          <Select
            size="xs"
            w={80}
            aria-label={t('list.pageSize')}
            data={PAGE_SIZES.map(String)}
            value={String(pageSize)}
            onChange={(value) => onPageSize(Number(value ?? 25))}
            allowDeselect={false}
          />
        )}
        <Pagination size="sm" total={pages} value={Math.min(page, pages)} onChange={onPage} siblings={0} />
      </Group>
    </Group>
  );
}
