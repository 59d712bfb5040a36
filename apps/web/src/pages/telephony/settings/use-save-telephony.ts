import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../api/client.js';
import { telephonyKeys } from '../../../api/telephony.js';
import type { TelephonySettings, TelephonySettingsInput } from '../../../api/types.js';
import { useT } from '../../../i18n/useT.js';

/**
 * Saves a subset of the telephony settings and puts the answer in the cache.
 * Why: every card saves only its own fields, and all of them refresh what depends on the settings.
 */
export function useSaveTelephony() {
  const { t } = useT();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: TelephonySettingsInput) => api.put<TelephonySettings>('/telephony/settings', input),
    onSuccess: (saved) => {
      queryClient.setQueryData(telephonyKeys.settings, saved);
      void queryClient.invalidateQueries({ queryKey: telephonyKeys.extensions });
      void queryClient.invalidateQueries({ queryKey: telephonyKeys.balance });
      void queryClient.invalidateQueries({ queryKey: telephonyKeys.me });
      notifications.show({ color: 'green', message: t('common.saved') });
    },
  });
}
