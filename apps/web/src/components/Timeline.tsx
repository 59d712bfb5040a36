import {
  Anchor,
  Button,
  Card,
  Group,
  Loader,
  Timeline as MantineTimeline,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconCalendarCheck,
  IconCoin,
  IconNote,
  IconPencil,
  IconPhoneCall,
  IconPlus,
  IconTargetArrow,
} from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api/client.js';
import { useTimeline } from '../api/queries.js';
import type { TimelineItem } from '../api/types.js';
import { useT } from '../i18n/useT.js';
import { formatDateTime, formatRelative } from '../lib/format.js';
import { CallRecordingToggle } from '../pages/calls/CallRecordingPanel.js';
import { ErrorAlert } from './ErrorAlert.js';
import { timelineTitle } from './timeline-title.js';

const ICONS: Record<TimelineItem['kind'], typeof IconNote> = {
  note: IconNote,
  task: IconCalendarCheck,
  deal: IconCoin,
  lead: IconTargetArrow,
  call: IconPhoneCall,
  created: IconPlus,
  updated: IconPencil,
};

type TimelineEntity = 'contacts' | 'companies' | 'leads' | 'deals';
const SUBJECT: Record<TimelineEntity, 'contact' | 'company' | 'lead' | 'deal'> = {
  contacts: 'contact',
  companies: 'company',
  leads: 'lead',
  deals: 'deal',
};

/** A record's history, newest first, with a form to add a note. */
export function RecordTimeline({ entity, id }: { entity: TimelineEntity; id: string }) {
  const { t, locale } = useT();
  const queryClient = useQueryClient();
  const timeline = useTimeline(entity, id);
  const [body, setBody] = useState('');
  const addNote = useMutation({
    mutationFn: () => api.post('/notes', { subjectType: SUBJECT[entity], subjectId: id, body: body.trim() }),
    onSuccess: async () => {
      setBody('');
      await queryClient.invalidateQueries({ queryKey: [entity, 'timeline', id] });
      notifications.show({ color: 'green', message: t('timeline.noteAdded') });
    },
  });

  return (
    <Card withBorder radius="md" padding="lg">
      <Title order={4} mb="sm">
        {t('timeline.title')}
      </Title>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (body.trim()) {
            addNote.mutate();
          }
        }}
      >
        <Stack gap="xs" mb="lg">
          <Textarea
            placeholder={t('timeline.notePlaceholder')}
            aria-label={t('timeline.notePlaceholder')}
            autosize
            minRows={2}
            value={body}
            onChange={(event) => setBody(event.currentTarget.value)}
            data-testid="note-body"
          />
          <Group justify="flex-end">
            <Button type="submit" size="xs" loading={addNote.isPending} disabled={!body.trim()}>
              {t('timeline.addNote')}
            </Button>
          </Group>
          <ErrorAlert error={addNote.error} />
        </Stack>
      </form>
      <ErrorAlert error={timeline.error} />
      {timeline.isPending && <Loader size="sm" />}
      {timeline.data && timeline.data.items.length === 0 && <Text c="dimmed">{t('timeline.empty')}</Text>}
      {timeline.data && timeline.data.items.length > 0 && (
        <MantineTimeline bulletSize={26} lineWidth={2} data-testid="timeline">
          {timeline.data.items.map((item) => {
            const Icon = ICONS[item.kind] ?? IconNote;
            const title = timelineTitle(t, item);
            return (
              <MantineTimeline.Item
                key={item.id}
                bullet={<Icon size={14} />}
                title={title}
                data-kind={item.kind}
                color={item.kind === 'call' ? 'teal' : undefined}
              >
                {item.kind === 'call' && entity === 'contacts' && (
                  <Anchor component={Link} to={`/calls?contactId=${id}`} size="xs">
                    {t('calls.allOfContact')}
                  </Anchor>
                )}
                {item.kind === 'call' && item.ref?.id && <CallRecordingToggle callId={item.ref.id} />}
                {item.body && item.body !== item.title && item.body !== title && (
                  <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                    {item.body}
                  </Text>
                )}
                <Text size="xs" c="dimmed" mt={4} title={formatDateTime(item.at, locale)}>
                  {[item.actor?.name, formatRelative(item.at, locale)].filter(Boolean).join(' · ')}
                </Text>
              </MantineTimeline.Item>
            );
          })}
        </MantineTimeline>
      )}
    </Card>
  );
}
