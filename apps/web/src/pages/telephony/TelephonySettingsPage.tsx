import { Badge, Grid, Group, Loader, Stack } from '@mantine/core';
import { useTelephonySettings } from '../../api/telephony.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { PageHeader } from '../../components/PageHeader.js';
import { useT } from '../../i18n/useT.js';
import { BlacklistCard } from './BlacklistCard.js';
import { BalanceCard } from './settings/BalanceCard.js';
import { CallerNameCard } from './settings/CallerNameCard.js';
import { CallVisibilityCard } from './settings/CallVisibilityCard.js';
import { ConnectionCard } from './settings/ConnectionCard.js';
import { ExtensionsCard } from './settings/ExtensionsCard.js';
import { FeatureSwitchesCard } from './settings/FeatureSwitchesCard.js';
import { HistoryImportCard } from './settings/HistoryImportCard.js';
import { IpAllowListCard } from './settings/IpAllowListCard.js';
import { MissedCallsCard } from './settings/MissedCallsCard.js';
import { NewCallersCard } from './settings/NewCallersCard.js';
import { RecordingsCard } from './settings/RecordingsCard.js';
import { RoutingCard } from './settings/RoutingCard.js';
import { WebhookCard } from './settings/WebhookCard.js';

/** Admin: connect Zadarma, register the webhook, map extensions to users, switch features, manage the blacklist. */
export function TelephonySettingsPage() {
  const { t } = useT();
  const settings = useTelephonySettings();
  if (settings.isPending) {
    return <Loader />;
  }
  if (!settings.data) {
    return <ErrorAlert error={settings.error} />;
  }
  const s = settings.data;
  return (
    <>
      <PageHeader
        title={t('nav.telephony')}
        subtitle={
          <Group gap="xs">
            <Badge color={s.mode === 'demo' ? 'violet' : 'blue'} variant="light">
              {s.mode === 'demo' ? t('tel.modeDemo') : t('tel.modeLive')}
            </Badge>
            <Badge color={s.configured ? 'green' : 'gray'} variant="light" data-testid="tel-configured">
              {s.configured ? t('tel.configured') : t('tel.notConfigured')}
            </Badge>
          </Group>
        }
      />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Stack gap="md">
            <ConnectionCard settings={s} />
            <WebhookCard settings={s} />
            <FeatureSwitchesCard settings={s} />
            <RoutingCard settings={s} />
            <CallerNameCard settings={s} />
            <NewCallersCard settings={s} />
            <RecordingsCard />
            <CallVisibilityCard />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Stack gap="md">
            <BalanceCard configured={s.configured} />
            <ExtensionsCard settings={s} />
            <MissedCallsCard settings={s} />
            <IpAllowListCard settings={s} />
            <BlacklistCard settings={s} />
            <HistoryImportCard />
          </Stack>
        </Grid.Col>
      </Grid>
    </>
  );
}
