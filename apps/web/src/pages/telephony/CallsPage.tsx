import {
  Anchor,
  Badge,
  Card,
  CloseButton,
  Group,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  Tooltip,
} from '@mantine/core';
import { IconPhoneIncoming, IconPhoneOutgoing } from '@tabler/icons-react';
import { Link, useSearchParams } from 'react-router';
import { useMe } from '../../api/queries.js';
import { useCalls } from '../../api/telephony.js';
import { CALL_STATUSES, type CallView } from '../../api/types.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { ListFooter, ListTableState } from '../../components/ListParts.js';
import { PageHeader } from '../../components/PageHeader.js';
import { PhoneLink } from '../../components/PhoneLink.js';
import { EntityName, UserSelect } from '../../components/pickers.js';
import { useT } from '../../i18n/useT.js';
import { formatDate, formatDateTime, formatDuration } from '../../lib/format.js';
import { callStatusColor, callStatusLabel, dispositionLabel } from '../../live/call-labels.js';
import { OpenCallCardButton } from '../../shell/call-card/OpenCallCardButton.js';
import { type DayCount, useCallCountsByDay } from './useCallCountsByDay.js';

const PAGE_SIZE = 25;
const CHART_DAYS = 14;

/** The call log: filters in the URL, direction and status badges, and answered vs missed per day. */
export function CallsPage() {
  const { t } = useT();
  const me = useMe();
  const [search, setSearch] = useSearchParams();
  const direction = search.get('direction') ?? '';
  const status = search.get('status') ?? '';
  const userId = search.get('userId');
  const contactId = search.get('contactId');
  const page = Math.max(1, Number(search.get('page') ?? 1) || 1);
  const calls = useCalls({ direction, status, userId, contactId, page, pageSize: PAGE_SIZE });
  const perDay = useCallCountsByDay(CHART_DAYS);
  const set = (key: string, value: string | null) => {
    const next = new URLSearchParams(search);
    if (value) {
      next.set(key, value);
    } else {
      next.delete(key);
    }
    if (key !== 'page') {
      next.delete('page');
    }
    setSearch(next, { replace: true });
  };
  const total = calls.data?.total ?? 0;

  return (
    <>
      <PageHeader title={t('nav.calls')} />
      <Stack gap="md">
        <CallsChart buckets={perDay.data?.items ?? []} />
        <ErrorAlert error={perDay.error} />
        <Group gap="xs" align="flex-end" wrap="wrap">
          <SegmentedControl
            size="xs"
            value={direction}
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
            placeholder={t('calls.status')}
            aria-label={t('calls.status')}
            data={CALL_STATUSES.map((s) => ({ value: s, label: callStatusLabel(t, s) }))}
            value={status || null}
            onChange={(value) => set('status', value)}
            w={160}
          />
          {contactId && (
            <Badge
              variant="light"
              size="lg"
              rightSection={
                <CloseButton
                  size="xs"
                  onClick={() => set('contactId', null)}
                  aria-label={t('common.remove')}
                />
              }
            >
              <EntityName entity="contacts" id={contactId} />
            </Badge>
          )}
          {me.data?.role === 'admin' && (
            <UserSelect
              size="xs"
              placeholder={t('calls.agent')}
              aria-label={t('calls.agent')}
              value={userId}
              onChange={(value) => set('userId', value)}
              w={180}
            />
          )}
        </Group>
        <ErrorAlert error={calls.error} />
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={320}>
            <Table verticalSpacing="xs" highlightOnHover data-testid="calls-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('calls.when')}</Table.Th>
                  <Table.Th>{t('calls.who')}</Table.Th>
                  <Table.Th>{t('calls.status')}</Table.Th>
                  <Table.Th visibleFrom="sm">{t('calls.agent')}</Table.Th>
                  <Table.Th>{t('calls.duration')}</Table.Th>
                  <Table.Th visibleFrom="md">{t('calls.note')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody style={{ opacity: calls.isPlaceholderData ? 0.6 : 1 }}>
                {calls.data?.items.map((call) => (
                  <CallRow key={call.id} call={call} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <ListTableState
            isPending={calls.isPending}
            isEmpty={Boolean(calls.data && calls.data.items.length === 0)}
            emptyText={t('calls.empty')}
          />
        </Paper>
        <ListFooter total={total} page={page} pageSize={PAGE_SIZE} onPage={(p) => set('page', String(p))} />
      </Stack>
    </>
  );
}

function CallRow({ call }: { call: CallView }) {
  const { t, locale } = useT();
  const Icon = call.direction === 'in' ? IconPhoneIncoming : IconPhoneOutgoing;
  return (
    <Table.Tr data-testid="call-row" data-pbx-call-id={call.pbxCallId}>
      <Table.Td>
        <Group gap={6} wrap="nowrap">
          <Tooltip label={call.direction === 'in' ? t('calls.in') : t('calls.out')}>
            <Icon size={16} color={`var(--mantine-color-${call.direction === 'in' ? 'blue' : 'teal'}-6)`} />
          </Tooltip>
          <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
            {formatDateTime(call.startedAt, locale)}
          </Text>
        </Group>
      </Table.Td>
      <Table.Td>
        {call.contact && (
          <Anchor component={Link} to={`/contacts/${call.contact.id}`} size="sm" fw={500} display="block">
            {call.contact.displayName}
          </Anchor>
        )}
        {call.clientNumber || call.clientE164 ? (
          <PhoneLink raw={call.clientNumber ?? ''} e164={call.clientE164} contactId={call.contact?.id} />
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
          <Tooltip label={dispositionLabel(t, call.disposition)} disabled={!call.disposition}>
            <Badge color={callStatusColor(call.status)} variant="light">
              {callStatusLabel(t, call.status)}
            </Badge>
          </Tooltip>
          <OpenCallCardButton callId={call.id} status={call.status} />
        </Group>
      </Table.Td>
      <Table.Td visibleFrom="sm">
        <Text size="sm">
          {call.agent?.name ?? '—'}
          {call.extension && (
            <Text span size="xs" c="dimmed">
              {' '}
              · {call.extension}
            </Text>
          )}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" ff="monospace">
          {formatDuration(call.duration)}
        </Text>
      </Table.Td>
      <Table.Td visibleFrom="md" maw={260}>
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
