import { Anchor, Badge, Card, Group, Loader, SimpleGrid, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconCalendarCheck, IconChartBar, IconCoin, IconPhone, IconPhoneX } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import type { ComponentType } from 'react';
import { Link } from 'react-router';
import { api } from '../api/client.js';
import { useMe } from '../api/queries.js';
import type { DashboardData, ListResult, Task } from '../api/types.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { PhoneLink } from '../components/PhoneLink.js';
import { TaskRow } from '../components/TaskList.js';
import { useT } from '../i18n/useT.js';
import { formatDateTime, formatNumber, formatPercent, formatRelative } from '../lib/format.js';

function StatCard({
  label,
  value,
  display,
  hint,
  to,
  icon: Icon,
  color,
}: {
  label: string;
  value: number | undefined;
  /** The value as shown, when it is not a plain count (a percentage). */
  display?: string;
  hint?: string;
  to: string;
  icon: ComponentType<{ size?: number }>;
  color: string;
}) {
  const { locale } = useT();
  return (
    <Card withBorder radius="md" padding="md" component={Link} to={to}>
      <Group justify="space-between" wrap="nowrap">
        <div>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            {label}
          </Text>
          <Text fw={700} fz={28} data-testid={`stat-${to.slice(1).replace(/[/?=&]/g, '-')}`}>
            {value === undefined ? <Loader size="xs" /> : (display ?? formatNumber(value, locale))}
          </Text>
          {hint && (
            <Text size="xs" c="dimmed" data-testid={`stat-hint-${to.slice(1).replace(/[/?=&]/g, '-')}`}>
              {hint}
            </Text>
          )}
        </div>
        <ThemeIcon size={44} radius="md" variant="light" color={color} visibleFrom="xs">
          <Icon size={24} />
        </ThemeIcon>
      </Group>
    </Card>
  );
}

/** Midnight where the user is, with its offset: the server does not know the browser's time zone. */
function startOfLocalDay(now = new Date()): string {
  const start = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  return start.toISOString();
}

/** The missed calls still to return: call back from the row; the list empties as calls are answered. */
function MissedCalls({ items }: { items: DashboardData['missedToReturn'] | undefined }) {
  const { t, locale } = useT();
  return (
    <Card withBorder radius="md" padding="lg" data-testid="missed-to-return" aria-busy={items === undefined}>
      <Group justify="space-between" mb="sm" wrap="nowrap" align="flex-start">
        <Group gap="xs" wrap="nowrap">
          <ThemeIcon size="md" radius="md" variant="light" color="red">
            <IconPhoneX size={16} />
          </ThemeIcon>
          <Title order={4} lh={1.2}>
            {t('dashboard.missedTitle')}
          </Title>
          {items && items.length > 0 && (
            // Never squeezed by a title that wraps on a phone: "10" stays "10".
            <Badge color="red" variant="filled" size="sm" style={{ flexShrink: 0, overflow: 'visible' }}>
              {items.length}
            </Badge>
          )}
        </Group>
        <Anchor component={Link} to="/calls" size="sm" style={{ whiteSpace: 'nowrap' }}>
          {t('dashboard.allCalls')}
        </Anchor>
      </Group>
      <Stack gap={0}>
        {items === undefined && <Loader size="sm" />}
        {items?.length === 0 && (
          <Text c="dimmed" size="sm">
            {t('dashboard.noMissed')}
          </Text>
        )}
        {items?.map((call) => (
          <Group
            key={call.callId}
            justify="space-between"
            wrap="wrap"
            gap="xs"
            py={8}
            style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }}
            data-testid="missed-call-row"
          >
            <Stack gap={2} style={{ minWidth: 0 }}>
              {call.contact ? (
                <Anchor component={Link} to={`/contacts/${call.contact.id}`} fw={600} size="sm" truncate>
                  {call.contact.name}
                </Anchor>
              ) : (
                <Text fw={600} size="sm" c="dimmed">
                  {t('popup.unknown')}
                </Text>
              )}
              <PhoneLink
                raw={call.clientNumber ?? call.clientE164}
                e164={call.clientE164}
                contactId={call.contact?.id}
              />
            </Stack>
            <Stack gap={2} align="flex-end" style={{ flexShrink: 0 }}>
              <Text size="xs" c="dimmed" title={formatDateTime(call.at, locale)}>
                {formatRelative(call.at, locale)}
              </Text>
              {call.attempts > 1 && (
                <Badge size="xs" color="red" variant="light">
                  {t('dashboard.attempts', { count: call.attempts })}
                </Badge>
              )}
            </Stack>
          </Group>
        ))}
      </Stack>
    </Card>
  );
}

/** A call centre's morning: missed calls to return, my calls today, my tasks and deals, the team's answer rate. */
export function DashboardPage() {
  const { t, locale } = useT();
  const me = useMe();
  const meId = me.data?.id ?? '';
  const dashboard = useQuery({
    queryKey: ['dashboard', meId],
    queryFn: ({ signal }) => api.get<DashboardData>('/dashboard', { todayFrom: startOfLocalDay() }, signal),
    enabled: Boolean(meId),
    refetchInterval: 60_000,
  });
  const myTasks = useQuery({
    queryKey: ['tasks', 'dashboard', meId],
    queryFn: ({ signal }) =>
      api.get<ListResult<Task>>(
        '/tasks',
        { assigneeId: meId, status: 'open', sort: 'dueAt', pageSize: 10 },
        signal,
      ),
    enabled: Boolean(meId),
  });
  const d = dashboard.data;
  const rate = d?.teamAnswerRate.rate;
  // The hint adds up to the total: calls neither answered nor missed (an outgoing call nobody picked up, one the
  // blacklist refused, one still going on) are said as "other" rather than left for the agent to subtract.
  const callsTodayHint = (c: { total: number; answered: number; missed: number }) => {
    const other = c.total - c.answered - c.missed;
    return other > 0
      ? t('dashboard.callsTodayHintOther', { answered: c.answered, missed: c.missed, other })
      : t('dashboard.callsTodayHint', { answered: c.answered, missed: c.missed });
  };

  return (
    <Stack gap="lg">
      <Title order={2}>{t('dashboard.hello', { name: me.data?.name ?? '' })}</Title>
      <ErrorAlert error={dashboard.error} />
      <SimpleGrid cols={{ base: 2, md: 4 }} spacing={{ base: 'xs', sm: 'md' }}>
        <StatCard
          label={t('dashboard.callsToday')}
          value={d?.callsToday.total}
          hint={d ? callsTodayHint(d.callsToday) : undefined}
          to="/calls"
          icon={IconPhone}
          color="blue"
        />
        <StatCard
          label={t('dashboard.myTasks')}
          value={d?.openTasks}
          hint={d && d.overdueTasks > 0 ? t('dashboard.overdue', { count: d.overdueTasks }) : undefined}
          to="/tasks"
          icon={IconCalendarCheck}
          color="orange"
        />
        <StatCard
          label={t('dashboard.myDeals')}
          value={d?.openDeals.count}
          to={`/deals?responsibleUserId=${meId}`}
          icon={IconCoin}
          color="teal"
        />
        <StatCard
          label={t('dashboard.answerRate')}
          value={d === undefined ? undefined : (rate ?? 0)}
          display={rate === null || rate === undefined ? '—' : formatPercent(rate, locale)}
          hint={
            d
              ? t('dashboard.answerRateHint', {
                  answered: d.teamAnswerRate.answered,
                  total: d.teamAnswerRate.total,
                })
              : undefined
          }
          to="/statistics"
          icon={IconChartBar}
          color="grape"
        />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <MissedCalls items={d?.missedToReturn} />
        <Card withBorder radius="md" padding="lg" aria-busy={myTasks.isPending}>
          <Group justify="space-between" mb="sm">
            <Title order={4}>{t('dashboard.myTasks')}</Title>
            <Anchor component={Link} to="/tasks" size="sm">
              {t('dashboard.allTasks')}
            </Anchor>
          </Group>
          <Stack gap="xs">
            {myTasks.isPending && <Loader size="sm" />}
            {myTasks.data?.items.map((task) => (
              <TaskRow key={task.id} task={task} />
            ))}
            {myTasks.data?.items.length === 0 && (
              <Text c="dimmed" size="sm">
                {t('dashboard.noTasks')}
              </Text>
            )}
          </Stack>
        </Card>
      </SimpleGrid>
    </Stack>
  );
}
