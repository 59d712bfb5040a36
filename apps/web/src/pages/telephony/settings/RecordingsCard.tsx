import { Button, Group, Radio, Stack } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconMicrophone } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api } from '../../../api/client.js';
import type { paths } from '../../../api/generated/openapi.js';
import { ErrorAlert } from '../../../components/ErrorAlert.js';
import { useT } from '../../../i18n/useT.js';
import { Section } from './SettingsSection.js';

type RecordingSettings =
  paths['/api/recordings/settings']['get']['responses'][200]['content']['application/json'];

const recordingSettingsKey = ['recordings', 'settings'] as const;

/** Where call recordings are kept: copied to this server, or left at Zadarma (a fresh link at each play). */
export function RecordingsCard() {
  const { t } = useT();
  const queryClient = useQueryClient();
  const current = useQuery({
    queryKey: recordingSettingsKey,
    queryFn: ({ signal }) => api.get<RecordingSettings>('/recordings/settings', undefined, signal),
  });
  const [mode, setMode] = useState<RecordingSettings['mode'] | null>(null);
  useEffect(() => {
    if (current.data && mode === null) {
      setMode(current.data.mode);
    }
  }, [current.data, mode]);
  const save = useMutation({
    mutationFn: (next: RecordingSettings) => api.put<RecordingSettings>('/recordings/settings', next),
    onSuccess: (saved) => {
      queryClient.setQueryData(recordingSettingsKey, saved);
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
            save.mutate({ mode });
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
            <Group justify="flex-end">
              <Button type="submit" loading={save.isPending} disabled={mode === current.data?.mode}>
                {t('common.save')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Section>
  );
}
