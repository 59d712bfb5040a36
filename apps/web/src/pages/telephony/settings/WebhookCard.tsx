import {
  ActionIcon,
  Badge,
  Button,
  Code,
  CopyButton,
  Grid,
  Group,
  List,
  Stack,
  Text,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconCopy, IconWebhook } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../api/client.js';
import { telephonyKeys } from '../../../api/telephony.js';
import type { TelephonySettings } from '../../../api/types.js';
import { ErrorAlert } from '../../../components/ErrorAlert.js';
import { useT } from '../../../i18n/useT.js';
import { formatDateTime, formatRelative } from '../../../lib/format.js';
import { inboxErrorOf } from '../inbox-event.js';
import { Section } from './SettingsSection.js';

/**
 * The webhook URL to give Zadarma, its live health (last event, last refusal), and registering it.
 * Why: calls reach the CRM only once Zadarma notifies this URL.
 */
export function WebhookCard({ settings }: { settings: TelephonySettings }) {
  const { t, locale } = useT();
  const queryClient = useQueryClient();
  const register = useMutation({
    mutationFn: () => api.post<{ ok: true; url: string }>('/telephony/register-webhook'),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: telephonyKeys.settings });
      notifications.show({ color: 'green', message: t('tel.registered') });
    },
  });
  const w = settings.webhook;
  const healthy = w.lastEventAt && (!w.lastRejectedAt || w.lastEventAt > w.lastRejectedAt);
  return (
    <Section title={t('tel.webhook')} icon={<IconWebhook size={20} />} testId="tel-webhook">
      <Stack gap="sm">
        <Group gap="xs" wrap="nowrap">
          <Code style={{ flex: 1, overflowWrap: 'anywhere' }} data-testid="tel-webhook-url">
            {settings.webhookUrl}
          </Code>
          <CopyButton value={settings.webhookUrl}>
            {({ copied, copy }) => (
              <Tooltip label={copied ? t('tel.copied') : t('tel.copy')}>
                <ActionIcon
                  variant="light"
                  color={copied ? 'green' : 'blue'}
                  onClick={copy}
                  aria-label={t('tel.copy')}
                >
                  {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
                </ActionIcon>
              </Tooltip>
            )}
          </CopyButton>
        </Group>
        <Group gap="xs">
          <Badge color={healthy ? 'green' : w.lastEventAt ? 'orange' : 'gray'} variant="dot">
            {w.lastEventAt
              ? t('tel.lastEvent', { when: formatRelative(w.lastEventAt, locale) })
              : t('tel.noEventYet')}
          </Badge>
          {w.registeredAt && (
            <Badge color="blue" variant="light">
              {t('tel.registeredAt', { when: formatDateTime(w.registeredAt, locale) })}
            </Badge>
          )}
        </Group>
        {w.lastRejectedAt && (
          <Text size="xs" c="red" title={w.lastError ?? undefined} data-testid="tel-last-rejected">
            {t('tel.lastRejected', {
              when: formatRelative(w.lastRejectedAt, locale),
              error: w.lastError ? t(inboxErrorOf(w.lastError).messageId) : '—',
            })}
          </Text>
        )}
        <Grid gap="md">
          <Grid.Col span={{ base: 12, sm: 5 }}>
            <Text size="sm" mb="xs">
              {t('tel.registerHelp')}
            </Text>
            <Button
              leftSection={<IconWebhook size={16} />}
              loading={register.isPending}
              onClick={() => register.mutate()}
              disabled={!settings.configured}
              data-testid="tel-register"
            >
              {t('tel.register')}
            </Button>
            <ErrorAlert error={register.error} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 7 }}>
            <Text size="sm" fw={600} mb={4}>
              {t('tel.manualTitle')}
            </Text>
            <List type="ordered" size="sm" spacing={4}>
              <List.Item>{t('tel.manual1')}</List.Item>
              <List.Item>{t('tel.manual2')}</List.Item>
              <List.Item>{t('tel.manual3')}</List.Item>
              <List.Item>{t('tel.manual4')}</List.Item>
            </List>
          </Grid.Col>
        </Grid>
      </Stack>
    </Section>
  );
}
