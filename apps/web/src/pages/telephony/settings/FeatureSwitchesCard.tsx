import { Button, Group, NumberInput, Stack, Switch } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { TelephonySettings } from '../../../api/types.js';
import { ErrorAlert } from '../../../components/ErrorAlert.js';
import { useT } from '../../../i18n/useT.js';
import { Section } from './SettingsSection.js';
import { SHOWN_TELEPHONY_FEATURES, withFeature } from './shown-features.js';
import { useSaveTelephony } from './use-save-telephony.js';

/**
 * The telephony feature switches, predicted click-to-call and the return timeout.
 * Why: an admin decides how calls are routed and shown without touching the PBX.
 */
export function FeatureSwitchesCard({ settings }: { settings: TelephonySettings }) {
  const { t } = useT();
  const save = useSaveTelephony();
  const [returnTimeout, setReturnTimeout] = useState<number | string>(settings.returnTimeout);
  useEffect(() => setReturnTimeout(settings.returnTimeout), [settings.returnTimeout]);
  const timeoutValue = Number(returnTimeout);
  const timeoutInvalid = !Number.isInteger(timeoutValue) || (timeoutValue !== 0 && timeoutValue < 3);
  return (
    <Section title={t('tel.features')}>
      <Stack gap="md">
        {SHOWN_TELEPHONY_FEATURES.map((feature) => (
          <Switch
            key={feature}
            label={t(`tel.feature.${feature}`)}
            description={t(`tel.featureHelp.${feature}`)}
            checked={settings.features[feature]}
            onChange={(e) =>
              save.mutate({ features: withFeature(settings.features, feature, e.currentTarget.checked) })
            }
            data-testid={`feature-${feature}`}
          />
        ))}
        <Switch
          label={t('tel.predicted')}
          description={t('tel.predictedHelp')}
          checked={settings.predictedCallback}
          onChange={(e) => save.mutate({ predictedCallback: e.currentTarget.checked })}
        />
        <Group align="flex-end" gap="xs">
          <NumberInput
            label={t('tel.returnTimeout')}
            description={t('tel.returnTimeoutHelp')}
            min={0}
            max={600}
            allowDecimal={false}
            value={returnTimeout}
            onChange={setReturnTimeout}
            error={timeoutInvalid ? t('tel.returnTimeoutInvalid') : undefined}
            style={{ flex: 1 }}
          />
          <Button
            variant="default"
            disabled={timeoutInvalid || timeoutValue === settings.returnTimeout}
            onClick={() => save.mutate({ returnTimeout: timeoutValue })}
          >
            {t('common.save')}
          </Button>
        </Group>
        <ErrorAlert error={save.error} />
      </Stack>
    </Section>
  );
}
