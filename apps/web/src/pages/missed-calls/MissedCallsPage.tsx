import { Anchor, Button, Card, Group, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCheck } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../../api/client.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { PageHeader } from '../../components/PageHeader.js';
import { PhoneLink } from '../../components/PhoneLink.js';
import { useT } from '../../i18n/useT.js';
import { apiErrorMessage } from '../../lib/api-error-message.js';
import { formatDateTime } from '../../lib/format.js';
import { useMissedCalls } from '../../live/useMissedCalls.js';

/**
 * The missed calls the user has to return: calls that rang their phone or came from their contacts, until a
 * call with the number is answered (calling back from here) or someone dismisses one.
 */
export function MissedCallsPage() {
  const { t, locale } = useT();
  const queryClient = useQueryClient();
  const missed = useMissedCalls();
  const dismiss = useMutation({
    mutationFn: (callId: string) => api.post(`/calls/${callId}/dismiss`),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['calls'] });
      notifications.show({ color: 'green', message: t('missed.dismissed') });
    },
    onError: (error) => notifications.show({ color: 'red', message: apiErrorMessage(error) }),
  });
  const items = missed.data?.items ?? [];

  return (
    <>
      <PageHeader title={t('missed.title')} subtitle={t('missed.subtitle')} />
      <ErrorAlert error={missed.error} />
      <Card withBorder radius="md" padding={0}>
        {items.length === 0 && !missed.isPending ? (
          <Text c="dimmed" p="lg" data-testid="missed-empty">
            {t('missed.empty')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={560}>
            <Table verticalSpacing="sm" data-testid="missed-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('missed.when')}</Table.Th>
                  <Table.Th>{t('missed.who')}</Table.Th>
                  <Table.Th>{t('missed.number')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((call) => (
                  <Table.Tr key={call.id} data-testid="missed-row" data-call-id={call.id}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      {formatDateTime(call.startedAt, locale)}
                    </Table.Td>
                    <Table.Td>
                      {call.contact ? (
                        <Anchor component={Link} to={`/contacts/${call.contact.id}`} size="sm">
                          {call.contact.displayName}
                        </Anchor>
                      ) : (
                        <Text size="sm" c="dimmed">
                          {t('popup.unknown')}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {call.clientNumber || call.clientE164 ? (
                        <PhoneLink
                          raw={call.clientNumber ?? ''}
                          e164={call.clientE164}
                          {...(call.contact ? { contactId: call.contact.id } : {})}
                        />
                      ) : (
                        <Text size="sm">{t('popup.hiddenNumber')}</Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Group justify="flex-end">
                        <Button
                          size="compact-sm"
                          variant="default"
                          leftSection={<IconCheck size={14} />}
                          loading={dismiss.isPending && dismiss.variables === call.id}
                          onClick={() => dismiss.mutate(call.id)}
                          data-testid="missed-dismiss"
                        >
                          {t('missed.dismiss')}
                        </Button>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>
      <Stack mt="xs">
        <Text size="xs" c="dimmed">
          {t('missed.hint')}
        </Text>
      </Stack>
    </>
  );
}
