import { Anchor, Button, Group, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCalendarPlus } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api/client.js';
import {
  type Task,
  type User,
  WRAP_UP_OUTCOMES,
  type CallWrapUp as WrapUp,
  type WrapUpOutcome,
} from '../../api/types.js';
import { DateTimeField } from '../../components/DateFields.js';
import { useT } from '../../i18n/useT.js';
import { apiErrorMessage } from '../../lib/api-error-message.js';
import { instantForApi } from '../../lib/date-input-format.js';
import { formatDateTime } from '../../lib/format.js';

/** Tomorrow at 10:00 local time, as a date-time picker's value. Why: the usual "call back tomorrow". */
function tomorrowMorning(): string {
  const d = new Date();
  d.setDate(d.getDate() + 1);
  d.setHours(10, 0, 0, 0);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:00`;
}

/**
 * After the call (Pipedrive's call logging): the outcome, stored on the call as soon as it is picked, and
 * "schedule a follow-up", a task for the agent on the contact (or on the call for an unknown caller). The card
 * stays until the agent closes it.
 */
export function CallWrapUp({
  callId,
  contact,
  number,
  me,
  initialOutcome,
  onDone,
}: {
  callId: string;
  contact: { id: string; name: string } | null;
  number: string;
  me: User;
  /** The outcome already recorded (a card restored after a reload). */
  initialOutcome: WrapUpOutcome | null;
  onDone: () => void;
}) {
  const { t, locale } = useT();
  const queryClient = useQueryClient();
  const [outcome, setOutcome] = useState<WrapUpOutcome | null>(initialOutcome);
  const [outcomeState, setOutcomeState] = useState<'idle' | 'saving' | 'saved' | 'error'>('idle');
  const [planning, setPlanning] = useState(false);
  const [title, setTitle] = useState(() => t('popup.followUpDefault', { name: contact?.name ?? number }));
  const [due, setDue] = useState<string | null>(tomorrowMorning);
  const [saving, setSaving] = useState(false);
  const [task, setTask] = useState<Task | null>(null);

  async function pick(value: WrapUpOutcome) {
    setOutcome(value);
    setOutcomeState('saving');
    try {
      const saved = await api.put<WrapUp>(`/calls/${callId}/outcome`, { outcome: value });
      setOutcome(saved.outcome);
      setOutcomeState('saved');
    } catch {
      setOutcomeState('error');
    }
  }

  async function schedule() {
    setSaving(true);
    try {
      const dueAt = instantForApi(due);
      const created = await api.post<Task>('/tasks', {
        title: title.trim(),
        dueAt,
        assigneeId: me.id,
        subjectType: contact ? 'contact' : 'call',
        subjectId: contact ? contact.id : callId,
      });
      setTask(created);
      setPlanning(false);
      await queryClient.invalidateQueries({ queryKey: ['tasks'] });
    } catch (error) {
      notifications.show({ color: 'red', message: apiErrorMessage(error) });
    } finally {
      setSaving(false);
    }
  }

  return (
    <Stack gap={6} mt={4} data-testid="popup-wrap-up">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {t('popup.outcome')}
      </Text>
      <SegmentedControl
        size="xs"
        fullWidth
        orientation="vertical"
        value={outcome ?? ''}
        onChange={(value) => void pick(value as WrapUpOutcome)}
        data={WRAP_UP_OUTCOMES.map((value) => ({ value, label: t(`outcome.${value}`) }))}
        data-testid="popup-outcome-picker"
      />
      <Text
        size="xs"
        c={outcomeState === 'error' ? 'red' : 'dimmed'}
        h={16}
        data-testid="popup-outcome-state"
        data-state={outcomeState}
      >
        {outcomeState === 'saved'
          ? t('popup.outcomeSaved')
          : outcomeState === 'error'
            ? t('popup.noteError')
            : ''}
      </Text>
      {task ? (
        <Text size="sm" data-testid="popup-follow-up-done">
          {t('popup.followUpDone', { date: task.dueAt ? formatDateTime(task.dueAt, locale) : '—' })}{' '}
          <Anchor component={Link} to="/tasks" size="sm">
            {t('nav.tasks')}
          </Anchor>
        </Text>
      ) : planning ? (
        <Stack gap={4}>
          <TextInput
            size="xs"
            label={t('popup.followUpTitle')}
            value={title}
            onChange={(e) => setTitle(e.currentTarget.value)}
            data-testid="popup-follow-up-title"
          />
          <DateTimeField
            size="xs"
            label={t('popup.followUpDue')}
            value={due}
            onChange={setDue}
            data-testid="popup-follow-up-due"
          />
          <Group justify="flex-end" gap={6}>
            <Button size="compact-xs" variant="default" onClick={() => setPlanning(false)}>
              {t('common.cancel')}
            </Button>
            <Button
              size="compact-xs"
              onClick={() => void schedule()}
              loading={saving}
              disabled={!title.trim()}
              data-testid="popup-follow-up-save"
            >
              {t('popup.followUpSave')}
            </Button>
          </Group>
        </Stack>
      ) : (
        <Button
          size="compact-xs"
          variant="light"
          leftSection={<IconCalendarPlus size={14} />}
          onClick={() => setPlanning(true)}
          data-testid="popup-follow-up"
        >
          {t('popup.followUp')}
        </Button>
      )}
      <Group justify="flex-end">
        <Button size="compact-sm" onClick={onDone} data-testid="popup-done">
          {t('popup.done')}
        </Button>
      </Group>
    </Stack>
  );
}
