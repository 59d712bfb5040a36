import { Button, Group, Stack, Switch, Textarea } from '@mantine/core';
import { useState } from 'react';
import type { TelephonySettings } from '../../../api/types.js';
import { ErrorAlert } from '../../../components/ErrorAlert.js';
import { useT } from '../../../i18n/useT.js';
import { Section } from './SettingsSection.js';
import { useSaveTelephony } from './use-save-telephony.js';

/**
 * The optional source-address check of webhooks and the proxies trusted to report the client address.
 * Why: a second line of defence behind the signature, for installations that want one.
 */
export function IpAllowListCard({ settings }: { settings: TelephonySettings }) {
  const { t } = useT();
  const save = useSaveTelephony();
  const [enabled, setEnabled] = useState(settings.ipAllowList.enabled);
  const [cidrs, setCidrs] = useState(settings.ipAllowList.cidrs.join('\n'));
  const lines = (text: string) =>
    text
      .split(/[\n,]+/)
      .map((line) => line.trim())
      .filter(Boolean);
  return (
    <Section title={t('tel.ipAllowList')}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate({ ipAllowList: { enabled, cidrs: lines(cidrs) } });
        }}
      >
        <Stack gap="sm">
          <Switch
            label={t('tel.ipCheck')}
            description={t('tel.ipCheckHelp')}
            checked={enabled}
            onChange={(e) => setEnabled(e.currentTarget.checked)}
          />
          <Textarea
            label={t('tel.cidrs')}
            description={t('tel.cidrsHelp')}
            autosize
            minRows={2}
            value={cidrs}
            onChange={(e) => setCidrs(e.currentTarget.value)}
            styles={{ input: { fontFamily: 'monospace' } }}
          />
          {/* Trusted proxies come from the server's TRUST_PROXY variable alone (one source for the whole server). */}
          <Textarea
            label={t('tel.trustedProxies')}
            description={t('tel.trustedProxiesEnvHelp')}
            autosize
            minRows={1}
            readOnly
            value={settings.ipAllowList.trustedProxies.join('\n')}
            placeholder={t('tel.trustedProxiesNone')}
            data-testid="tel-trusted-proxies"
            styles={{ input: { fontFamily: 'monospace' } }}
          />
          <ErrorAlert error={save.error} />
          <Group justify="flex-end">
            <Button type="submit" variant="default" loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Section>
  );
}
