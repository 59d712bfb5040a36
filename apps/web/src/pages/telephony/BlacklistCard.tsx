import {
  ActionIcon,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  SegmentedControl,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconSearch, IconTrash } from '@tabler/icons-react';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, api } from '../../api/client.js';
import { telephonyKeys } from '../../api/telephony.js';
import type { BlacklistItem, TelephonySettings } from '../../api/types.js';
import { DateField } from '../../components/DateFields.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { useT } from '../../i18n/useT.js';
import { apiErrorMessage, issueMessage } from '../../lib/api-error-message.js';
import { formatDateTime } from '../../lib/format.js';
import { useSaveTelephony } from './settings/use-save-telephony.js';

const PAGE_SIZE = 100;

/** One page of `GET /api/telephony/blacklist`: numbers in order, and where the next page starts. */
interface BlacklistPage {
  items: BlacklistItem[];
  nextCursor: string | null;
  /** Calls the blacklist refused, all entries together. */
  blockedCalls: number;
}

/** The end of the chosen day in the browser's time zone, as ISO; null without a day. */
function endOfDay(day: string): string | null {
  return day ? new Date(`${day}T23:59:59`).toISOString() : null;
}

/**
 * The blacklist a page at a time, in number order, searchable by number prefix.
 * Why: it can hold hundreds of thousands of numbers; the server never sends them all at once.
 */
function useBlacklistPages(prefix: string) {
  return useInfiniteQuery({
    queryKey: [...telephonyKeys.blacklist, 'pages', prefix],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) =>
      api.get<BlacklistPage>(
        '/telephony/blacklist',
        { limit: PAGE_SIZE, q: prefix || undefined, after: pageParam ?? undefined },
        signal,
      ),
    getNextPageParam: (last) => last.nextCursor,
  });
}

/**
 * Admin: block numbers and prefixes (optionally until a day), choose busy or hang-up, find entries by prefix,
 * see what each refused, unblock them.
 */
export function BlacklistCard({ settings }: { settings: TelephonySettings }) {
  const saveSettings = useSaveTelephony();
  const [isPrefix, setIsPrefix] = useState(false);
  const [expires, setExpires] = useState('');
  const { t, locale } = useT();
  const queryClient = useQueryClient();
  const [search, setSearch] = useState('');
  const [prefix] = useDebouncedValue(search.trim(), 250);
  const blacklist = useBlacklistPages(prefix);
  const [number, setNumber] = useState('');
  const [reason, setReason] = useState('');
  const refresh = () => queryClient.invalidateQueries({ queryKey: telephonyKeys.blacklist });
  const add = useMutation({
    mutationFn: () =>
      api.post<BlacklistItem>('/telephony/blacklist', {
        number: number.trim(),
        reason: reason.trim(),
        isPrefix,
        expiresAt: endOfDay(expires),
      }),
    onSuccess: async (entry) => {
      setNumber('');
      setReason('');
      setExpires('');
      // The list is in number order: show the number just blocked rather than leave it pages away.
      setSearch(entry.e164 ?? entry.number);
      await refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => api.delete(`/telephony/blacklist/${id}`),
    onSuccess: refresh,
    onError: (error) => notifications.show({ color: 'red', message: apiErrorMessage(error) }),
  });
  const fieldError = (path: string) => {
    const issue = add.error instanceof ApiError ? add.error.details.find((d) => d.path === path) : undefined;
    return issue ? issueMessage(issue) : undefined;
  };
  const numberError = fieldError('number');
  const expiryError = fieldError('expiresAt');
  const blockedCalls = blacklist.data?.pages[0]?.blockedCalls ?? 0;
  const items = blacklist.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Card withBorder radius="md" padding="lg" data-testid="tel-blacklist">
      <Group gap="xs" mb="sm">
        <Title order={4}>{t('tel.blacklist')}</Title>
      </Group>
      <Text size="sm" c="dimmed" mb="sm">
        {t('tel.blacklistHelp')}
      </Text>
      <Group justify="space-between" mb="sm">
        <SegmentedControl
          size="xs"
          value={settings.blacklistAction}
          onChange={(value) => saveSettings.mutate({ blacklistAction: value as 'busy' | 'hangup' })}
          data={[
            { value: 'busy', label: t('tel.blacklist.action.busy') },
            { value: 'hangup', label: t('tel.blacklist.action.hangup') },
          ]}
          aria-label={t('tel.blacklist.action')}
          data-testid="blacklist-action"
        />
        <Text size="sm" c="dimmed" data-testid="blacklist-blocked-calls">
          {t('tel.blacklist.blockedCalls', { count: blockedCalls })}
        </Text>
      </Group>
      <ErrorAlert error={saveSettings.error} />
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (number.trim()) {
            add.mutate();
          }
        }}
      >
        <Group align="flex-start" gap="xs" mb="sm">
          <TextInput
            placeholder={t('tel.blacklistNumber')}
            aria-label={t('tel.blacklistNumber')}
            value={number}
            onChange={(e) => setNumber(e.currentTarget.value)}
            error={numberError}
            style={{ flex: '1 1 140px' }}
            data-testid="blacklist-number"
          />
          <TextInput
            placeholder={t('tel.blacklistReason')}
            aria-label={t('tel.blacklistReason')}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            style={{ flex: '2 1 160px' }}
          />
          <Button type="submit" variant="default" loading={add.isPending} disabled={!number.trim()}>
            {t('tel.blacklistAdd')}
          </Button>
        </Group>
        <Group gap="md" mb="sm" align="flex-start">
          <Checkbox
            label={t('tel.blacklist.prefix')}
            description={t('tel.blacklist.prefixHelp')}
            checked={isPrefix}
            onChange={(e) => setIsPrefix(e.currentTarget.checked)}
            style={{ flex: 1 }}
          />
          <DateField
            size="xs"
            label={t('tel.blacklist.expires')}
            value={expires}
            onChange={(iso) => setExpires(iso ?? '')}
            error={expiryError}
            w={160}
          />
        </Group>
      </form>
      {!numberError && !expiryError && <ErrorAlert error={add.error} />}
      <TextInput
        mb="sm"
        leftSection={<IconSearch size={16} />}
        placeholder={t('tel.blacklistSearch')}
        aria-label={t('tel.blacklistSearch')}
        value={search}
        onChange={(e) => setSearch(e.currentTarget.value)}
        data-testid="blacklist-search"
      />
      <ErrorAlert error={blacklist.error ?? remove.error} />
      {blacklist.data && items.length === 0 && (
        <Text c="dimmed" size="sm">
          {prefix ? t('tel.blacklistNoMatch') : t('tel.blacklistEmpty')}
        </Text>
      )}
      {items.length > 0 && (
        <Table verticalSpacing={4}>
          <Table.Tbody>
            {items.map((item) => (
              <Table.Tr key={item.id}>
                <Table.Td ff="monospace">
                  {item.e164 ?? item.number}
                  {item.isPrefix && (
                    <Badge ml={6} size="xs" variant="light">
                      {t('tel.blacklist.prefixBadge')}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>
                  {item.reason}
                  {item.expiresAt && (
                    <Text size="xs" c="dimmed">
                      {t('tel.blacklist.until', { date: formatDateTime(item.expiresAt, locale) })}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td c="dimmed" fz="xs">
                  {formatDateTime(item.createdAt, locale)}
                  {item.createdByName ? ` · ${item.createdByName}` : ''}
                  <br />
                  {t('tel.blacklist.refused', { count: item.blockedCalls })}
                </Table.Td>
                <Table.Td w={40}>
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    onClick={() => remove.mutate(item.id)}
                    aria-label={t('common.remove')}
                  >
                    <IconTrash size={16} />
                  </ActionIcon>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {blacklist.hasNextPage && (
        <Group justify="center" mt="sm">
          <Button
            variant="subtle"
            size="xs"
            loading={blacklist.isFetchingNextPage}
            onClick={() => void blacklist.fetchNextPage()}
          >
            {t('tel.blacklistMore')}
          </Button>
        </Group>
      )}
    </Card>
  );
}
