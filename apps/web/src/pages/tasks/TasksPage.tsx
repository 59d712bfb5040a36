import { Anchor, Badge, Button, Checkbox, SegmentedControl, Text } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useMe } from '../../api/queries.js';
import type { Task } from '../../api/types.js';
import { type Column, ListView } from '../../components/ListView.js';
import { PageHeader } from '../../components/PageHeader.js';
import { EntityName, UserName, UserSelect } from '../../components/pickers.js';
import { useToggleTask } from '../../components/TaskList.js';
import { useT } from '../../i18n/useT.js';
import { formatDateTime, isOverdue } from '../../lib/format.js';
import { TaskFormModal } from './TaskForm.js';

const SUBJECT_PATH: Record<string, string> = {
  contact: 'contacts',
  company: 'companies',
  lead: 'leads',
  deal: 'deals',
};

/** Tasks: mine by default, overdue ones highlighted, done with one click. */
export function TasksPage() {
  const { t, locale } = useT();
  const me = useMe();
  const toggle = useToggleTask();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Task | null>(null);
  const [search, setSearch] = useSearchParams();
  const meId = me.data?.id;
  // "My tasks" is the default view: an empty URL opens the signed-in user's open tasks.
  useEffect(() => {
    if (meId && search.size === 0) {
      setSearch(new URLSearchParams({ assigneeId: meId, status: 'open' }), { replace: true });
    }
  }, [meId, search, setSearch]);
  const columns: Column<Task>[] = [
    {
      key: 'done',
      label: '',
      width: 48,
      render: (task) => (
        <Checkbox
          checked={task.status === 'done'}
          onClick={(event) => event.stopPropagation()}
          onChange={() => toggle.mutate(task)}
          aria-label={t('tasks.markDone')}
        />
      ),
    },
    {
      key: 'title',
      label: t('tasks.title'),
      sort: 'title',
      render: (task) => (
        <div>
          <Text size="sm" fw={500} td={task.status === 'done' ? 'line-through' : undefined}>
            {task.title}
          </Text>
          {task.subjectType && task.subjectId && SUBJECT_PATH[task.subjectType] && (
            <Anchor
              component={Link}
              to={`/${SUBJECT_PATH[task.subjectType]}/${task.subjectId}`}
              size="xs"
              onClick={(event) => event.stopPropagation()}
            >
              {t(`tasks.subject.${task.subjectType}`)}
              {(task.subjectType === 'contact' || task.subjectType === 'company') && (
                <>
                  {': '}
                  <EntityName
                    entity={task.subjectType === 'contact' ? 'contacts' : 'companies'}
                    id={task.subjectId}
                  />
                </>
              )}
            </Anchor>
          )}
        </div>
      ),
    },
    {
      key: 'dueAt',
      label: t('tasks.due'),
      sort: 'dueAt',
      render: (task) =>
        task.dueAt ? (
          <Badge
            color={isOverdue(task.dueAt, task.status) ? 'red' : 'gray'}
            variant="light"
            style={{ textTransform: 'none' }}
          >
            {formatDateTime(task.dueAt, locale)}
          </Badge>
        ) : null,
    },
    {
      key: 'assignee',
      label: t('tasks.assignee'),
      render: (task) => <UserName id={task.assigneeId} />,
      visibleFrom: 'md',
    },
  ];

  return (
    <>
      <PageHeader title={t('nav.tasks')} />
      <ListView<Task>
        entity="tasks"
        columns={columns}
        defaultSort="dueAt"
        rowClassName={(task) => (isOverdue(task.dueAt, task.status) ? 'sb-overdue' : undefined)}
        filters={({ params, setFilter, setFilters }) => (
          <>
            <SegmentedControl
              size="sm"
              value={params.filters.due ?? (params.filters.status === 'done' ? 'done' : 'open')}
              onChange={(value) => {
                setFilters(
                  value === 'done' || value === 'open'
                    ? { due: null, status: value }
                    : { status: 'open', due: value },
                );
              }}
              data={[
                { value: 'open', label: t('tasks.filter.open') },
                { value: 'overdue', label: t('tasks.overdue') },
                { value: 'today', label: t('tasks.filter.today') },
                { value: 'week', label: t('tasks.filter.week') },
                { value: 'done', label: t('tasks.filter.done') },
              ]}
            />
            <UserSelect
              placeholder={t('tasks.assignee')}
              aria-label={t('tasks.assignee')}
              value={params.filters.assigneeId ?? null}
              onChange={(value) => setFilter('assigneeId', value)}
              style={{ flex: '1 1 150px' }}
            />
            {me.data && params.filters.assigneeId !== me.data.id && (
              <Button variant="subtle" size="xs" onClick={() => setFilter('assigneeId', me.data?.id ?? null)}>
                {t('tasks.mine')}
              </Button>
            )}
          </>
        )}
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
            {t('tasks.new')}
          </Button>
        }
        onRowClick={setEditing}
        emptyText={t('tasks.none')}
      />
      {creating && <TaskFormModal onClose={() => setCreating(false)} />}
      {editing && <TaskFormModal task={editing} onClose={() => setEditing(null)} />}
    </>
  );
}
