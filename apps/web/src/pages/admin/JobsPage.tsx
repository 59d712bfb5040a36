import { Badge, Button, Code, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconRefresh, IconReload, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.js';
import type { paths } from '../../api/generated/openapi.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { PageHeader } from '../../components/PageHeader.js';
import { useT } from '../../i18n/useT.js';
import { formatDateTime } from '../../lib/format.js';

type DeadJobList = paths['/api/jobs/dead']['get']['responses'][200]['content']['application/json'];
type DeadJob = DeadJobList['items'][number];

const deadJobsKey = ['jobs', 'dead'] as const;

/** Admin: background jobs that failed every attempt (dead letters), with their last error, to retry or discard. */
export function JobsPage() {
  const { t, locale } = useT();
  const queryClient = useQueryClient();
  const dead = useQuery({
    queryKey: deadJobsKey,
    queryFn: ({ signal }) => api.get<DeadJobList>('/jobs/dead', undefined, signal),
  });
  const act = useMutation({
    mutationFn: ({ job, action }: { job: DeadJob; action: 'retry' | 'discard' }) =>
      action === 'retry' ? api.post(`/jobs/${job.id}/retry`) : api.delete(`/jobs/${job.id}`),
    onSuccess: async (_result, { action }) => {
      await queryClient.invalidateQueries({ queryKey: deadJobsKey });
      notifications.show({
        color: 'green',
        message: t(action === 'retry' ? 'jobs.retried' : 'jobs.discarded'),
      });
    },
  });
  const items = dead.data?.items ?? [];

  return (
    <>
      <PageHeader
        title={t('jobs.title')}
        subtitle={t('jobs.subtitle')}
        actions={
          <Button
            variant="default"
            leftSection={<IconRefresh size={16} />}
            loading={dead.isFetching}
            onClick={() => void queryClient.invalidateQueries({ queryKey: deadJobsKey })}
          >
            {t('jobs.refresh')}
          </Button>
        }
      />
      <Stack gap="sm">
        <ErrorAlert error={dead.error ?? act.error} />
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={320}>
            <Table verticalSpacing="xs" data-testid="jobs-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('jobs.name')}</Table.Th>
                  <Table.Th visibleFrom="sm">{t('jobs.createdAt')}</Table.Th>
                  <Table.Th>{t('jobs.attempts')}</Table.Th>
                  <Table.Th>{t('jobs.lastError')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((job) => (
                  <Table.Tr key={job.id} data-testid="jobs-row">
                    <Table.Td>
                      <Text ff="monospace" fz="sm">
                        {job.name}
                      </Text>
                      <Code fz="xs" style={{ wordBreak: 'break-all' }}>
                        {job.payload}
                      </Code>
                    </Table.Td>
                    <Table.Td visibleFrom="sm" style={{ whiteSpace: 'nowrap' }}>
                      {formatDateTime(job.createdAt, locale)}
                    </Table.Td>
                    <Table.Td>
                      <Badge color="red" variant="light">
                        {t('jobs.attemptsOf', { attempts: job.attempts, max: job.maxAttempts })}
                      </Badge>
                    </Table.Td>
                    <Table.Td maw={360}>
                      <Text size="sm" c="red" lineClamp={3}>
                        {job.lastError ?? ''}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap" justify="flex-end">
                        <Button
                          size="xs"
                          variant="light"
                          leftSection={<IconReload size={14} />}
                          loading={act.isPending && act.variables?.job.id === job.id}
                          onClick={() => act.mutate({ job, action: 'retry' })}
                        >
                          {t('jobs.retry')}
                        </Button>
                        <Button
                          size="xs"
                          variant="subtle"
                          color="red"
                          leftSection={<IconTrash size={14} />}
                          disabled={act.isPending}
                          onClick={() => act.mutate({ job, action: 'discard' })}
                        >
                          {t('jobs.discard')}
                        </Button>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {dead.isSuccess && items.length === 0 && (
            <Text c="dimmed" ta="center" p="lg">
              {t('jobs.empty')}
            </Text>
          )}
        </Paper>
      </Stack>
    </>
  );
}
