import {
  Anchor,
  Badge,
  Button,
  Card,
  CloseButton,
  Group,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  Tooltip,
} from '@mantine/core';
import { IconDownload, IconMicrophone, IconPhoneIncoming, IconPhoneOutgoing } from '@tabler/icons-react';
import { Link, useSearchParams } from 'react-router';
import { callLogExportUrl, useCallLog } from '../../api/call-log.js';
import { useMe } from '../../api/queries.js';
import { CALL_OUTCOMES, type CallLogEntry } from '../../api/types.js';
import { BlockNumberButton } from '../../components/BlockNumberButton.js';
import { DateField } from '../../components/DateFields.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { ListTableState } from '../../components/ListParts.js';
import { PageHeader } from '../../components/PageHeader.js';
import { PhoneLink } from '../../components/PhoneLink.js';
import { EntityName, UserSelect } from '../../components/pickers.js';
import { useT } from '../../i18n/useT.js';
import { type CallLogFilters, filtersFromSearch, RETURN_WITHIN_DEFAULT } from '../../lib/call-log-filters.js';
import {
  attributionLabel,
  formatSeconds,
  missedClassLabel,
  outcomeColor,
  outcomeLabel,
} from '../../lib/call-log-labels.js';
import { formatDate, formatDateTime } from '../../lib/format.js';
import { OpenCallCardButton } from '../../shell/call-card/OpenCallCardButton.js';
import { SaidSearch } from '../calls/TranscriptSearch.js';
import { type DayCount, useCallCountsByDay } from './useCallCountsByDay.js';

const CHART_DAYS = 14;

/**
 * The call log: every filter in the URL (so the statistics can link to the calls behind a figure), outcome and
 * attribution in plain words, keyset "load more", CSV export of the filtered set, answered vs missed per day.
 */
export function CallsPage() {
  const { t, locale } = useT();
  const me = useMe();
  const [search, setSearch] = useSearchParams();
  const filters = filtersFromSearch(search);
  const log = useCallLog(filters);
  const perDay = useCallCountsByDay(CHART_DAYS);
  const set = (key: keyof CallLogFilters, value: string | null) => {
    const next = new URLSearchParams(search);
    if (value) {
      next.set(key, value);
    } else {
      next.delete(key);
    }
    setSearch(next, { replace: true });
  };
  const items = log.data?.pages.flatMap((p) => p.items) ?? [];
  const chip = (key: keyof CallLogFilters, label: React.ReactNode) => (
    <Badge
      key={key}
      variant="light"
      size="lg"
      tt="none"
      rightSection={<CloseButton size="xs" onClick={() => set(key, null)} aria-label={t('common.remove')} />}
    >
      {label}
    </Badge>
  );

  return (
    <>
      <PageHeader
        title={t('nav.calls')}
        actions={
          <Button
            component="a"
            href={callLogExportUrl(filters)}
            download
            variant="default"
            size="xs"
            leftSection={<IconDownload size={14} />}
            data-testid="calls-export"
          >
            {t('calls.export')}
          </Button>
        }
      />
      <Stack gap="md">
        <CallsChart buckets={perDay.data?.items ?? []} />
        <ErrorAlert error={perDay.error} />
        <Group gap="xs" align="flex-end" wrap="wrap" data-testid="calls-filters">
          <SaidSearch value={filters.said ?? ''} onSearch={(words) => set('said', words || null)} />
          <DateField
            size="xs"
            label={t('calls.from')}
            value={filters.from}
            onChange={(iso) => set('from', iso)}
            w={150}
            data-testid="calls-from"
          />
          <DateField
            size="xs"
            label={t('calls.to')}
            value={filters.to}
            onChange={(iso) => set('to', iso)}
            w={150}
            data-testid="calls-to"
          />
          <SegmentedControl
            size="xs"
            value={filters.direction ?? ''}
            onChange={(value) => set('direction', value)}
            data={[
              { value: '', label: t('calls.all') },
              { value: 'in', label: t('calls.in') },
              { value: 'out', label: t('calls.out') },
            ]}
            data-testid="calls-direction"
          />
          <Select
            size="xs"
            clearable
            placeholder={t('calls.outcome')}
            aria-label={t('calls.outcome')}
            data={[
              { value: 'missed', label: outcomeLabel(t, 'missed') },
              ...CALL_OUTCOMES.filter((o) => o !== 'unknown').map((o) => ({
                value: o,
                label: outcomeLabel(t, o),
              })),
            ]}
            value={filters.outcome ?? null}
            onChange={(value) => set('outcome', value)}
            w={190}
            data-testid="calls-outcome"
          />
          <Select
            size="xs"
            clearable
            placeholder={t('calls.recording')}
            aria-label={t('calls.recording')}
            data={[
              { value: 'true', label: t('calls.recorded') },
              { value: 'false', label: t('calls.notRecorded') },
            ]}
            value={filters.hasRecording ?? null}
            onChange={(value) => set('hasRecording', value)}
            w={150}
          />
          {me.data?.role === 'admin' && (
            <UserSelect
              size="xs"
              placeholder={t('calls.agent')}
              aria-label={t('calls.agent')}
              value={filters.userId ?? null}
              onChange={(value) => set('userId', value)}
              w={180}
            />
          )}
          <Select
            size="xs"
            aria-label={t('calls.sort')}
            data={[
              { value: 'newest', label: t('calls.newest') },
              { value: 'oldest', label: t('calls.oldest') },
            ]}
            value={filters.order ?? 'newest'}
            onChange={(value) => set('order', value === 'newest' ? null : value)}
            allowDeselect={false}
            w={150}
          />
          <Switch
            size="sm"
            label={t('calls.notReturned')}
            checked={filters.notReturned === 'true'}
            onChange={(e) => set('notReturned', e.currentTarget.checked ? 'true' : null)}
            data-testid="calls-not-returned"
            mb={4}
          />
        </Group>
        <Group gap="xs">
          {filters.extension && chip('extension', t('calls.extensionChip', { extension: filters.extension }))}
          {filters.contactId && chip('contactId', <EntityName entity="contacts" id={filters.contactId} />)}
          {filters.client && chip('client', filters.client)}
          {filters.fate &&
            chip('fate', missedClassLabel(t, filters.fate, Number(filters.within ?? RETURN_WITHIN_DEFAULT)))}
          {filters.weekday !== undefined && filters.hour !== undefined && (
            <Badge
              key="cell"
              variant="light"
              size="lg"
              tt="none"
              data-testid="calls-cell-chip"
              rightSection={
                <CloseButton
                  size="xs"
                  onClick={() => {
                    const next = new URLSearchParams(search);
                    next.delete('weekday');
                    next.delete('hour');
                    setSearch(next, { replace: true });
                  }}
                  aria-label={t('common.remove')}
                />
              }
            >
              {t('calls.cellChip', {
                // 2024-01-01 was a Monday.
                weekday: new Intl.DateTimeFormat(locale, { weekday: 'long' }).format(
                  new Date(2024, 0, 1 + Number(filters.weekday)),
                ),
                from: `${filters.hour}:00`,
                to: `${Number(filters.hour) + 1}:00`,
              })}
            </Badge>
          )}
        </Group>
        <ErrorAlert error={log.error} />
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={320}>
            <Table verticalSpacing="xs" highlightOnHover data-testid="calls-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('calls.when')}</Table.Th>
                  <Table.Th>{t('calls.who')}</Table.Th>
                  <Table.Th>{t('calls.outcome')}</Table.Th>
                  <Table.Th visibleFrom="sm">{t('calls.agent')}</Table.Th>
                  <Table.Th>{t('calls.duration')}</Table.Th>
                  <Table.Th visibleFrom="sm">{t('calls.wait')}</Table.Th>
                  <Table.Th visibleFrom="md">{t('calls.note')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody style={{ opacity: log.isPlaceholderData ? 0.6 : 1 }}>
                {items.map((call) => (
                  <CallRow key={call.id} call={call} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <ListTableState
            isPending={log.isPending}
            isEmpty={Boolean(log.data && items.length === 0)}
            emptyText={t('calls.empty')}
          />
        </Paper>
        {log.hasNextPage && (
          <Group justify="center">
            <Button
              variant="default"
              onClick={() => log.fetchNextPage()}
              loading={log.isFetchingNextPage}
              data-testid="calls-more"
            >
              {t('calls.more')}
            </Button>
          </Group>
        )}
      </Stack>
    </>
  );
}

function CallRow({ call }: { call: CallLogEntry }) {
  const { t, locale } = useT();
  const Icon = call.direction === 'in' ? IconPhoneIncoming : IconPhoneOutgoing;
  return (
    <Table.Tr data-testid="call-row" data-pbx-call-id={call.pbxCallId} data-outcome={call.outcome}>
      <Table.Td>
        <Group gap={6} wrap="nowrap">
          <Tooltip label={call.direction === 'in' ? t('calls.in') : t('calls.out')}>
            <Icon size={16} color={`var(--mantine-color-${call.direction === 'in' ? 'blue' : 'teal'}-6)`} />
          </Tooltip>
          <Anchor component={Link} to={`/calls/${call.id}`} size="sm" style={{ whiteSpace: 'nowrap' }}>
            {formatDateTime(call.startedAt, locale)}
          </Anchor>
          {call.isRecorded && (
            <Tooltip label={t('calls.recorded')}>
              <IconMicrophone
                size={14}
                color="var(--mantine-color-grape-6)"
                aria-label={t('calls.recorded')}
              />
            </Tooltip>
          )}
        </Group>
      </Table.Td>
      <Table.Td>
        {call.contact && (
          <Anchor component={Link} to={`/contacts/${call.contact.id}`} size="sm" fw={500} display="block">
            {call.contact.displayName}
          </Anchor>
        )}
        {call.clientNumber || call.clientE164 ? (
          <Group gap={4} wrap="nowrap">
            <PhoneLink raw={call.clientNumber ?? ''} e164={call.clientE164} contactId={call.contact?.id} />
            {call.clientE164 && <BlockNumberButton number={call.clientE164} compact />}
          </Group>
        ) : (
          !call.contact && (
            <Text size="sm" c="dimmed">
              {t('popup.hiddenNumber')}
            </Text>
          )
        )}
      </Table.Td>
      <Table.Td>
        <Group gap={4} wrap="nowrap">
          <Badge color={outcomeColor(call.outcome)} variant="light" tt="none">
            {outcomeLabel(t, call.outcome)}
          </Badge>
          <OpenCallCardButton callId={call.id} status={call.status} />
        </Group>
      </Table.Td>
      <Table.Td visibleFrom="sm">
        <Text size="sm">{call.agent?.name ?? '—'}</Text>
        <Text size="xs" c="dimmed">
          {attributionLabel(t, call.attribution)}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" ff="monospace">
          {formatSeconds(call.talkSeconds)}
        </Text>
      </Table.Td>
      <Table.Td visibleFrom="sm">
        <Text size="sm" ff="monospace" c="dimmed">
          {formatSeconds(call.waitSeconds)}
        </Text>
      </Table.Td>
      <Table.Td visibleFrom="md" maw={240}>
        <Text size="sm" c="dimmed" truncate>
          {call.note}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}

/** Answered vs missed per day over the last 14 days, as stacked bars (every call of those days). */
function CallsChart({ buckets }: { buckets: readonly DayCount[] }) {
  const { t, locale } = useT();
  const max = Math.max(1, ...buckets.map((b) => b.answered + b.missed));
  return (
    <Card withBorder radius="md" padding="md" data-testid="calls-chart">
      <Group justify="space-between" mb="xs">
        <Text fw={600} size="sm">
          {t('calls.chartTitle')}
        </Text>
        <Group gap="sm">
          <Badge color="green" variant="dot">
            {t('call.status.answered')}
          </Badge>
          <Badge color="orange" variant="dot">
            {t('call.status.missed')}
          </Badge>
        </Group>
      </Group>
      <div className="sb-chart" role="img" aria-label={t('calls.chartTitle')}>
        {buckets.map((b) => (
          <Tooltip
            key={b.day}
            label={`${formatDate(`${b.day}T12:00:00`, locale)}: ${t('calls.chartTip', { answered: b.answered, missed: b.missed })}`}
          >
            <div className="sb-chart-col">
              <div className="sb-chart-bar">
                <div
                  style={{
                    height: `${(b.missed / max) * 100}%`,
                    background: 'var(--mantine-color-orange-5)',
                  }}
                />
                <div
                  style={{
                    height: `${(b.answered / max) * 100}%`,
                    background: 'var(--mantine-color-green-6)',
                  }}
                />
              </div>
              <Text size="10px" c="dimmed" ta="center">
                {new Intl.DateTimeFormat(locale, { day: 'numeric' }).format(new Date(`${b.day}T12:00:00`))}
              </Text>
            </div>
          </Tooltip>
        ))}
      </div>
    </Card>
  );
}
