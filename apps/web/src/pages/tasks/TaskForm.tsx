import { Button, Group, Modal, Stack, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMe } from '../../api/queries.js';
import type { Task } from '../../api/types.js';
import { DateTimeField } from '../../components/DateFields.js';
import { DeleteButton } from '../../components/DeleteButton.js';
import { FormErrors } from '../../components/FormErrors.js';
import { UserSelect } from '../../components/pickers.js';
import { useSaveEntity } from '../../components/useSaveEntity.js';
import { useT } from '../../i18n/useT.js';
import { instantForApi } from '../../lib/date-input-format.js';

type TaskValues = { title: string; description: string; dueAt: string | null; assigneeId: string | null };

/** Create or edit a task in a modal. */
export function TaskFormModal({ onClose, task }: { onClose: () => void; task?: Task }) {
  const { t } = useT();
  const me = useMe();
  const form = useForm<TaskValues>({
    initialValues: {
      title: task?.title ?? '',
      description: task?.description ?? '',
      dueAt: task?.dueAt ?? null,
      assigneeId: task ? task.assigneeId : (me.data?.id ?? null),
    },
    validate: { title: (value) => (value.trim() ? null : t('tasks.validation.titleRequired')) },
  });
  const { mutation, formErrors } = useSaveEntity<TaskValues, Task>({
    entity: 'tasks',
    id: task?.id,
    form,
    toBody: (values) => ({ ...values, dueAt: instantForApi(values.dueAt) }),
    onSaved: onClose,
  });
  return (
    <Modal opened onClose={onClose} title={task ? t('tasks.edit') : t('tasks.new')}>
      <form onSubmit={form.onSubmit((values) => mutation.mutate(values))} noValidate>
        <Stack>
          <FormErrors messages={formErrors} />
          <TextInput label={t('tasks.title')} required {...form.getInputProps('title')} />
          <DateTimeField
            label={t('tasks.due')}
            clearable
            error={form.errors.dueAt}
            value={form.values.dueAt}
            onChange={(value) => form.setFieldValue('dueAt', value)}
          />
          <UserSelect
            assignable
            label={t('tasks.assignee')}
            error={form.errors.assigneeId}
            value={form.values.assigneeId}
            onChange={(value) => form.setFieldValue('assigneeId', value)}
          />
          <Textarea
            label={t('tasks.description')}
            autosize
            minRows={2}
            {...form.getInputProps('description')}
          />
          <Group justify="flex-end">
            {task && (
              <DeleteButton
                entity="tasks"
                id={task.id}
                body={t('common.deleteBody', { name: task.title })}
                onDeleted={onClose}
              />
            )}
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={mutation.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
