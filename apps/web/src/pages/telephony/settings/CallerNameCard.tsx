import { Button, Group, NumberInput, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { ApiError } from '../../../api/client.js';
import type { TelephonySettings } from '../../../api/types.js';
import { ErrorAlert } from '../../../components/ErrorAlert.js';
import { useT } from '../../../i18n/useT.js';
import { issueMessage } from '../../../lib/api-error-message.js';
import { Section } from './SettingsSection.js';
import { useSaveTelephony } from './use-save-telephony.js';

type Format = TelephonySettings['callerNameFormat'];

// The help texts name the template's fields: passed as values, so the message format prints them as typed.
const FIELDS = Object.fromEntries(
  ['contact', 'company', 'dealStage', 'vip', 'responsible', 'number', 'missed'].map((f) => [f, `{${f}}`]),
);

/**
 * The client's name on the ringing phone (issue 12 §8): the template, its length limit, transliteration, and the
 * labels of unknown numbers. Why: the agent sees who calls before picking up; a template naming an unknown field
 * is refused by the server, with the field named next to the input.
 */
export function CallerNameCard({ settings }: { settings: TelephonySettings }) {
  const { t } = useT();
  const save = useSaveTelephony();
  const [format, setFormat] = useState<Format>(settings.callerNameFormat);
  useEffect(() => setFormat(settings.callerNameFormat), [settings.callerNameFormat]);
  // In the reader's language from the server's reason and params ("unknown field {compnay}"), never its English.
  const fieldError = (field: keyof Format) => {
    const issue =
      save.error instanceof ApiError
        ? save.error.details.find((d) => d.path === `callerNameFormat.${field}`)
        : undefined;
    return issue ? issueMessage(issue) : undefined;
  };
  const shownElsewhere =
    save.error instanceof ApiError && save.error.details.some((d) => d.path.startsWith('callerNameFormat.'));
  const changed = JSON.stringify(format) !== JSON.stringify(settings.callerNameFormat);
  return (
    <Section title={t('tel.callerName.title')} testId="tel-caller-name">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t('tel.callerName.help')}
        </Text>
        <TextInput
          label={t('tel.callerName.template')}
          description={t('tel.callerName.templateHelp', FIELDS)}
          value={format.template}
          onChange={(e) => setFormat({ ...format, template: e.currentTarget.value })}
          error={fieldError('template')}
          data-testid="caller-name-template"
        />
        <Group grow align="flex-start">
          <NumberInput
            label={t('tel.callerName.maxLength')}
            description={t('tel.callerName.maxLengthHelp')}
            min={8}
            max={64}
            allowDecimal={false}
            value={format.maxLength}
            onChange={(v) => setFormat({ ...format, maxLength: Number(v) })}
            error={fieldError('maxLength')}
          />
          <NumberInput
            label={t('tel.callerName.vipAmount')}
            description={t('tel.callerName.vipAmountHelp', FIELDS)}
            min={0}
            value={format.vipAmount ?? ''}
            onChange={(v) => setFormat({ ...format, vipAmount: v === '' ? null : Number(v) })}
            error={fieldError('vipAmount')}
          />
        </Group>
        <Switch
          label={t('tel.callerName.transliterate')}
          description={t('tel.callerName.transliterateHelp')}
          checked={format.transliterate}
          onChange={(e) => setFormat({ ...format, transliterate: e.currentTarget.checked })}
        />
        <TextInput
          label={t('tel.callerName.unknownLabel')}
          description={t('tel.callerName.unknownLabelHelp', FIELDS)}
          placeholder={t('tel.callerName.unknownLabelExample')}
          value={format.unknownLabel}
          onChange={(e) => setFormat({ ...format, unknownLabel: e.currentTarget.value })}
          error={fieldError('unknownLabel')}
        />
        <TextInput
          label={t('tel.callerName.missedLabel')}
          description={t('tel.callerName.missedLabelHelp', FIELDS)}
          placeholder={t('tel.callerName.missedLabelExample', FIELDS)}
          value={format.missedLabel}
          onChange={(e) => setFormat({ ...format, missedLabel: e.currentTarget.value })}
          error={fieldError('missedLabel')}
        />
        <Group justify="flex-end">
          <Button
            variant="default"
            disabled={!changed}
            loading={save.isPending}
            onClick={() => save.mutate({ callerNameFormat: format })}
            data-testid="caller-name-save"
          >
            {t('common.save')}
          </Button>
        </Group>
        {!shownElsewhere && <ErrorAlert error={save.error} />}
      </Stack>
    </Section>
  );
}
