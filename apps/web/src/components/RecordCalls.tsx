import { Anchor, Badge, Card, Group, Stack, Text, Title } from '@mantine/core';
import { IconPhoneIncoming, IconPhoneOutgoing } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../api/client.js';
import type { CallView, ListResult } from '../api/types.js';
import { useT } from '../i18n/useT.js';
import { formatDateTime, formatDuration } from '../lib/format.js';
import { callStatusColor, callStatusLabel } from '../live/call-labels.js';

/**
 * The last calls with a contact (on the contact's page, and on a deal's for its contact), each a link to the
 * call's page, and a link to all of them on the calls page. Why: "when did we last speak" without leaving the
 * record; the server shows only the calls the reader may see.
 */
export function RecordCalls({ contactId }: { contactId: string }) {
  const { t, locale } = useT();
  const calls = useQuery({
    queryKey: ['calls', 'list', { contactId, pageSize: 5 }],
    queryFn: ({ signal }) => api.get<ListResult<CallView>>('/calls', { contactId, pageSize: 5 }, signal),
  });
  const items = calls.data?.items ?? [];
  return (
    <Card withBorder radius="md" padding="lg" data-testid="record-calls">
      <Group justify="space-between" mb="sm">
        <Title order={4}>{t('nav.calls')}</Title>
        {items.length > 0 && (
          <Anchor component={Link} to={`/calls?contactId=${contactId}`} size="sm">
            {t('calls.allOfContact')}
          </Anchor>
        )}
      </Group>
      <Stack gap={6}>
        {items.map((call) => {
          const Icon = call.direction === 'in' ? IconPhoneIncoming : IconPhoneOutgoing;
          return (
            <Group key={call.id} justify="space-between" wrap="nowrap" gap="xs" data-testid="record-call">
              <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
                <Icon size={15} color="var(--mantine-color-dimmed)" style={{ flexShrink: 0 }} />
                <Anchor component={Link} to={`/calls/${call.id}`} size="sm" truncate>
                  {formatDateTime(call.startedAt, locale)}
                </Anchor>
              </Group>
              <Group gap={6} wrap="nowrap" style={{ flexShrink: 0 }}>
                {call.duration ? (
                  <Text size="xs" c="dimmed">
                    {formatDuration(call.duration)}
                  </Text>
                ) : null}
                <Badge size="sm" variant="light" color={callStatusColor(call.status)}>
                  {callStatusLabel(t, call.status)}
                </Badge>
              </Group>
            </Group>
          );
        })}
        {calls.isSuccess && items.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('list.empty')}
          </Text>
        )}
      </Stack>
    </Card>
  );
}
