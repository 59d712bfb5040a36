import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Card,
  Checkbox,
  Code,
  ColorSwatch,
  CopyButton,
  Grid,
  Group,
  List,
  Loader,
  NumberInput,
  PasswordInput,
  Radio,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconCopy, IconPlugConnected, IconRefresh, IconWebhook } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useState } from 'react';
import { api } from '../../api/client.js';
import { useDirectory } from '../../api/queries.js';
import { telephonyKeys, useBalance, useExtensions, useTelephonySettings } from '../../api/telephony.js';
import {
  type ConnectionTest,
  type ExtensionItem,
  TELEPHONY_FEATURES,
  type TelephonySettings,
  type TelephonySettingsInput,
} from '../../api/types.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { PageHeader } from '../../components/PageHeader.js';
import { useT } from '../../i18n/useT.js';
import { formatDateTime, formatMoney, formatRelative } from '../../lib/format.js';
import { BlacklistCard } from './BlacklistCard.js';

/** HH:MM in the user's locale: when the previous secret stops being accepted (always the same day or the next). */
function formatTime(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

/** Saves a subset of the telephony settings and puts the answer in the cache. */
function useSaveTelephony() {
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
            <FeaturesCard settings={s} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Stack gap="md">
            <BalanceCard configured={s.configured} />
            <ExtensionsCard settings={s} />
            <IpAllowListCard settings={s} />
            <BlacklistCard />
          </Stack>
        </Grid.Col>
      </Grid>
    </>
  );
}

function Section({
  title,
  icon,
  children,
  testId,
}: {
  title: string;
  icon?: ReactNode;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <Card withBorder radius="md" padding="lg" data-testid={testId}>
      <Group gap="xs" mb="sm">
        {icon}
        <Title order={4}>{title}</Title>
      </Group>
      {children}
    </Card>
  );
}

function ConnectionCard({ settings }: { settings: TelephonySettings }) {
  const { t } = useT();
  const save = useSaveTelephony();
  const [apiKey, setApiKey] = useState(settings.apiKey ?? '');
  const [apiSecret, setApiSecret] = useState('');
  const [secretLeaked, setSecretLeaked] = useState(false);
  const [apiBaseUrl, setApiBaseUrl] = useState(settings.apiBaseUrl);
  const test = useMutation({
    mutationFn: () => api.post<ConnectionTest>('/telephony/test-connection'),
  });
  const { locale } = useT();
  return (
    <Section title={t('tel.connection')} icon={<IconPlugConnected size={20} />}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          const input: TelephonySettingsInput = {
            apiKey: apiKey.trim(),
            apiBaseUrl: apiBaseUrl.trim() || null,
          };
          if (apiSecret) {
            input.apiSecret = apiSecret;
            if (secretLeaked) {
              input.secretLeaked = true;
            }
          }
          save.mutate(input, {
            onSuccess: () => {
              setApiSecret('');
              setSecretLeaked(false);
            },
          });
        }}
      >
        <Stack gap="sm">
          <TextInput
            label={t('tel.apiKey')}
            value={apiKey}
            onChange={(e) => setApiKey(e.currentTarget.value)}
            autoComplete="off"
            data-testid="tel-api-key"
          />
          <PasswordInput
            label={t('tel.apiSecret')}
            description={
              settings.secretSet
                ? t('tel.secretSet', { hint: settings.secretHint ?? '••••' })
                : t('tel.secretHelp')
            }
            placeholder={settings.secretHint ?? ''}
            value={apiSecret}
            onChange={(e) => setApiSecret(e.currentTarget.value)}
            autoComplete="new-password"
          />
          {apiSecret && settings.secretSet && (
            <Checkbox
              label={t('tel.secretLeaked')}
              description={t('tel.secretLeakedHelp')}
              checked={secretLeaked}
              onChange={(e) => setSecretLeaked(e.currentTarget.checked)}
              data-testid="tel-secret-leaked"
            />
          )}
          {settings.previousSecretGrace && (
            <Alert color="yellow" data-testid="tel-previous-secret">
              <Text size="sm">
                {t('tel.previousSecretUntil', {
                  hint: settings.previousSecretGrace.hint ?? '••••',
                  time: formatTime(settings.previousSecretGrace.acceptedUntil, locale),
                  uses: settings.previousSecretGrace.uses,
                })}
              </Text>
              <Button
                mt="xs"
                size="xs"
                variant="default"
                loading={save.isPending}
                onClick={() => save.mutate({ secretLeaked: true })}
                data-testid="tel-previous-secret-revoke"
              >
                {t('tel.previousSecretRevoke')}
              </Button>
            </Alert>
          )}
          <TextInput
            label={t('tel.apiBaseUrl')}
            value={apiBaseUrl}
            onChange={(e) => setApiBaseUrl(e.currentTarget.value)}
          />
          <Text size="xs" c="dimmed">
            {t('tel.keysWhere')}
          </Text>
          <ErrorAlert error={save.error} />
          <Group justify="space-between">
            <Button
              variant="default"
              leftSection={<IconPlugConnected size={16} />}
              loading={test.isPending}
              onClick={() => test.mutate()}
              data-testid="tel-test"
            >
              {t('tel.test')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Group>
          {test.data && (
            <Alert color="green" icon={<IconCheck size={18} />} data-testid="tel-test-result">
              {t('tel.testOk', {
                balance: formatMoney(test.data.balance, test.data.currency, locale),
                timezone: test.data.timezone,
              })}
            </Alert>
          )}
          {test.error && (
            <Alert color="red" data-testid="tel-test-result">
              {test.error.message}
            </Alert>
          )}
        </Stack>
      </form>
    </Section>
  );
}

function WebhookCard({ settings }: { settings: TelephonySettings }) {
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
          <Text size="xs" c="red">
            {t('tel.lastRejected', {
              when: formatRelative(w.lastRejectedAt, locale),
              error: w.lastError ?? '—',
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

function BalanceCard({ configured }: { configured: boolean }) {
  const { t, locale } = useT();
  const balance = useBalance(configured);
  return (
    <Card withBorder radius="md" padding="lg">
      <Group justify="space-between">
        <div>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            {t('tel.balance')}
          </Text>
          <Text size="xl" fw={700} data-testid="tel-balance">
            {balance.data
              ? formatMoney(balance.data.balance, balance.data.currency, locale)
              : configured
                ? '…'
                : '—'}
          </Text>
        </div>
        <ActionIcon
          variant="subtle"
          onClick={() => void balance.refetch()}
          loading={balance.isFetching}
          aria-label={t('tel.refresh')}
          disabled={!configured}
        >
          <IconRefresh size={18} />
        </ActionIcon>
      </Group>
      <ErrorAlert error={balance.error} />
    </Card>
  );
}

function ExtensionsCard({ settings }: { settings: TelephonySettings }) {
  const { t } = useT();
  const queryClient = useQueryClient();
  const extensions = useExtensions(settings.configured);
  const directory = useDirectory();
  const saveSettings = useSaveTelephony();
  const [conflict, setConflict] = useState<string | null>(null);
  const assign = useMutation({
    mutationFn: ({ extension, userId }: { extension: string; userId: string | null }) =>
      api.put<ExtensionItem>(`/telephony/extensions/${encodeURIComponent(extension)}`, { userId }),
    onMutate: () => setConflict(null),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: telephonyKeys.extensions });
      void queryClient.invalidateQueries({ queryKey: telephonyKeys.me });
      notifications.show({ color: 'green', message: t('common.saved') });
    },
    onError: (error) => {
      setConflict(error.message);
      void queryClient.invalidateQueries({ queryKey: telephonyKeys.extensions });
    },
  });
  const items = extensions.data?.items ?? [];
  const assigned = new Set(items.map((i) => i.userId).filter((id): id is string => Boolean(id)));
  const users = directory.data ?? [];
  return (
    <Section title={t('tel.extensions')} testId="tel-extensions">
      <Text size="sm" c="dimmed" mb="sm">
        {t('tel.extensionsHelp')}
      </Text>
      {!settings.configured && <Text c="dimmed">{t('tel.configureFirst')}</Text>}
      <ErrorAlert error={extensions.error} />
      {conflict && (
        <Alert
          color="red"
          mb="sm"
          withCloseButton
          onClose={() => setConflict(null)}
          data-testid="tel-extension-error"
        >
          {conflict}
        </Alert>
      )}
      {extensions.isFetching && !extensions.data && <Loader size="sm" />}
      {items.length > 0 && (
        <Table.ScrollContainer minWidth={360}>
          <Table verticalSpacing={6} data-testid="tel-extensions-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('tel.extension')}</Table.Th>
                <Table.Th>{t('tel.status')}</Table.Th>
                <Table.Th>{t('tel.user')}</Table.Th>
                <Table.Th>
                  <Tooltip label={t('tel.defaultResponsibleHelp')} multiline w={260}>
                    <span>{t('tel.defaultResponsible')}</span>
                  </Tooltip>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((item) => (
                <Table.Tr key={item.extension} data-testid={`ext-row-${item.extension}`}>
                  <Table.Td fw={600}>{item.extension}</Table.Td>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap" data-testid={`ext-online-${item.extension}`}>
                      <ColorSwatch
                        size={9}
                        withShadow={false}
                        color={`var(--mantine-color-${item.online === null ? 'gray' : item.online ? 'green' : 'red'}-6)`}
                      />
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                        {item.online === null
                          ? t('tel.unknown')
                          : item.online
                            ? t('tel.online')
                            : t('tel.offline')}
                      </Text>
                    </Group>
                  </Table.Td>
                  <Table.Td miw={180}>
                    <Select
                      size="xs"
                      searchable
                      clearable
                      placeholder={t('tel.nobody')}
                      aria-label={t('tel.userFor', { extension: item.extension })}
                      data={users
                        .filter((u) => u.id === item.userId || !assigned.has(u.id))
                        .map((u) => ({ value: u.id, label: u.name }))}
                      value={item.userId}
                      onChange={(userId) => assign.mutate({ extension: item.extension, userId })}
                      data-testid={`ext-user-${item.extension}`}
                    />
                  </Table.Td>
                  <Table.Td>
                    <Radio
                      aria-label={t('tel.defaultResponsible')}
                      disabled={!item.userId}
                      checked={Boolean(item.userId) && item.userId === settings.defaultResponsibleUserId}
                      onChange={() =>
                        item.userId && saveSettings.mutate({ defaultResponsibleUserId: item.userId })
                      }
                      data-testid={`ext-default-${item.extension}`}
                    />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Section>
  );
}

function FeaturesCard({ settings }: { settings: TelephonySettings }) {
  const { t } = useT();
  const save = useSaveTelephony();
  const [returnTimeout, setReturnTimeout] = useState<number | string>(settings.returnTimeout);
  useEffect(() => setReturnTimeout(settings.returnTimeout), [settings.returnTimeout]);
  const timeoutValue = Number(returnTimeout);
  const timeoutInvalid = !Number.isInteger(timeoutValue) || (timeoutValue !== 0 && timeoutValue < 3);
  return (
    <Section title={t('tel.features')}>
      <Stack gap="md">
        {TELEPHONY_FEATURES.map((feature) => (
          <Switch
            key={feature}
            label={t(`tel.feature.${feature}`)}
            description={t(`tel.featureHelp.${feature}`)}
            checked={settings.features[feature]}
            onChange={(e) =>
              save.mutate({ features: { ...settings.features, [feature]: e.currentTarget.checked } })
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

function IpAllowListCard({ settings }: { settings: TelephonySettings }) {
  const { t } = useT();
  const save = useSaveTelephony();
  const [enabled, setEnabled] = useState(settings.ipAllowList.enabled);
  const [cidrs, setCidrs] = useState(settings.ipAllowList.cidrs.join('\n'));
  const [proxies, setProxies] = useState(settings.ipAllowList.trustedProxies.join('\n'));
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
          save.mutate({ ipAllowList: { enabled, cidrs: lines(cidrs), trustedProxies: lines(proxies) } });
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
          <Textarea
            label={t('tel.trustedProxies')}
            description={t('tel.trustedProxiesHelp')}
            autosize
            minRows={1}
            value={proxies}
            onChange={(e) => setProxies(e.currentTarget.value)}
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
