import { Anchor, Card, Group, Loader, SimpleGrid, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconAddressBook, IconCalendarCheck, IconCoin, IconTargetArrow } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import type { ComponentType } from 'react';
import { Link } from 'react-router';
import { api } from '../api/client.js';
import { useMe } from '../api/queries.js';
import type { ListResult, Task } from '../api/types.js';
import { TaskRow } from '../components/TaskList.js';
import { useT } from '../i18n/useT.js';
import { formatNumber } from '../lib/format.js';

function useCount(path: string, query: Record<string, string>) {
  return useQuery({
    queryKey: [path.split('/')[1], 'count', query],
    queryFn: ({ signal }) => api.get<ListResult<unknown>>(path, { ...query, pageSize: 1 }, signal),
  });
}

function StatCard({
  label,
  value,
  to,
  icon: Icon,
  color,
}: {
  label: string;
  value: number | undefined;
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
            {value === undefined ? <Loader size="xs" /> : formatNumber(value, locale)}
          </Text>
        </div>
        <ThemeIcon size={44} radius="md" variant="light" color={color} visibleFrom="xs">
          <Icon size={24} />
        </ThemeIcon>
      </Group>
    </Card>
  );
}

/** A start page: how much there is, and what I have to do today. */
export function DashboardPage() {
  const { t } = useT();
  const me = useMe();
  const meId = me.data?.id ?? '';
  const contacts = useCount('/contacts', {});
  const leads = useCount('/leads', { status: 'new' });
  const deals = useCount('/deals', {});
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

  return (
    <Stack gap="lg">
      <Title order={2}>{t('dashboard.hello', { name: me.data?.name ?? '' })}</Title>
      <SimpleGrid cols={{ base: 2, md: 4 }} spacing={{ base: 'xs', sm: 'md' }}>
        <StatCard
          label={t('nav.contacts')}
          value={contacts.data?.total}
          to="/contacts"
          icon={IconAddressBook}
          color="blue"
        />
        <StatCard
          label={t('dashboard.newLeads')}
          value={leads.data?.total}
          to="/leads?status=new"
          icon={IconTargetArrow}
          color="grape"
        />
        <StatCard label={t('nav.deals')} value={deals.data?.total} to="/deals" icon={IconCoin} color="teal" />
        <StatCard
          label={t('dashboard.myTasks')}
          value={myTasks.data?.total}
          to="/tasks"
          icon={IconCalendarCheck}
          color="orange"
        />
      </SimpleGrid>
      <Card withBorder radius="md" padding="lg" maw={720}>
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
    </Stack>
  );
}
