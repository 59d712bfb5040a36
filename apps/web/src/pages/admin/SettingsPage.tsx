import { Button, Card, Group, Loader, NumberInput, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api } from '../../api/client.js';
import { useSettings } from '../../api/queries.js';
import type { Settings } from '../../api/types.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { FormErrors } from '../../components/FormErrors.js';
import { PageHeader } from '../../components/PageHeader.js';
import { useT } from '../../i18n/useT.js';
import { mapServerErrors } from '../../lib/form-errors.js';

const COUNTRIES = [
  'FR',
  'BE',
  'CH',
  'LU',
  'CA',
  'GB',
  'IE',
  'US',
  'DE',
  'ES',
  'IT',
  'PT',
  'NL',
  'PL',
  'RU',
  'UA',
  'KZ',
  'BY',
];
const CURRENCIES = ['EUR', 'USD', 'GBP', 'CHF', 'CAD', 'PLN', 'RUB', 'UAH', 'KZT'];
const RETENTION_FIELDS = [
  'refusedWebhookRetentionDays',
  'processedWebhookRetentionDays',
  'liveEventRetentionDays',
] as const;

/**
 * Admin: organisation settings — company name, default country for phone numbers, default currency, and how long
 * webhooks and live events are kept.
 */
export function SettingsPage() {
  const { t, locale } = useT();
  const settings = useSettings();
  const queryClient = useQueryClient();
  const [formErrors, setFormErrors] = useState<string[]>([]);
  const form = useForm<Settings>({
    initialValues: {
      companyName: '',
      defaultCountry: 'FR',
      defaultCurrency: 'EUR',
      refusedWebhookRetentionDays: 7,
      processedWebhookRetentionDays: 30,
      liveEventRetentionDays: 1,
    },
    validate: {
      companyName: (value) => (value.trim() ? null : t('settings.validation.companyNameRequired')),
    },
  });
  const loaded = settings.data;
  // biome-ignore lint/correctness/useExhaustiveDependencies: load the server values into the form once
  useEffect(() => {
    if (loaded) {
      form.setValues(loaded);
      form.resetDirty(loaded);
    }
  }, [loaded]);
  const save = useMutation({
    mutationFn: (values: Settings) => api.patch<Settings>('/settings', values),
    onMutate: () => setFormErrors([]),
    onSuccess: (saved) => {
      queryClient.setQueryData(['settings'], saved);
      notifications.show({ color: 'green', message: t('common.saved') });
    },
    onError: (error) => {
      const { fieldErrors, rest } = mapServerErrors(error, [
        'companyName',
        'defaultCountry',
        'defaultCurrency',
        ...RETENTION_FIELDS,
      ]);
      form.setErrors(fieldErrors);
      setFormErrors(rest);
    },
  });
  const regionNames = new Intl.DisplayNames([locale], { type: 'region' });
  return (
    <>
      <PageHeader title={t('nav.settings')} />
      <ErrorAlert error={settings.error} />
      {settings.isPending ? (
        <Loader />
      ) : (
        <Card withBorder radius="md" padding="lg" maw={560}>
          <form onSubmit={form.onSubmit((values) => save.mutate(values))} noValidate>
            <Stack>
              <FormErrors messages={formErrors} />
              <TextInput label={t('settings.companyName')} required {...form.getInputProps('companyName')} />
              <Select
                label={t('settings.defaultCountry')}
                description={t('settings.defaultCountryHint')}
                searchable
                allowDeselect={false}
                data={[...new Set([form.values.defaultCountry, ...COUNTRIES])].map((code) => ({
                  value: code,
                  label: `${regionNames.of(code) ?? code} (${code})`,
                }))}
                {...form.getInputProps('defaultCountry')}
              />
              <Select
                label={t('settings.defaultCurrency')}
                allowDeselect={false}
                data={[...new Set([form.values.defaultCurrency, ...CURRENCIES])]}
                {...form.getInputProps('defaultCurrency')}
              />
              <Text fw={500} size="sm" mt="xs">
                {t('settings.retention')}
              </Text>
              <Text size="xs" c="dimmed" mt={-12}>
                {t('settings.retentionHint')}
              </Text>
              {RETENTION_FIELDS.map((field) => (
                <NumberInput
                  key={field}
                  label={t(`settings.${field}`)}
                  suffix={` ${t('settings.days', { count: Number(form.getValues()[field]) || 0 })}`}
                  min={1}
                  max={3650}
                  allowDecimal={false}
                  allowNegative={false}
                  {...form.getInputProps(field)}
                />
              ))}
              <Group justify="flex-end">
                <Button type="submit" loading={save.isPending}>
                  {t('common.save')}
                </Button>
              </Group>
            </Stack>
          </form>
        </Card>
      )}
    </>
  );
}
