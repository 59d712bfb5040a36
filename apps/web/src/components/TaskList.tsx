import { Button, Card, Checkbox, Group, Loader, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api/client.js';
import { useMe } from '../api/queries.js';
import type { ListResult, SubjectType, Task } from '../api/types.js';
import { useT } from '../i18n/useT.js';
import { instantForApi } from '../lib/date-input-format.js';
import { formatDateTime, isOverdue } from '../lib/format.js';
import { DateTimeField } from './DateFields.js';
import { ErrorAlert } from './ErrorAlert.js';

/** Marks a task done or open again and refreshes every task list. */
export function useToggleTask() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (task: Task) =>
      api.patch<Task>(`/tasks/${task.id}`, { status: task.status === 'done' ? 'open' : 'done' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['tasks'] }),
  });
}

/** One task line: checkbox, title, due date (red when overdue). */
export function TaskRow({ task }: { task: Task }) {
  const { t, locale } = useT();
  const toggle = useToggleTask();
  const overdue = isOverdue(task.dueAt, task.status);
  return (
    <Checkbox
      data-testid="task-row"
      checked={task.status === 'done'}
      onChange={() => toggle.mutate(task)}
      label={
        <Text size="sm" td={task.status === 'done' ? 'line-through' : undefined}>
          {task.title}
        </Text>
      }
      description={
        task.dueAt ? (
          <Text span size="xs" c={overdue ? 'red' : 'dimmed'} fw={overdue ? 600 : undefined}>
            {overdue ? `${t('tasks.overdue')} · ` : ''}
            {formatDateTime(task.dueAt, locale)}
          </Text>
        ) : undefined
      }
    />
  );
}

/** Tasks about one record, with a quick "add task" line. */
export function SubjectTasks({ subjectType, subjectId }: { subjectType: SubjectType; subjectId: string }) {
  const { t } = useT();
  const me = useMe();
  const queryClient = useQueryClient();
  const [title, setTitle] = useState('');
  const [dueAt, setDueAt] = useState<string | null>(null);
  const tasks = useQuery({
    queryKey: ['tasks', 'subject', subjectType, subjectId],
    queryFn: ({ signal }) =>
      api.get<ListResult<Task>>('/tasks', { subjectType, subjectId, pageSize: 50, sort: 'dueAt' }, signal),
  });
  const create = useMutation({
    mutationFn: () =>
      api.post<Task>('/tasks', {
        title: title.trim(),
        description: '',
        dueAt: instantForApi(dueAt),
        assigneeId: me.data?.id ?? null,
        subjectType,
        subjectId,
      }),
    onSuccess: async () => {
      setTitle('');
      setDueAt(null);
      notifications.show({ color: 'green', message: t('tasks.created') });
      await queryClient.invalidateQueries({ queryKey: ['tasks'] });
    },
  });

  return (
    <Card withBorder radius="md" padding="lg">
      <Title order={4} mb="sm">
        {t('nav.tasks')}
      </Title>
      <Stack gap="xs">
        {tasks.isPending && <Loader size="sm" />}
        <ErrorAlert error={tasks.error} />
        {tasks.data?.items.map((task) => (
          <TaskRow key={task.id} task={task} />
        ))}
        {tasks.data && tasks.data.items.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('tasks.none')}
          </Text>
        )}
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (title.trim()) {
              create.mutate();
            }
          }}
        >
          <Stack gap="xs" mt="xs">
            <TextInput
              placeholder={t('tasks.newPlaceholder')}
              aria-label={t('tasks.newPlaceholder')}
              value={title}
              onChange={(event) => setTitle(event.currentTarget.value)}
            />
            <Group gap="xs" wrap="nowrap">
              <DateTimeField
                placeholder={t('tasks.due')}
                aria-label={t('tasks.due')}
                value={dueAt}
                onChange={setDueAt}
                clearable
                style={{ flex: 1 }}
              />
              <Button
                type="submit"
                leftSection={<IconPlus size={16} />}
                loading={create.isPending}
                disabled={!title.trim()}
              >
                {t('tasks.add')}
              </Button>
            </Group>
          </Stack>
        </form>
        <ErrorAlert error={create.error} />
      </Stack>
    </Card>
  );
}
