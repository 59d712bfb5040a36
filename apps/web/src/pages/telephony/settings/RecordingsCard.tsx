import { Alert, Button, Group, NumberInput, Radio, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconMicrophone } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api } from '../../../api/client.js';
import type { paths } from '../../../api/generated/openapi.js';
import { ErrorAlert } from '../../../components/ErrorAlert.js';
import { useT } from '../../../i18n/useT.js';
import { Section } from './SettingsSection.js';

type RecordingSettings =
  paths['/api/recordings/settings']['get']['responses'][200]['content']['application/json'];
type RecordingSettingsInput =
  paths['/api/recordings/settings']['put']['requestBody']['content']['application/json'];

const MB = 1024 * 1024;
const megabytes = (bytes: number) => (bytes / MB).toFixed(1);

const recordingSettingsKey = ['recordings', 'settings'] as const;

/**
 * Where call recordings are kept (copied here, or left at Zadarma with a fresh link at each play), how long our copies
 * are kept and how much room they may take, with the warning before the cap deletes anything.
 */
export function RecordingsCard() {
  const { t } = useT();
  const queryClient = useQueryClient();
  const current = useQuery({
    queryKey: recordingSettingsKey,
    queryFn: ({ signal }) => api.get<RecordingSettings>('/recordings/settings', undefined, signal),
  });
  const [mode, setMode] = useState<RecordingSettings['mode'] | null>(null);
  const [retentionDays, setRetentionDays] = useState(0);
  const [maxStorageMb, setMaxStorageMb] = useState(0);
  useEffect(() => {
    if (current.data && mode === null) {
      setMode(current.data.mode);
      setRetentionDays(current.data.retentionDays);
      setMaxStorageMb(current.data.maxStorageMb);
    }
  }, [current.data, mode]);
  const save = useMutation({
    mutationFn: (next: RecordingSettingsInput) => api.put<RecordingSettings>('/recordings/settings', next),
    onSuccess: (saved) => {
      queryClient.setQueryData(recordingSettingsKey, saved);
      setRetentionDays(saved.retentionDays);
      setMaxStorageMb(saved.maxStorageMb);
      notifications.show({ color: 'green', message: t('common.saved') });
    },
  });
  return (
    <Section title={t('rec.title')} icon={<IconMicrophone size={18} />} testId="recordings-card">
      <ErrorAlert error={current.error ?? save.error} />
      {mode !== null && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            save.mutate({ mode, retentionDays, maxStorageMb });
          }}
        >
          <Stack gap="sm">
            <Radio.Group
              label={t('rec.mode')}
              value={mode}
              onChange={(value) => setMode(value === 'link' ? 'link' : 'copy')}
            >
              <Stack gap="xs" mt="xs">
                <Radio value="copy" label={t('rec.modeCopy')} description={t('rec.modeCopyHelp')} />
                <Radio value="link" label={t('rec.modeLink')} description={t('rec.modeLinkHelp')} />
              </Stack>
            </Radio.Group>
            <Group grow align="flex-start">
              <NumberInput
                label={t('rec.retentionDays')}
                description={t('rec.retentionDaysHelp')}
                min={0}
                max={36_500}
                allowDecimal={false}
                value={retentionDays}
                onChange={(value) => setRetentionDays(typeof value === 'number' ? value : 0)}
                data-testid="recordings-retention-days"
              />
              <NumberInput
                label={t('rec.maxStorageMb')}
                description={t('rec.maxStorageMbHelp')}
                min={0}
                allowDecimal={false}
                value={maxStorageMb}
                onChange={(value) => setMaxStorageMb(typeof value === 'number' ? value : 0)}
                data-testid="recordings-max-storage"
              />
            </Group>
            <Text size="xs" c="dimmed">
              {t('rec.retentionHelp')}{' '}
              {t('rec.used', { used: megabytes(current.data?.storage.storedBytes ?? 0) })}
            </Text>
            {current.data?.storage.nearCap && (
              <Alert color="orange" icon={<IconAlertTriangle size={16} />} data-testid="recordings-near-cap">
                {t('rec.nearCap', {
                  used: megabytes(current.data.storage.storedBytes),
                  max: megabytes(current.data.storage.maxStorageBytes),
                })}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button
                type="submit"
                loading={save.isPending}
                disabled={
                  mode === current.data?.mode &&
                  retentionDays === current.data?.retentionDays &&
                  maxStorageMb === current.data?.maxStorageMb
                }
              >
                {t('common.save')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Section>
  );
}
