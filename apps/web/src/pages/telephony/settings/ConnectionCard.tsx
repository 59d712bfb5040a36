import { Alert, Button, Checkbox, Group, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { IconCheck, IconPlugConnected } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../../api/client.js';
import { telephonyKeys } from '../../../api/telephony.js';
import type { ConnectionTest, TelephonySettings, TelephonySettingsInput } from '../../../api/types.js';
import { ErrorAlert } from '../../../components/ErrorAlert.js';
import { useT } from '../../../i18n/useT.js';
import { apiErrorMessage } from '../../../lib/api-error-message.js';
import { formatMoney } from '../../../lib/format.js';
import { Section } from './SettingsSection.js';
import { useSaveTelephony } from './use-save-telephony.js';

/** HH:MM in the user's locale: when the previous secret stops being accepted (always the same day or the next). */
function formatTime(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

/**
 * Zadarma API key, secret (with the previous secret's grace period) and base URL, and the connection test.
 * Why: nothing else on the page works until the CRM can sign requests to Zadarma.
 */
export function ConnectionCard({ settings }: { settings: TelephonySettings }) {
  const { t } = useT();
  const save = useSaveTelephony();
  const queryClient = useQueryClient();
  const [apiKey, setApiKey] = useState(settings.apiKey ?? '');
  const [apiSecret, setApiSecret] = useState('');
  const [secretLeaked, setSecretLeaked] = useState(false);
  const [apiBaseUrl, setApiBaseUrl] = useState(settings.apiBaseUrl);
  const test = useMutation({
    mutationFn: () => api.post<ConnectionTest>('/telephony/test-connection'),
    // A working connection stores the account's timezone: the card shows it from the settings.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: telephonyKeys.settings }),
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
            data-testid="tel-api-secret"
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
          {settings.configured &&
            (settings.timezone === null ? (
              <Alert color="yellow" data-testid="tel-timezone-unknown">
                <Text size="sm">{t('tel.timezoneUnknown')}</Text>
              </Alert>
            ) : (
              <Text size="xs" c="dimmed" data-testid="tel-timezone">
                {t('tel.timezoneKnown', { timezone: settings.timezone })}
              </Text>
            ))}
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
              {apiErrorMessage(test.error)}
            </Alert>
          )}
        </Stack>
      </form>
    </Section>
  );
}
