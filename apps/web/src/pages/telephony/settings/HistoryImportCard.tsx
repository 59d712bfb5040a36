import { Alert, Button, Group, List, NumberInput, Progress, Stack, Text } from '@mantine/core';
import { IconHistory } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../../api/client.js';
import type { paths } from '../../../api/generated/openapi.js';
import { ErrorAlert } from '../../../components/ErrorAlert.js';
import { useT } from '../../../i18n/useT.js';
import { formatDateTime } from '../../../lib/format.js';
import { Section } from './SettingsSection.js';

type HistoryRuns = paths['/api/telephony/history']['get']['responses'][200]['content']['application/json'];
type HistoryRun = NonNullable<HistoryRuns['import']>;

const historyKey = ['telephony', 'history'] as const;
/** While a run goes, the card asks again this often: a page takes ~20 s at Zadarma's 3 requests a minute. */
const POLL_MS = 1_000;

const STATUS_LABEL: Record<HistoryRun['status'], string> = {
  queued: 'history.status.queued',
  running: 'history.status.running',
  waiting: 'history.status.waiting',
  done: 'history.status.done',
  failed: 'history.status.failed',
  cancelled: 'history.status.cancelled',
};

const isActive = (run: HistoryRun | null | undefined) =>
  run !== null && run !== undefined && ['queued', 'running', 'waiting'].includes(run.status);

/** One run's state: progress while it goes, its report when it is over. */
function RunState({ run, testId }: { run: HistoryRun; testId: string }) {
  const { t, locale } = useT();
  const active = isActive(run);
  const percent = Math.round(run.progress * 100);
  return (
    <Stack gap={4} data-testid={testId} data-status={run.status}>
      {active && (
        <>
          <Progress value={percent} animated aria-label={t('history.progress', { percent })} />
          <Text size="xs" c="dimmed">
            {t('history.progress', { percent })}{' '}
            {t('history.pagesRead', { pages: run.pages, calls: run.callsChecked })}{' '}
            {run.status === 'waiting'
              ? t('history.waiting')
              : run.secondsLeft !== null
                ? t('history.left', { minutes: Math.max(1, Math.ceil(run.secondsLeft / 60)) })
                : ''}
          </Text>
        </>
      )}
      <Text size="sm" data-testid={`${testId}-report`}>
        {t('history.report', {
          checked: run.callsChecked,
          missing: run.callsMissing,
          healed: run.callsHealed,
        })}
      </Text>
      <Text size="xs" c="dimmed">
        {t(STATUS_LABEL[run.status])} ·{' '}
        {active
          ? t('history.startedAt', { at: formatDateTime(run.createdAt, locale) })
          : t('history.ranAt', { at: formatDateTime(run.finishedAt ?? run.updatedAt, locale) })}{' '}
        · {t('history.period', { start: run.periodStart, end: run.periodEnd })}
      </Text>
      {run.error && (
        <Alert color="red" data-testid={`${testId}-error`}>
          {t('history.failed', { error: run.error })}
        </Alert>
      )}
      {run.badRows > 0 && (
        <Alert color="orange" title={t('history.badRows', { count: run.badRows })}>
          <List size="xs">
            {run.problems.map((problem) => (
              <List.Item key={problem}>{problem}</List.Item>
            ))}
          </List>
        </Alert>
      )}
    </Stack>
  );
}

/**
 * Imports the last N days of Zadarma's call history into the call log (twice adds nothing), and reconciles the last
 * days with it — "N calls checked, N missing, N healed" — by night or on demand. Admins only, like the page.
 */
export function HistoryImportCard() {
  const { t } = useT();
  const queryClient = useQueryClient();
  const runs = useQuery({
    queryKey: historyKey,
    queryFn: ({ signal }) => api.get<HistoryRuns>('/telephony/history', undefined, signal),
    refetchInterval: (query) =>
      isActive(query.state.data?.import) || isActive(query.state.data?.reconcile) ? POLL_MS : false,
  });
  const [days, setDays] = useState<number | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: historyKey });
  const start = useMutation({
    mutationFn: (input: { days: number }) => api.post<HistoryRun>('/telephony/history/import', input),
    onSuccess: refresh,
  });
  const reconcile = useMutation({
    mutationFn: () => api.post<HistoryRun>('/telephony/history/reconcile'),
    onSuccess: refresh,
  });
  const cancel = useMutation({
    mutationFn: (id: string) => api.post<HistoryRun>(`/telephony/history/${encodeURIComponent(id)}/cancel`),
    onSuccess: refresh,
  });
  const data = runs.data;
  const chosen = days ?? data?.defaultDays ?? 30;
  const importing = isActive(data?.import);
  return (
    <Section title={t('history.title')} icon={<IconHistory size={18} />} testId="history-import-card">
      <Stack gap="sm">
        <ErrorAlert error={runs.error ?? start.error ?? reconcile.error ?? cancel.error} />
        <Text size="sm" c="dimmed">
          {t('history.help')}
        </Text>
        <Group align="flex-end">
          <NumberInput
            label={t('history.days')}
            min={1}
            max={data?.maxDays ?? 365}
            allowDecimal={false}
            value={chosen}
            onChange={(value) => setDays(typeof value === 'number' ? value : null)}
            w={160}
            data-testid="history-days"
          />
          {importing && data?.import ? (
            <Button
              variant="default"
              onClick={() => data.import && cancel.mutate(data.import.id)}
              loading={cancel.isPending}
              data-testid="history-cancel"
            >
              {t('history.cancel')}
            </Button>
          ) : (
            <Button
              onClick={() => start.mutate({ days: chosen })}
              loading={start.isPending}
              data-testid="history-start"
            >
              {t('history.start')}
            </Button>
          )}
        </Group>
        {data?.import && <RunState run={data.import} testId="history-import-run" />}
        <Text fw={600} size="sm" mt="sm">
          {t('history.reconcileTitle')}
        </Text>
        <Text size="sm" c="dimmed">
          {t('history.reconcileHelp')}
        </Text>
        {data?.reconcile ? (
          <RunState run={data.reconcile} testId="history-reconcile-run" />
        ) : (
          <Text size="sm">{t('history.neverReconciled')}</Text>
        )}
        <Group justify="flex-end">
          <Button
            variant="light"
            onClick={() => reconcile.mutate()}
            loading={reconcile.isPending}
            disabled={isActive(data?.reconcile)}
            data-testid="history-reconcile"
          >
            {t('history.reconcileNow')}
          </Button>
        </Group>
      </Stack>
    </Section>
  );
}
