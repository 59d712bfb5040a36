import { Switch, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconEye } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../api/client.js';
import type { paths } from '../../../api/generated/openapi.js';
import { ErrorAlert } from '../../../components/ErrorAlert.js';
import { useT } from '../../../i18n/useT.js';
import { Section } from './SettingsSection.js';

type CallVisibility =
  paths['/api/telephony/call-visibility']['get']['responses'][200]['content']['application/json'];

const callVisibilityKey = ['telephony', 'call-visibility'] as const;

/**
 * Who sees which calls: by default an agent sees the calls they took and their clients' calls; switched on, every
 * agent sees every call — in the call log, on call pages, in recordings and statistics alike.
 */
export function CallVisibilityCard() {
  const { t } = useT();
  const queryClient = useQueryClient();
  const current = useQuery({
    queryKey: callVisibilityKey,
    queryFn: ({ signal }) => api.get<CallVisibility>('/telephony/call-visibility', undefined, signal),
  });
  const save = useMutation({
    mutationFn: (next: CallVisibility) => api.put<CallVisibility>('/telephony/call-visibility', next),
    onSuccess: (saved) => {
      queryClient.setQueryData(callVisibilityKey, saved);
      // Every list of calls this admin has open may change for agents, not for them: nothing else to refetch.
      notifications.show({ color: 'green', message: t('common.saved') });
    },
  });
  return (
    <Section title={t('calls.visibility.title')} icon={<IconEye size={18} />} testId="call-visibility-card">
      <ErrorAlert error={current.error ?? save.error} />
      {current.data && (
        <Switch
          label={t('calls.agentsSeeAllCalls')}
          description={t('calls.agentsSeeAllCallsHelp')}
          checked={current.data.agentsSeeAllCalls}
          disabled={save.isPending}
          onChange={(event) => save.mutate({ agentsSeeAllCalls: event.currentTarget.checked })}
          data-testid="agents-see-all-calls"
        />
      )}
      {current.data && !current.data.agentsSeeAllCalls && (
        <Text size="xs" c="dimmed" mt="xs">
          {t('calls.visibility.ownOnly')}
        </Text>
      )}
    </Section>
  );
}
