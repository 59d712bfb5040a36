import { Button, Group, NumberInput, Stack, Switch, Text } from '@mantine/core';
import { IconPhoneX } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useAfterCallOptions, useSaveAfterCallOptions } from '../../../api/after-call.js';
import type { TelephonySettings } from '../../../api/types.js';
import { ErrorAlert } from '../../../components/ErrorAlert.js';
import { useT } from '../../../i18n/useT.js';
import { Section } from './SettingsSection.js';
import { withFeature } from './shown-features.js';
import { useSaveTelephony } from './use-save-telephony.js';

/**
 * The missed-call loop (issue 12, item 9): its switch, what it does, and when a callback task is due.
 * Why: an admin sees in one place that missed calls are followed up, by whom and how fast.
 */
export function MissedCallsCard({ settings }: { settings: TelephonySettings }) {
  const { t } = useT();
  const saveSwitch = useSaveTelephony();
  const options = useAfterCallOptions();
  const save = useSaveAfterCallOptions();
  const [due, setDue] = useState<number | string>('');
  const stored = options.data?.missedCallDueMinutes;
  useEffect(() => {
    if (stored !== undefined) {
      setDue(stored);
    }
  }, [stored]);
  const dueValue = Number(due);
  const dueInvalid = !Number.isInteger(dueValue) || dueValue < 1 || dueValue > 10_080;
  const on = settings.features.missedCallTasks;
  return (
    <Section title={t('after.missed.title')} icon={<IconPhoneX size={20} />} testId="missed-calls-card">
      <Stack gap="md">
        <Switch
          label={t('tel.feature.missedCallTasks')}
          description={t('tel.featureHelp.missedCallTasks')}
          checked={on}
          onChange={(e) =>
            saveSwitch.mutate({
              features: withFeature(settings.features, 'missedCallTasks', e.currentTarget.checked),
            })
          }
          data-testid="feature-missedCallTasks"
        />
        <Text size="sm" c="dimmed">
          {t('after.missed.how')}
        </Text>
        <Group align="flex-end" gap="xs">
          <NumberInput
            label={t('after.missed.dueMinutes')}
            description={t('after.missed.dueHelp')}
            min={1}
            max={10_080}
            allowDecimal={false}
            value={due}
            onChange={setDue}
            error={due !== '' && dueInvalid ? t('after.missed.dueInvalid') : undefined}
            style={{ flex: 1 }}
            data-testid="missed-due-minutes"
          />
          <Button
            variant="default"
            disabled={dueInvalid || dueValue === stored}
            loading={save.isPending}
            onClick={() => save.mutate({ missedCallDueMinutes: dueValue })}
          >
            {t('common.save')}
          </Button>
        </Group>
        {!settings.defaultResponsibleUserId && (
          <Text size="sm" c="orange">
            {t('after.missed.noDefault')}
          </Text>
        )}
        <ErrorAlert error={saveSwitch.error ?? save.error ?? options.error} />
      </Stack>
    </Section>
  );
}
