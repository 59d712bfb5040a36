import {
  Badge,
  Button,
  Code,
  Drawer,
  Group,
  Loader,
  Paper,
  ScrollArea,
  SegmentedControl,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconRefresh, IconReload } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { api } from '../../api/client.js';
import { telephonyKeys, useInbox, useInboxItem } from '../../api/telephony.js';
import { INBOX_STATUSES, type InboxItem, type InboxStatus } from '../../api/types.js';
import { DetailField } from '../../components/DetailField.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { ListFooter, ListTableState } from '../../components/ListParts.js';
import { PageHeader } from '../../components/PageHeader.js';
import { useT } from '../../i18n/useT.js';
import { formatDateTime } from '../../lib/format.js';
import { inboxErrorOf, inboxEventLabel } from './inbox-event.js';

const PAGE_SIZE = 50;

const STATUS_COLOR: Record<InboxStatus, string> = {
  received: 'blue',
  processed: 'green',
  failed: 'orange',
  rejected: 'red',
};

/** Admin: every webhook request as received — status, reason, raw body — with replay for failed ones. */
export function InboxPage() {
  const { t, locale } = useT();
  const queryClient = useQueryClient();
  const [search, setSearch] = useSearchParams();
  const status = search.get('status') ?? '';
  const event = search.get('event') ?? '';
  const page = Math.max(1, Number(search.get('page') ?? 1) || 1);
  const selected = search.get('id');
  const inbox = useInbox({ status, event, page, pageSize: PAGE_SIZE });
  const set = (patch: Record<string, string | null>) => {
    const next = new URLSearchParams(search);
    for (const [key, value] of Object.entries(patch)) {
      if (value) {
        next.set(key, value);
      } else {
        next.delete(key);
      }
    }
    setSearch(next, { replace: true });
  };
  const total = inbox.data?.total ?? 0;

  return (
    <>
      <PageHeader
        title={t('nav.inbox')}
        subtitle={t('inbox.subtitle')}
        actions={
          <Button
            variant="default"
            leftSection={<IconRefresh size={16} />}
            loading={inbox.isFetching}
            onClick={() => void queryClient.invalidateQueries({ queryKey: telephonyKeys.inbox })}
          >
            {t('tel.refresh')}
          </Button>
        }
      />
      <Stack gap="sm">
        <Group gap="xs" wrap="wrap">
          <SegmentedControl
            size="xs"
            value={status}
            onChange={(value) => set({ status: value, page: null })}
            data={[
              { value: '', label: t('calls.all') },
              ...INBOX_STATUSES.map((s) => ({ value: s, label: t(`inbox.status.${s}`) })),
            ]}
            data-testid="inbox-status"
          />
          <TextInput
            size="xs"
            placeholder={t('inbox.event')}
            aria-label={t('inbox.event')}
            value={event}
            onChange={(e) => set({ event: e.currentTarget.value.toUpperCase() || null, page: null })}
            w={180}
          />
        </Group>
        <ErrorAlert error={inbox.error} />
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={320}>
            <Table verticalSpacing="xs" highlightOnHover data-testid="inbox-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('inbox.receivedAt')}</Table.Th>
                  <Table.Th>{t('inbox.event')}</Table.Th>
                  <Table.Th>{t('inbox.statusLabel')}</Table.Th>
                  <Table.Th visibleFrom="sm">{t('inbox.remoteIp')}</Table.Th>
                  <Table.Th visibleFrom="md">{t('inbox.pbxCallId')}</Table.Th>
                  <Table.Th>{t('inbox.error')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody style={{ opacity: inbox.isPlaceholderData ? 0.6 : 1 }}>
                {inbox.data?.items.map((item) => (
                  <Table.Tr
                    key={item.id}
                    className="sb-row-link"
                    onClick={() => set({ id: item.id })}
                    data-testid="inbox-row"
                    data-status={item.status}
                  >
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      {formatDateTime(item.receivedAt, locale)}
                    </Table.Td>
                    <Table.Td ff="monospace" fz="sm">
                      {inboxEventLabel(item)}
                    </Table.Td>
                    <Table.Td style={{ minWidth: 200 }}>
                      <StatusBadge item={item} />
                    </Table.Td>
                    <Table.Td visibleFrom="sm" ff="monospace" fz="sm">
                      {item.remoteIp ?? '—'}
                    </Table.Td>
                    <Table.Td visibleFrom="md" ff="monospace" fz="xs" maw={200}>
                      <Text size="xs" truncate>
                        {item.pbxCallId ?? '—'}
                      </Text>
                    </Table.Td>
                    <Table.Td maw={320}>
                      <Text
                        size="sm"
                        c={item.error ? 'red' : 'dimmed'}
                        truncate
                        title={item.error ?? undefined}
                      >
                        {item.error ? t(inboxErrorOf(item.error).messageId) : ''}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <ListTableState
            isPending={inbox.isPending}
            isEmpty={Boolean(inbox.data && inbox.data.items.length === 0)}
            emptyText={t('inbox.empty')}
          />
        </Paper>
        <ListFooter total={total} page={page} pageSize={PAGE_SIZE} onPage={(p) => set({ page: String(p) })} />
      </Stack>
      <InboxDrawer id={selected} onClose={() => set({ id: null })} />
    </>
  );
}

function StatusBadge({ item }: { item: InboxItem }) {
  const { t } = useT();
  return (
    <Group gap={4} wrap="nowrap" style={{ whiteSpace: 'nowrap' }}>
      <Badge color={STATUS_COLOR[item.status]} variant="light">
        {t(`inbox.status.${item.status}`)}
      </Badge>
      {item.signatureValid === false && (
        <Badge color="red" variant="outline" size="xs">
          {t('inbox.badSignature')}
        </Badge>
      )}
    </Group>
  );
}

/** One webhook request: its fields, the raw body as received, and replay. */
function InboxDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t, locale } = useT();
  const queryClient = useQueryClient();
  const item = useInboxItem(id);
  const replay = useMutation({
    mutationFn: () => api.post<InboxItem>(`/telephony/inbox/${id}/replay`),
    onSuccess: async (result) => {
      await queryClient.invalidateQueries({ queryKey: telephonyKeys.inbox });
      notifications.show({
        color: result.status === 'processed' ? 'green' : 'orange',
        message: t('inbox.replayed', { status: t(`inbox.status.${result.status}`) }),
      });
    },
  });
  const d = item.data;
  return (
    <Drawer opened={Boolean(id)} onClose={onClose} position="right" size="lg" title={t('inbox.detail')}>
      <ErrorAlert error={item.error} />
      {item.isPending && id && <Loader size="sm" />}
      {d && (
        <Stack gap="sm" data-testid="inbox-detail">
          <Group gap="lg" wrap="wrap">
            <DetailField label={t('inbox.event')}>{inboxEventLabel(d)}</DetailField>
            <DetailField label={t('inbox.statusLabel')}>
              <StatusBadge item={d} />
            </DetailField>
            <DetailField label={t('inbox.receivedAt')}>{formatDateTime(d.receivedAt, locale)}</DetailField>
            <DetailField label={t('inbox.remoteIp')}>{d.remoteIp ?? '—'}</DetailField>
          </Group>
          {d.error && (
            <Stack gap={2}>
              <Text size="sm" c="red" data-testid="inbox-detail-error">
                {t(inboxErrorOf(d.error).messageId)}
              </Text>
              {/* The server's own words, for support and the logs: the same in every language. */}
              <Text size="xs" c="dimmed">
                {t('inbox.technicalDetail')}: <Code data-testid="inbox-detail-error-detail">{d.error}</Code>
              </Text>
            </Stack>
          )}
          <Text size="xs" c="dimmed">
            {d.contentType ?? ''}
          </Text>
          {d.status === 'rejected' && d.bodySize !== null && (
            <Text size="xs" c="dimmed" data-testid="inbox-body-digest">
              {t('inbox.bodyDigest', { size: d.bodySize, sha256: d.bodySha256 ?? '—' })}
            </Text>
          )}
          <ScrollArea.Autosize mah={420}>
            <Code block data-testid="inbox-raw">
              {prettyBody(d.rawBody)}
            </Code>
          </ScrollArea.Autosize>
          <ErrorAlert error={replay.error} />
          <Group justify="flex-end">
            <Button
              leftSection={<IconReload size={16} />}
              onClick={() => replay.mutate()}
              loading={replay.isPending}
              disabled={d.status === 'rejected'}
              title={d.status === 'rejected' ? t('inbox.cannotReplay') : undefined}
              data-testid="inbox-replay"
            >
              {t('inbox.replay')}
            </Button>
          </Group>
          {d.status === 'rejected' && (
            <Text size="xs" c="dimmed">
              {t('inbox.cannotReplay')}
            </Text>
          )}
        </Stack>
      )}
    </Drawer>
  );
}

/** Shows an urlencoded body one field per line (decoded). Why: a webhook reads better as key = value. */
function prettyBody(raw: string): string {
  if (!/^[\w%[\]]+=/.test(raw) || raw.includes('\n')) {
    return raw;
  }
  try {
    return [...new URLSearchParams(raw)].map(([k, v]) => `${k} = ${v}`).join('\n');
  } catch {
    return raw;
  }
}
