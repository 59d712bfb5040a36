import {
  ActionIcon,
  Anchor,
  Button,
  Group,
  Modal,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
} from '@mantine/core';
import { IconPlus, IconTrash, IconUserPlus } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useAfterCallOptions, useSaveAfterCallOptions } from '../../../api/after-call.js';
import { ApiError } from '../../../api/client.js';
import { usePipelines } from '../../../api/queries.js';
import type { NewCallerRule, TelephonySettings } from '../../../api/types.js';
import { ErrorAlert } from '../../../components/ErrorAlert.js';
import { useT } from '../../../i18n/useT.js';
import { Section } from './SettingsSection.js';
import { withFeature } from './shown-features.js';
import { useSaveTelephony } from './use-save-telephony.js';

const NEW_RULE: NewCallerRule = {
  direction: 'in',
  outcome: 'answered',
  minTalkSeconds: 10,
  action: 'contact',
  pipelineId: null,
  stageId: null,
  assignTo: 'agent',
};

/**
 * New callers (issue 12, item 6): the switch, the rules (direction × outcome × talk time → nothing, the inbox, a
 * contact, a lead or a deal) and a link to the inbox. Rules that would make a record of every call are saved
 * only after a confirmation. Why: junk calls must not become leads unless the admin means it.
 */
export function NewCallersCard({ settings }: { settings: TelephonySettings }) {
  const { t } = useT();
  const saveSwitch = useSaveTelephony();
  const options = useAfterCallOptions();
  const pipelines = usePipelines();
  const save = useSaveAfterCallOptions();
  const [rules, setRules] = useState<NewCallerRule[] | null>(null);
  const [confirming, setConfirming] = useState(false);
  useEffect(() => {
    if (options.data) {
      setRules(options.data.newCallerRules);
    }
  }, [options.data]);
  const stored = JSON.stringify(options.data?.newCallerRules ?? null);
  const changed = rules !== null && JSON.stringify(rules) !== stored;
  const stages = (pipelines.data ?? []).map((pipeline) => ({
    group: pipeline.name,
    items: pipeline.stages
      .filter((stage) => stage.kind === 'open')
      .map((stage) => ({ value: stage.id, label: stage.name })),
  }));
  const pipelineOf = (stageId: string | null) =>
    (pipelines.data ?? []).find((p) => p.stages.some((s) => s.id === stageId))?.id ?? null;

  function change(index: number, patch: Partial<NewCallerRule>) {
    setRules((current) =>
      (current ?? []).map((rule, i) => {
        if (i !== index) {
          return rule;
        }
        const next = { ...rule, ...patch };
        return next.action === 'deal' ? next : { ...next, pipelineId: null, stageId: null };
      }),
    );
  }

  function submit(confirm: boolean) {
    if (!rules) {
      return;
    }
    save.mutate(
      { newCallerRules: rules, ...(confirm ? { confirmCreateForEveryCall: true } : {}) },
      {
        onSuccess: () => setConfirming(false),
        onError: (error) => {
          if (error instanceof ApiError && error.code === 'SB_ERR_CONFIRMATION_REQUIRED') {
            setConfirming(true);
          }
        },
      },
    );
  }

  const needsConfirmation =
    save.error instanceof ApiError && save.error.code === 'SB_ERR_CONFIRMATION_REQUIRED';
  const select = (id: string, values: readonly string[]) =>
    values.map((value) => ({ value, label: t(`${id}.${value}`) }));

  return (
    <Section title={t('after.newCallers.title')} icon={<IconUserPlus size={20} />} testId="new-callers-card">
      <Stack gap="md">
        <Switch
          label={t('tel.feature.autoCreate')}
          description={t('tel.featureHelp.autoCreate')}
          checked={settings.features.autoCreate}
          onChange={(e) =>
            saveSwitch.mutate({
              features: withFeature(settings.features, 'autoCreate', e.currentTarget.checked),
            })
          }
          data-testid="feature-autoCreate"
        />
        <Text size="sm" c="dimmed">
          {t('after.newCallers.how')}
        </Text>
        {(rules ?? []).map((rule, index) => (
          // Rules have no id: their place in the list is what they are.
          // biome-ignore lint/suspicious/noArrayIndexKey: the order is the rule's identity
          <Paper key={index} withBorder p="sm" radius="sm" data-testid={`new-caller-rule-${index}`}>
            <Group justify="space-between" mb="xs">
              <Text size="sm" fw={500}>
                {t('after.rule.number', { n: index + 1 })}
              </Text>
              <ActionIcon
                variant="subtle"
                color="red"
                aria-label={t('common.remove')}
                onClick={() => setRules((current) => (current ?? []).filter((_, i) => i !== index))}
              >
                <IconTrash size={16} />
              </ActionIcon>
            </Group>
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs">
              <Select
                label={t('after.rule.direction')}
                data={select('after.rule.direction', ['in', 'out', 'any'])}
                value={rule.direction}
                allowDeselect={false}
                onChange={(value) =>
                  value && change(index, { direction: value as NewCallerRule['direction'] })
                }
              />
              <Select
                label={t('after.rule.outcome')}
                data={select('after.rule.outcome', ['answered', 'missed', 'any'])}
                value={rule.outcome}
                allowDeselect={false}
                onChange={(value) => value && change(index, { outcome: value as NewCallerRule['outcome'] })}
              />
              <NumberInput
                label={t('after.rule.minTalk')}
                min={0}
                max={3600}
                allowDecimal={false}
                value={rule.minTalkSeconds}
                onChange={(value) =>
                  change(index, { minTalkSeconds: Math.max(0, Math.min(3600, Number(value) || 0)) })
                }
              />
            </SimpleGrid>
            <SimpleGrid cols={{ base: 1, xl: 2 }} spacing="xs" mt="xs">
              <Select
                label={t('after.rule.action')}
                data={select('after.rule.action', ['none', 'inbox', 'contact', 'lead', 'deal'])}
                value={rule.action}
                allowDeselect={false}
                onChange={(value) => value && change(index, { action: value as NewCallerRule['action'] })}
                data-testid={`new-caller-rule-${index}-action`}
              />
              {rule.action === 'deal' && (
                <Select
                  label={t('after.rule.stage')}
                  placeholder={t('after.rule.firstStage')}
                  data={stages}
                  value={rule.stageId}
                  clearable
                  onChange={(value) => change(index, { stageId: value, pipelineId: pipelineOf(value) })}
                />
              )}
              <Select
                label={t('after.rule.assignTo')}
                data={select('after.rule.assignTo', ['agent', 'default'])}
                value={rule.assignTo}
                allowDeselect={false}
                onChange={(value) => value && change(index, { assignTo: value as NewCallerRule['assignTo'] })}
              />
            </SimpleGrid>
          </Paper>
        ))}
        {rules !== null && rules.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('after.rule.none')}
          </Text>
        )}
        <Group justify="space-between">
          <Button
            variant="subtle"
            leftSection={<IconPlus size={16} />}
            disabled={(rules?.length ?? 0) >= 20}
            onClick={() => setRules((current) => [...(current ?? []), NEW_RULE])}
          >
            {t('after.rule.add')}
          </Button>
          <Group gap="xs">
            <Anchor component={Link} to="/new-callers" size="sm">
              {t('after.newCallers.openInbox')}
            </Anchor>
            <Button
              variant="default"
              disabled={!changed}
              loading={save.isPending}
              onClick={() => submit(false)}
            >
              {t('common.save')}
            </Button>
          </Group>
        </Group>
        <ErrorAlert error={needsConfirmation ? null : (saveSwitch.error ?? save.error ?? options.error)} />
      </Stack>
      <Modal
        opened={confirming}
        onClose={() => setConfirming(false)}
        title={t('after.confirm.title')}
        centered
      >
        <Stack>
          <Text size="sm">{t('after.confirm.body')}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)}>
              {t('common.cancel')}
            </Button>
            <Button
              color="orange"
              loading={save.isPending}
              onClick={() => submit(true)}
              data-testid="confirm-every-call"
            >
              {t('after.confirm.save')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Section>
  );
}
