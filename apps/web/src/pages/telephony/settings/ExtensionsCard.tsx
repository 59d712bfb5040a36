import { Alert, ColorSwatch, Group, Loader, Radio, Select, Table, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../../api/client.js';
import { useDirectory } from '../../../api/queries.js';
import { telephonyKeys, useExtensions } from '../../../api/telephony.js';
import type { ExtensionItem, TelephonySettings } from '../../../api/types.js';
import { ErrorAlert } from '../../../components/ErrorAlert.js';
import { useT } from '../../../i18n/useT.js';
import { apiErrorMessage } from '../../../lib/api-error-message.js';
import { Section } from './SettingsSection.js';
import { useSaveTelephony } from './use-save-telephony.js';

/**
 * PBX extensions ↔ CRM users (a user already given an extension is not offered for another), their online
 * status, and the default responsible user. Why: popups, routing and click-to-call find agents by extension.
 */
export function ExtensionsCard({ settings }: { settings: TelephonySettings }) {
  const { t } = useT();
  const queryClient = useQueryClient();
  const extensions = useExtensions(settings.configured);
  const directory = useDirectory();
  const saveSettings = useSaveTelephony();
  const [conflict, setConflict] = useState<string | null>(null);
  const assign = useMutation({
    mutationFn: ({ extension, userId }: { extension: string; userId: string | null }) =>
      api.put<ExtensionItem>(`/telephony/extensions/${encodeURIComponent(extension)}`, { userId }),
    onMutate: () => setConflict(null),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: telephonyKeys.extensions });
      void queryClient.invalidateQueries({ queryKey: telephonyKeys.me });
      notifications.show({ color: 'green', message: t('common.saved') });
    },
    onError: (error) => {
      setConflict(apiErrorMessage(error));
      void queryClient.invalidateQueries({ queryKey: telephonyKeys.extensions });
    },
  });
  const items = extensions.data?.items ?? [];
  const assigned = new Set(items.map((i) => i.userId).filter((id): id is string => Boolean(id)));
  const users = directory.data ?? [];
  return (
    <Section title={t('tel.extensions')} testId="tel-extensions">
      <Text size="sm" c="dimmed" mb="sm">
        {t('tel.extensionsHelp')}
      </Text>
      {!settings.configured && <Text c="dimmed">{t('tel.configureFirst')}</Text>}
      <ErrorAlert error={extensions.error} />
      {conflict && (
        <Alert
          color="red"
          mb="sm"
          withCloseButton
          onClose={() => setConflict(null)}
          data-testid="tel-extension-error"
        >
          {conflict}
        </Alert>
      )}
      {extensions.isFetching && !extensions.data && <Loader size="sm" />}
      {items.length > 0 && (
        <Table.ScrollContainer minWidth={360}>
          <Table verticalSpacing={6} data-testid="tel-extensions-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('tel.extension')}</Table.Th>
                <Table.Th>{t('tel.status')}</Table.Th>
                <Table.Th>{t('tel.user')}</Table.Th>
                <Table.Th>
                  <Tooltip label={t('tel.defaultResponsibleHelp')} multiline w={260}>
                    <span>{t('tel.defaultResponsible')}</span>
                  </Tooltip>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((item) => (
                <Table.Tr key={item.extension} data-testid={`ext-row-${item.extension}`}>
                  <Table.Td fw={600}>{item.extension}</Table.Td>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap" data-testid={`ext-online-${item.extension}`}>
                      <ColorSwatch
                        size={9}
                        withShadow={false}
                        color={`var(--mantine-color-${item.online === null ? 'gray' : item.online ? 'green' : 'red'}-6)`}
                      />
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                        {item.online === null
                          ? t('tel.unknown')
                          : item.online
                            ? t('tel.online')
                            : t('tel.offline')}
                      </Text>
                    </Group>
                  </Table.Td>
                  <Table.Td miw={180}>
                    <Select
                      size="xs"
                      searchable
                      clearable
                      placeholder={t('tel.nobody')}
                      aria-label={t('tel.userFor', { extension: item.extension })}
                      data={users
                        .filter((u) => u.id === item.userId || !assigned.has(u.id))
                        .map((u) => ({ value: u.id, label: u.name }))}
                      value={item.userId}
                      onChange={(userId) => assign.mutate({ extension: item.extension, userId })}
                      data-testid={`ext-user-${item.extension}`}
                    />
                  </Table.Td>
                  <Table.Td>
                    <Radio
                      aria-label={t('tel.defaultResponsible')}
                      disabled={!item.userId}
                      checked={Boolean(item.userId) && item.userId === settings.defaultResponsibleUserId}
                      onChange={() =>
                        item.userId && saveSettings.mutate({ defaultResponsibleUserId: item.userId })
                      }
                      data-testid={`ext-default-${item.extension}`}
                    />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Section>
  );
}
