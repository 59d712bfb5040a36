import {
  Anchor,
  Card,
  Group,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
} from '@mantine/core';
import type { EChartsCoreOption } from 'echarts/core';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useCallStatistics, useSaveReturnWindow, useStatisticsSettings } from '../../api/call-log.js';
import { useMe } from '../../api/queries.js';
import { type CallStatistics, MISSED_CALL_CLASSES, type StatisticsFigures } from '../../api/types.js';
import { DateField } from '../../components/DateFields.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { PageHeader } from '../../components/PageHeader.js';
import { useT } from '../../i18n/useT.js';
import { type CallLogFilters, callLogLink, localDay } from '../../lib/call-log-filters.js';
import { formatSeconds, missedClassLabel, outcomeLabel } from '../../lib/call-log-labels.js';
import { formatNumber } from '../../lib/format.js';
import { EChart } from './EChart.js';

type Preset = 'today' | '7d' | '30d' | 'month' | 'custom';
const MISSED_REASONS = ['no_answer', 'busy', 'cancelled', 'ivr_hangup', 'blacklisted'] as const;

function presetRange(preset: Preset, now: Date): { from: string; to: string } {
  switch (preset) {
    case 'today':
      return { from: localDay(now), to: localDay(now) };
    case '7d':
      return { from: localDay(now, -6), to: localDay(now) };
    case 'month':
      return { from: localDay(new Date(now.getFullYear(), now.getMonth(), 1)), to: localDay(now) };
    default:
      return { from: localDay(now, -29), to: localDay(now) };
  }
}

/**
 * Call statistics over any period, per agent and for the team; every figure and chart cell opens the call log
 * filtered to the calls behind it. Fresh: the figures come from rollups the webhook's own transaction keeps.
 */
export function StatisticsPage() {
  const { t, locale } = useT();
  const me = useMe();
  const navigate = useNavigate();
  const [search, setSearch] = useSearchParams();
  const preset = (search.get('period') as Preset | null) ?? '30d';
  const range =
    preset === 'custom'
      ? {
          from: search.get('from') ?? localDay(new Date(), -29),
          to: search.get('to') ?? localDay(new Date()),
        }
      : presetRange(preset, new Date());
  const extension = search.get('extension');
  const settings = useStatisticsSettings();
  const saveWindow = useSaveReturnWindow();
  const stats = useCallStatistics({ ...range, extension });
  const data = stats.data;
  const set = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(search);
    for (const [key, value] of Object.entries(changes)) {
      if (value) {
        next.set(key, value);
      } else {
        next.delete(key);
      }
    }
    setSearch(next, { replace: true });
  };
  /** The call log behind a figure: this period, this agent (if one is chosen), and the figure's own filter. */
  const link = (filters: CallLogFilters, ext: string | null = extension) =>
    callLogLink({ from: range.from, to: range.to, ...(ext ? { extension: ext } : {}), ...filters });
  const figures = data?.team;
  const n = (value: number) => formatNumber(value, locale);
  const percent = (value: number | null) =>
    value === null ? '—' : new Intl.NumberFormat(locale, { style: 'percent' }).format(value);

  return (
    <>
      <PageHeader title={t('nav.statistics')} subtitle={t('stats.subtitle')} />
      <Stack gap="md">
        <Group gap="xs" align="flex-end" wrap="wrap">
          <SegmentedControl
            size="xs"
            value={preset}
            onChange={(value) => set({ period: value === '30d' ? null : value })}
            data={[
              { value: 'today', label: t('stats.today') },
              { value: '7d', label: t('stats.days7') },
              { value: '30d', label: t('stats.days30') },
              { value: 'month', label: t('stats.month') },
              { value: 'custom', label: t('stats.custom') },
            ]}
            data-testid="stats-period"
          />
          {preset === 'custom' && (
            <>
              <DateField
                size="xs"
                label={t('calls.from')}
                value={range.from}
                onChange={(iso) => set({ from: iso })}
                w={150}
              />
              <DateField
                size="xs"
                label={t('calls.to')}
                value={range.to}
                onChange={(iso) => set({ to: iso })}
                w={150}
              />
            </>
          )}
          {me.data?.role === 'admin' && settings.data && (
            <Select
              size="xs"
              label={t('stats.returnWithin')}
              data={settings.data.choices.map((m) => ({
                value: String(m),
                label: t('stats.minutes', { minutes: m }),
              }))}
              value={String(settings.data.returnWithinMinutes)}
              onChange={(value) => value && saveWindow.mutate(Number(value))}
              allowDeselect={false}
              w={140}
              data-testid="stats-return-window"
            />
          )}
          {me.data?.role === 'admin' && data && (
            <Select
              size="xs"
              clearable
              placeholder={t('stats.wholeTeam')}
              aria-label={t('calls.agent')}
              data={data.agents.map((a) => ({
                value: a.extension,
                label: agentName(t, a),
              }))}
              value={extension}
              onChange={(value) => set({ extension: value })}
              w={200}
            />
          )}
        </Group>
        <ErrorAlert error={stats.error ?? saveWindow.error} />
        {figures && data && (
          <>
            <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 }} spacing="sm" data-testid="stats-kpis">
              {(
                [
                  ['inbound', t('stats.inbound'), n(figures.inbound), { direction: 'in' }],
                  ['outbound', t('stats.outbound'), n(figures.outbound), { direction: 'out' }],
                  [
                    'answered',
                    t('stats.answered'),
                    n(figures.answered),
                    { direction: 'in', outcome: 'answered' },
                  ],
                  ['missed', t('stats.missed'), n(figures.missed), { outcome: 'missed' }, 'orange'],
                  ['answerRate', t('stats.answerRate'), percent(figures.answerRate), { direction: 'in' }],
                  [
                    'timeToAnswer',
                    t('stats.timeToAnswer'),
                    formatSeconds(figures.averageSecondsToAnswer),
                    { direction: 'in', outcome: 'answered' },
                  ],
                  [
                    'talkTotal',
                    t('stats.talkTotal'),
                    formatSeconds(figures.talkSecondsTotal),
                    { outcome: 'answered' },
                  ],
                  [
                    'talkAverage',
                    t('stats.talkAverage'),
                    formatSeconds(figures.talkSecondsAverage),
                    { outcome: 'answered' },
                  ],
                  [
                    'notReturned',
                    t('stats.notReturned'),
                    n(figures.missedClassified.not_returned ?? 0),
                    { notReturned: 'true' },
                    'red',
                  ],
                  [
                    'timeToCallBack',
                    t('stats.timeToCallBack'),
                    formatSeconds(figures.averageSecondsToCallBack),
                    { outcome: 'missed' },
                  ],
                ] as [string, string, string, CallLogFilters, string?][]
              ).map(([id, label, value, filters, tone]) => (
                <Kpi
                  key={id}
                  id={id}
                  label={label}
                  value={value}
                  to={link(filters)}
                  {...(tone ? { tone } : {})}
                />
              ))}
            </SimpleGrid>
            <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
              <FigureCard
                title={t('stats.missedByReason')}
                testId="stats-missed-reasons"
                rows={MISSED_REASONS.map((reason) => ({
                  key: reason,
                  label: outcomeLabel(t, reason),
                  value: n(figures.missedByReason[reason]),
                  to: link({ direction: 'in', outcome: reason }),
                }))}
              />
              <FigureCard
                title={t('stats.missedClassified')}
                testId="stats-missed-classes"
                rows={MISSED_CALL_CLASSES.map((c) => ({
                  key: c,
                  label: missedClassLabel(t, c, data.returnWithinMinutes),
                  value: n(figures.missedClassified[c] ?? 0),
                  // Exactly the calls of this class, cut with the window the figures were counted with.
                  to: link({ fate: c, within: String(data.returnWithinMinutes) }),
                }))}
              />
            </SimpleGrid>
            <Charts data={data} onOpen={(filters) => navigate(link(filters))} />
            <AgentsTable data={data} link={link} />
          </>
        )}
      </Stack>
    </>
  );
}

type T = (id: string, values?: Record<string, unknown>) => string;

function agentName(t: T, a: CallStatistics['agents'][number]): string {
  if (a.extension === '') {
    return t('stats.unrouted');
  }
  return a.user ? `${a.user.name} · ${a.extension}` : a.extension;
}

/**
 * A titled card of figures, one row each: its label and its value, which opens the calls behind it.
 * Why one component: every figure block of the page is this shape, and every figure must link.
 */
function FigureCard({
  title,
  testId,
  rows,
}: {
  title: string;
  testId: string;
  rows: { key: string; label: string; value: string; to: string }[];
}) {
  return (
    <Card withBorder radius="md" padding="md">
      <Text fw={600} size="sm" mb="xs">
        {title}
      </Text>
      <Table verticalSpacing={4} data-testid={testId}>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={row.key}>
              <Table.Td>{row.label}</Table.Td>
              <Table.Td ta="right">
                <Anchor component={Link} to={row.to} data-figure={row.key}>
                  {row.value}
                </Anchor>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}

function Kpi({
  id,
  label,
  value,
  to,
  tone,
}: {
  id: string;
  label: string;
  value: string;
  to: string;
  tone?: string;
}) {
  return (
    <Paper
      withBorder
      radius="md"
      p="sm"
      component={Link}
      to={to}
      data-kpi={id}
      style={{ textDecoration: 'none' }}
    >
      <Text size="xs" c="dimmed" fw={600} tt="uppercase">
        {label}
      </Text>
      <Text size="xl" fw={700} c={tone ? `${tone}.7` : undefined} data-value>
        {value}
      </Text>
    </Paper>
  );
}

function AgentsTable({
  data,
  link,
}: {
  data: CallStatistics;
  link: (filters: CallLogFilters, ext?: string | null) => string;
}) {
  const { t, locale } = useT();
  const cell = (ext: string, value: string, filters: CallLogFilters, key: string) => (
    <Table.Td ta="right">
      <Anchor component={Link} to={link(filters, ext)} size="sm" data-figure={key}>
        {value}
      </Anchor>
    </Table.Td>
  );
  const n = (v: number) => formatNumber(v, locale);
  const pct = (v: number | null) =>
    v === null ? '—' : new Intl.NumberFormat(locale, { style: 'percent' }).format(v);
  return (
    <Paper withBorder radius="md">
      <Table.ScrollContainer minWidth={760}>
        <Table verticalSpacing="xs" highlightOnHover data-testid="stats-agents">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('calls.agent')}</Table.Th>
              <Table.Th ta="right">{t('stats.inbound')}</Table.Th>
              <Table.Th ta="right">{t('stats.outbound')}</Table.Th>
              <Table.Th ta="right">{t('stats.answered')}</Table.Th>
              <Table.Th ta="right">{t('stats.missed')}</Table.Th>
              <Table.Th ta="right">{t('stats.answerRate')}</Table.Th>
              <Table.Th ta="right">{t('stats.timeToAnswer')}</Table.Th>
              <Table.Th ta="right">{t('stats.talkTotal')}</Table.Th>
              <Table.Th ta="right">{t('stats.notReturned')}</Table.Th>
              <Table.Th ta="right">{t('stats.timeToCallBack')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.agents.map((a) => {
              const f: StatisticsFigures = a.figures;
              const ext = a.extension;
              return (
                <Table.Tr key={ext} data-agent={ext}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {agentName(t, a)}
                    </Text>
                  </Table.Td>
                  {cell(ext, n(f.inbound), { direction: 'in' }, 'inbound')}
                  {cell(ext, n(f.outbound), { direction: 'out' }, 'outbound')}
                  {cell(ext, n(f.answered), { direction: 'in', outcome: 'answered' }, 'answered')}
                  {cell(ext, n(f.missed), { outcome: 'missed' }, 'missed')}
                  {cell(ext, pct(f.answerRate), { direction: 'in' }, 'answerRate')}
                  {cell(
                    ext,
                    formatSeconds(f.averageSecondsToAnswer),
                    { direction: 'in', outcome: 'answered' },
                    'timeToAnswer',
                  )}
                  {cell(ext, formatSeconds(f.talkSecondsTotal), { outcome: 'answered' }, 'talkTotal')}
                  {cell(ext, n(f.missedClassified.not_returned ?? 0), { notReturned: 'true' }, 'notReturned')}
                  {cell(
                    ext,
                    formatSeconds(f.averageSecondsToCallBack),
                    { outcome: 'missed' },
                    'timeToCallBack',
                  )}
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}

function Charts({ data, onOpen }: { data: CallStatistics; onOpen: (filters: CallLogFilters) => void }) {
  const { t, locale } = useT();
  const dayLabel = (day: string) =>
    new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short' }).format(new Date(`${day}T12:00:00`));
  // 2024-01-01 was a Monday.
  const weekdays = Array.from({ length: 7 }, (_, i) =>
    new Intl.DateTimeFormat(locale, { weekday: 'short' }).format(new Date(2024, 0, 1 + i)),
  );
  const trend: EChartsCoreOption = {
    aria: { enabled: true },
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0 },
    grid: { left: 40, right: 16, top: 16, bottom: 48 },
    xAxis: { type: 'category', data: data.daily.map((d) => dayLabel(d.day)) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { name: t('stats.calls'), type: 'line', data: data.daily.map((d) => d.calls), smooth: true },
      {
        name: t('stats.answered'),
        type: 'line',
        data: data.daily.map((d) => d.answered),
        color: '#2f9e44',
      },
      { name: t('stats.missed'), type: 'line', data: data.daily.map((d) => d.missed), color: '#f76707' },
      {
        name: t('stats.previousPeriod'),
        type: 'line',
        data: data.daily.map((d) => d.previousCalls),
        lineStyle: { type: 'dashed' },
        color: '#adb5bd',
      },
    ],
  };
  const maxHeat = Math.max(1, ...data.heatmap.map((c) => c.inbound));
  const heatmap: EChartsCoreOption = {
    aria: { enabled: true },
    animation: false,
    tooltip: {
      formatter: (p: { data: [number, number, number, number] }) =>
        `${weekdays[p.data[1]]} ${p.data[0]}:00 — ${t('calls.chartTip', { answered: p.data[2] - p.data[3], missed: p.data[3] })}`,
    },
    grid: { left: 48, right: 16, top: 8, bottom: 56 },
    xAxis: {
      type: 'category',
      data: Array.from({ length: 24 }, (_, h) => String(h)),
      splitArea: { show: true },
    },
    yAxis: { type: 'category', data: weekdays, inverse: true, splitArea: { show: true } },
    visualMap: {
      min: 0,
      max: maxHeat,
      calculable: false,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      itemHeight: 120,
      inRange: { color: ['#e7f5ff', '#1c7ed6'] },
    },
    series: [
      {
        name: t('stats.inbound'),
        type: 'heatmap',
        data: data.heatmap.map((c) => [c.hour, c.weekday, c.inbound, c.missed]),
        label: { show: false },
      },
    ],
  };
  const outcomes: EChartsCoreOption = {
    aria: { enabled: true },
    animation: false,
    tooltip: { trigger: 'item' },
    grid: { left: 200, right: 24, top: 8, bottom: 24 },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: {
      type: 'category',
      inverse: true,
      data: data.outcomes.map(
        (o) => `${o.direction === 'in' ? t('calls.in') : t('calls.out')} · ${outcomeLabel(t, o.outcome)}`,
      ),
    },
    series: [
      {
        type: 'bar',
        name: t('stats.calls'),
        data: data.outcomes.map((o) => ({
          value: o.calls,
          itemStyle: {
            color:
              o.outcome === 'answered'
                ? '#2f9e44'
                : o.outcome === 'failed' || o.outcome === 'busy'
                  ? '#e03131'
                  : '#f76707',
          },
        })),
      },
    ],
  };
  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
      <Card withBorder radius="md" padding="md">
        <Text fw={600} size="sm" mb="xs">
          {t('stats.trend')}
        </Text>
        <EChart
          option={trend}
          height={260}
          label={t('stats.trend')}
          testId="stats-trend"
          onClick={({ dataIndex, seriesIndex }) => {
            const day = data.daily[dataIndex];
            if (!day) {
              return;
            }
            const previous = seriesIndex === 3;
            const target = previous ? day.previousDay : day.day;
            onOpen({
              from: target,
              to: target,
              ...(seriesIndex === 1
                ? { outcome: 'answered' }
                : seriesIndex === 2
                  ? { outcome: 'missed' }
                  : {}),
            });
          }}
        />
      </Card>
      <Card withBorder radius="md" padding="md">
        <Text fw={600} size="sm" mb="xs">
          {t('stats.outcomes')}
        </Text>
        <EChart
          option={outcomes}
          height={260}
          label={t('stats.outcomes')}
          testId="stats-outcomes"
          onClick={({ dataIndex }) => {
            const o = data.outcomes[dataIndex];
            if (o) {
              onOpen({ direction: o.direction, outcome: o.outcome });
            }
          }}
        />
      </Card>
      <Card withBorder radius="md" padding="md" style={{ gridColumn: '1 / -1' }}>
        <Text fw={600} size="sm" mb="xs">
          {t('stats.heatmap')}
        </Text>
        <EChart
          option={heatmap}
          height={280}
          label={t('stats.heatmap')}
          testId="stats-heatmap"
          onClick={({ data: cell }) => {
            const [hour, weekday] = cell as [number, number, number, number];
            onOpen({ direction: 'in', weekday: String(weekday), hour: String(hour) });
          }}
        />
        <Text size="xs" c="dimmed">
          {t('stats.heatmapHint')}
        </Text>
      </Card>
    </SimpleGrid>
  );
}
