import { Alert, Button, Group, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconFlask, IconPhoneIncoming } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { api } from '../api/client.js';
import { useHealth } from '../api/telephony.js';
import { useT } from '../i18n/useT.js';
import { apiErrorMessage } from '../lib/api-error-message.js';

/** Says that calls come from the built-in simulator and lets anyone ring the demo number. */
export function DemoBanner() {
  const { t } = useT();
  const health = useHealth();
  const simulate = useMutation({
    mutationFn: () => api.post<{ pbxCallId: string }>('/demo/calls/inbound', {}),
    onSuccess: () => notifications.show({ color: 'blue', message: t('demo.calling') }),
    onError: (error) => notifications.show({ color: 'red', message: apiErrorMessage(error) }),
  });
  if (health.data?.mode !== 'demo') {
    return null;
  }
  return (
    <Alert
      color="violet"
      variant="light"
      icon={<IconFlask size={18} />}
      mb="md"
      p="xs"
      data-testid="demo-banner"
    >
      <Group justify="space-between" gap="xs" wrap="wrap">
        <Text size="sm">{t('demo.banner')}</Text>
        <Button
          size="xs"
          variant="light"
          color="violet"
          leftSection={<IconPhoneIncoming size={14} />}
          loading={simulate.isPending}
          onClick={() => simulate.mutate()}
          data-testid="simulate-call"
        >
          {t('demo.simulate')}
        </Button>
      </Group>
    </Alert>
  );
}
