import {
  ActionIcon,
  Badge,
  Button,
  Chip,
  Group,
  NumberInput,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconTrash } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useDirectory } from '../../../api/queries.js';
import type { TelephonySettings } from '../../../api/types.js';
import { ErrorAlert } from '../../../components/ErrorAlert.js';
import { useT } from '../../../i18n/useT.js';
import { Section } from './SettingsSection.js';
import { useSaveTelephony } from './use-save-telephony.js';

type Routing = TelephonySettings['routing'];
type Step = Routing['steps'][number];
type Schedule = Routing['workingHours'][string];

const ALL_STEPS: Step['step'][] = ['deal', 'lead', 'contact', 'lastAgent', 'defaultResponsible'];
const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7];

/** Every step, in the stored order first, the ones the stored order leaves out after it (off). */
function completeSteps(steps: readonly Step[]): Step[] {
  const listed = steps.map((s) => ({ ...s }));
  for (const step of ALL_STEPS) {
    if (!listed.some((s) => s.step === step)) {
      listed.push({ step, enabled: false });
    }
  }
  return listed;
}

/**
 * The routing chain (issue 12 §7): its steps in order, each switchable; how far back "the last agent" looks;
 * each user's working hours. Why: an admin decides who a known caller reaches first, and sees why it works.
 */
export function RoutingCard({ settings }: { settings: TelephonySettings }) {
  const { t } = useT();
  const save = useSaveTelephony();
  const directory = useDirectory();
  const [steps, setSteps] = useState(() => completeSteps(settings.routing.steps));
  const [days, setDays] = useState<number | string>(settings.routing.lastAgentDays);
  useEffect(() => setSteps(completeSteps(settings.routing.steps)), [settings.routing.steps]);
  useEffect(() => setDays(settings.routing.lastAgentDays), [settings.routing.lastAgentDays]);
  const move = (index: number, by: number) => {
    const next = [...steps];
    const [item] = next.splice(index, 1);
    if (item) {
      next.splice(index + by, 0, item);
      setSteps(next);
    }
  };
  const changed =
    JSON.stringify(steps) !== JSON.stringify(completeSteps(settings.routing.steps)) ||
    Number(days) !== settings.routing.lastAgentDays;
  const daysValid = Number.isInteger(Number(days)) && Number(days) >= 1 && Number(days) <= 365;
  const users = directory.data ?? [];
  const nameOf = (id: string) => users.find((u) => u.id === id)?.name ?? id;
  return (
    <Section title={t('tel.routing.title')} testId="tel-routing">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t('tel.routing.help')}
        </Text>
        {!settings.features.routeToResponsible && (
          <Badge color="gray" variant="light">
            {t('tel.routing.off')}
          </Badge>
        )}
        <Table verticalSpacing={4} data-testid="routing-steps">
          <Table.Tbody>
            {steps.map((s, index) => (
              <Table.Tr key={s.step}>
                <Table.Td w={28}>
                  <Text c="dimmed" size="sm">
                    {index + 1}.
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Switch
                    label={t(`tel.routing.step.${s.step}`)}
                    description={t(`tel.routing.stepHelp.${s.step}`)}
                    checked={s.enabled}
                    onChange={(e) => {
                      const enabled = e.currentTarget.checked;
                      setSteps(steps.map((x) => (x.step === s.step ? { ...x, enabled } : x)));
                    }}
                  />
                </Table.Td>
                <Table.Td w={70}>
                  <Group gap={2} wrap="nowrap">
                    <ActionIcon
                      variant="subtle"
                      disabled={index === 0}
                      onClick={() => move(index, -1)}
                      aria-label={t('tel.routing.up')}
                    >
                      <IconArrowUp size={16} />
                    </ActionIcon>
                    <ActionIcon
                      variant="subtle"
                      disabled={index === steps.length - 1}
                      onClick={() => move(index, 1)}
                      aria-label={t('tel.routing.down')}
                    >
                      <IconArrowDown size={16} />
                    </ActionIcon>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
            <Table.Tr>
              <Table.Td />
              <Table.Td colSpan={2}>
                <Text size="sm" c="dimmed">
                  {t('tel.routing.then')}
                </Text>
              </Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
        <Group align="flex-end" gap="xs">
          <NumberInput
            label={t('tel.routing.lastAgentDays')}
            description={t('tel.routing.lastAgentDaysHelp')}
            min={1}
            max={365}
            allowDecimal={false}
            value={days}
            onChange={setDays}
            error={daysValid ? undefined : t('tel.routing.lastAgentDaysInvalid')}
            style={{ flex: 1 }}
          />
          <Button
            variant="default"
            disabled={!changed || !daysValid}
            loading={save.isPending}
            onClick={() => save.mutate({ routing: { steps, lastAgentDays: Number(days) } })}
            data-testid="routing-save"
          >
            {t('common.save')}
          </Button>
        </Group>
        <WorkingHours
          schedules={settings.routing.workingHours}
          users={users}
          nameOf={nameOf}
          onSave={(workingHours) => save.mutate({ routing: { workingHours } })}
        />
        <ErrorAlert error={save.error} />
      </Stack>
    </Section>
  );
}

/** The working-hours schedules: one per user, added and removed; a user without one is always available. */
function WorkingHours({
  schedules,
  users,
  nameOf,
  onSave,
}: {
  schedules: Routing['workingHours'];
  users: { id: string; name: string }[];
  nameOf: (id: string) => string;
  onSave: (next: Record<string, Schedule>) => void;
}) {
  const { t } = useT();
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const [userId, setUserId] = useState<string | null>(null);
  const [draft, setDraft] = useState<Schedule>({
    days: [1, 2, 3, 4, 5],
    from: '09:00',
    to: '18:00',
    timeZone: zone,
  });
  const entries = Object.entries(schedules);
  const copy = () => Object.fromEntries(entries.map(([id, s]) => [id, { ...s, days: [...s.days] }]));
  return (
    <Stack gap="xs" data-testid="working-hours">
      <Text fw={500} size="sm">
        {t('tel.routing.workingHours')}
      </Text>
      <Text size="xs" c="dimmed">
        {t('tel.routing.workingHoursHelp')}
      </Text>
      {entries.length > 0 && (
        <Table verticalSpacing={4}>
          <Table.Tbody>
            {entries.map(([id, s]) => (
              <Table.Tr key={id}>
                <Table.Td>{nameOf(id)}</Table.Td>
                <Table.Td>{s.days.map((d) => t(`tel.weekday.${d}`)).join(' ')}</Table.Td>
                <Table.Td>
                  {s.from}–{s.to}
                </Table.Td>
                <Table.Td c="dimmed" fz="xs">
                  {s.timeZone}
                </Table.Td>
                <Table.Td w={40}>
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    aria-label={t('common.remove')}
                    onClick={() => {
                      const next = copy();
                      delete next[id];
                      onSave(next);
                    }}
                  >
                    <IconTrash size={16} />
                  </ActionIcon>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Group gap="xs" align="flex-end">
        <Select
          label={t('tel.routing.user')}
          data={users.map((u) => ({ value: u.id, label: u.name }))}
          value={userId}
          onChange={setUserId}
          searchable
          style={{ flex: '1 1 140px' }}
        />
        <TextInput
          label={t('tel.routing.from')}
          placeholder="09:00"
          value={draft.from}
          onChange={(e) => setDraft({ ...draft, from: e.currentTarget.value })}
          w={80}
        />
        <TextInput
          label={t('tel.routing.to')}
          placeholder="18:00"
          value={draft.to}
          onChange={(e) => setDraft({ ...draft, to: e.currentTarget.value })}
          w={80}
        />
        <TextInput
          label={t('tel.routing.timeZone')}
          value={draft.timeZone}
          onChange={(e) => setDraft({ ...draft, timeZone: e.currentTarget.value })}
          w={150}
        />
      </Group>
      <Group gap="xs" justify="space-between">
        <Chip.Group
          multiple
          value={draft.days.map(String)}
          onChange={(v) => setDraft({ ...draft, days: v.map(Number).sort() })}
        >
          <Group gap={4}>
            {WEEKDAYS.map((d) => (
              <Chip key={d} value={String(d)} size="xs">
                {t(`tel.weekday.${d}`)}
              </Chip>
            ))}
          </Group>
        </Chip.Group>
        <Button
          variant="default"
          size="xs"
          disabled={
            !userId ||
            draft.days.length === 0 ||
            !/^\d{2}:\d{2}$/.test(draft.from) ||
            !/^\d{2}:\d{2}$/.test(draft.to)
          }
          onClick={() => {
            if (userId) {
              onSave({ ...copy(), [userId]: draft });
              setUserId(null);
            }
          }}
        >
          {t('tel.routing.setHours')}
        </Button>
      </Group>
    </Stack>
  );
}
