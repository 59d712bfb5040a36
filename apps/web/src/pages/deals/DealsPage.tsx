import {
  Badge,
  Button,
  Card,
  Group,
  Loader,
  Menu,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Text,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDots, IconLayoutKanban, IconList, IconPlus, IconUser } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { api } from '../../api/client.js';
import { usePipelines } from '../../api/queries.js';
import type { Deal, ListResult, Pipeline, Stage } from '../../api/types.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { type Column, ListView } from '../../components/ListView.js';
import { PageHeader } from '../../components/PageHeader.js';
import { EntityName, UserName, UserSelect } from '../../components/pickers.js';
import { useT } from '../../i18n/useT.js';
import { apiErrorMessage } from '../../lib/api-error-message.js';
import { formatDate, formatMoney } from '../../lib/format.js';
import { DealFormModal } from './DealForm.js';

const STAGE_COLOR: Record<Stage['kind'], string> = { open: 'blue', won: 'green', lost: 'gray' };

/** Deals as a sortable list or as a pipeline board by stage. */
export function DealsPage() {
  const { t } = useT();
  const navigate = useNavigate();
  const [search, setSearch] = useSearchParams();
  const view = search.get('view') === 'list' ? 'list' : 'board';
  const pipelines = usePipelines();
  const [creating, setCreating] = useState(false);
  const pipelineId = search.get('pipelineId') ?? pipelines.data?.[0]?.id ?? null;
  const pipeline = pipelines.data?.find((p) => p.id === pipelineId);

  return (
    <>
      <PageHeader
        title={t('nav.deals')}
        actions={
          <>
            <SegmentedControl
              value={view}
              onChange={(value) => {
                const next = new URLSearchParams(search);
                next.set('view', value);
                setSearch(next, { replace: true });
              }}
              data={[
                { value: 'board', label: <IconLayoutKanban size={16} aria-label={t('deal.board')} /> },
                { value: 'list', label: <IconList size={16} aria-label={t('deal.list')} /> },
              ]}
            />
            <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
              {t('deal.new')}
            </Button>
          </>
        }
      />
      <ErrorAlert error={pipelines.error} />
      {view === 'board' ? (
        <Stack gap="sm">
          {(pipelines.data?.length ?? 0) > 1 && (
            <Select
              w={240}
              aria-label={t('deal.pipeline')}
              data={(pipelines.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
              value={pipelineId}
              onChange={(value) => {
                const next = new URLSearchParams(search);
                next.set('pipelineId', value ?? '');
                setSearch(next, { replace: true });
              }}
              allowDeselect={false}
            />
          )}
          {pipelines.isPending && <Loader />}
          {pipeline && <PipelineBoard pipeline={pipeline} />}
        </Stack>
      ) : (
        <DealsList pipelines={pipelines.data ?? []} />
      )}
      {creating && (
        <DealFormModal
          onClose={() => setCreating(false)}
          defaults={pipeline ? { pipelineId: pipeline.id } : undefined}
          onSaved={(d) => navigate(`/deals/${d.id}`)}
        />
      )}
    </>
  );
}

function DealsList({ pipelines }: { pipelines: Pipeline[] }) {
  const { t, locale } = useT();
  const stages = new Map(pipelines.flatMap((p) => p.stages.map((s) => [s.id, s] as const)));
  const columns: Column<Deal>[] = [
    { key: 'title', label: t('deal.title'), sort: 'title', render: (d) => <strong>{d.title}</strong> },
    {
      key: 'amount',
      label: t('deal.amount'),
      sort: 'amount',
      render: (d) => (
        <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
          {formatMoney(d.amount, d.currency, locale)}
        </Text>
      ),
    },
    {
      key: 'stage',
      label: t('deal.stage'),
      render: (d) => {
        const stage = stages.get(d.stageId);
        return stage ? (
          <Badge color={STAGE_COLOR[stage.kind]} variant="light">
            {stage.name}
          </Badge>
        ) : null;
      },
      visibleFrom: 'sm',
    },
    {
      key: 'contact',
      label: t('lead.contact'),
      render: (d) => <EntityName entity="contacts" id={d.contactId} />,
      visibleFrom: 'md',
    },
    {
      key: 'responsible',
      label: t('common.responsible'),
      render: (d) => <UserName id={d.responsibleUserId} />,
      visibleFrom: 'lg',
    },
    {
      key: 'expectedCloseDate',
      label: t('deal.expectedClose'),
      sort: 'expectedCloseDate',
      render: (d) => formatDate(d.expectedCloseDate, locale),
      visibleFrom: 'md',
    },
  ];
  return (
    <ListView<Deal>
      entity="deals"
      columns={columns}
      defaultSort="-createdAt"
      rowHref={(d) => `/deals/${d.id}`}
      filters={({ params, setFilter }) => (
        <>
          <Select
            placeholder={t('deal.stage')}
            aria-label={t('deal.stage')}
            data={pipelines.map((p) => ({
              group: p.name,
              items: p.stages.map((s) => ({ value: s.id, label: s.name })),
            }))}
            value={params.filters.stageId ?? null}
            onChange={(value) => setFilter('stageId', value)}
            clearable
            style={{ flex: '1 1 150px' }}
          />
          <UserSelect
            placeholder={t('common.responsible')}
            aria-label={t('common.responsible')}
            value={params.filters.responsibleUserId ?? null}
            onChange={(value) => setFilter('responsibleUserId', value)}
            style={{ flex: '1 1 150px' }}
          />
        </>
      )}
    />
  );
}

/** Columns by stage; a card moves by drag and drop or by its menu (touch screens). */
function PipelineBoard({ pipeline }: { pipeline: Pipeline }) {
  const { t, locale } = useT();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const key = ['deals', 'board', pipeline.id];
  const deals = useQuery({
    queryKey: key,
    queryFn: ({ signal }) =>
      api.get<ListResult<Deal>>(
        '/deals',
        { pipelineId: pipeline.id, pageSize: 100, sort: '-updatedAt' },
        signal,
      ),
  });
  const move = useMutation({
    mutationFn: ({ deal, stageId }: { deal: Deal; stageId: string }) =>
      api.patch<Deal>(`/deals/${deal.id}`, { stageId }),
    onMutate: ({ deal, stageId }) => {
      queryClient.setQueryData<ListResult<Deal>>(key, (old) =>
        old ? { ...old, items: old.items.map((d) => (d.id === deal.id ? { ...d, stageId } : d)) } : old,
      );
    },
    onError: (error) => notifications.show({ color: 'red', message: apiErrorMessage(error) }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['deals'] }),
  });
  const stages = [...pipeline.stages].sort((a, b) => a.position - b.position);

  return (
    <>
      <ErrorAlert error={deals.error} />
      <div className="sb-board" data-testid="pipeline-board">
        {stages.map((stage) => {
          const items = deals.data?.items.filter((d) => d.stageId === stage.id) ?? [];
          const totals = new Map<string, number>();
          for (const d of items) {
            totals.set(d.currency, (totals.get(d.currency) ?? 0) + d.amount);
          }
          return (
            <Paper
              key={stage.id}
              className="sb-board-column"
              withBorder
              radius="md"
              p="xs"
              bg="var(--mantine-color-gray-0)"
              onDragOver={(event) => event.preventDefault()}
              onDrop={(event) => {
                const id = event.dataTransfer.getData('text/deal-id');
                const deal = deals.data?.items.find((d) => d.id === id);
                if (deal && deal.stageId !== stage.id) {
                  move.mutate({ deal, stageId: stage.id });
                }
              }}
            >
              <Stack gap={2} mb="xs">
                <Group gap={6} wrap="nowrap">
                  <Badge color={STAGE_COLOR[stage.kind]} variant="dot" style={{ maxWidth: 200 }}>
                    {stage.name}
                  </Badge>
                  <Text size="xs" c="dimmed">
                    {items.length}
                  </Text>
                </Group>
                {totals.size > 0 && (
                  <Text size="xs" c="dimmed" fw={500}>
                    {[...totals].map(([currency, sum]) => formatMoney(sum, currency, locale)).join(' · ')}
                  </Text>
                )}
              </Stack>
              <Stack gap="xs" mih={60}>
                {items.map((deal) => (
                  <Card
                    key={deal.id}
                    withBorder
                    radius="md"
                    padding="sm"
                    draggable
                    onDragStart={(event) => event.dataTransfer.setData('text/deal-id', deal.id)}
                    onClick={() => navigate(`/deals/${deal.id}`)}
                    style={{ cursor: 'pointer' }}
                  >
                    <Group justify="space-between" wrap="nowrap" align="flex-start">
                      <Text size="sm" fw={500}>
                        {deal.title}
                      </Text>
                      <Menu withinPortal position="bottom-end">
                        <Menu.Target>
                          <IconDots
                            size={16}
                            role="button"
                            aria-label={t('deal.moveTo')}
                            onClick={(event) => event.stopPropagation()}
                            style={{ flexShrink: 0 }}
                          />
                        </Menu.Target>
                        <Menu.Dropdown onClick={(event) => event.stopPropagation()}>
                          <Menu.Label>{t('deal.moveTo')}</Menu.Label>
                          {stages
                            .filter((s) => s.id !== deal.stageId)
                            .map((s) => (
                              <Menu.Item key={s.id} onClick={() => move.mutate({ deal, stageId: s.id })}>
                                {s.name}
                              </Menu.Item>
                            ))}
                        </Menu.Dropdown>
                      </Menu>
                    </Group>
                    <Text size="sm" c="dimmed">
                      {formatMoney(deal.amount, deal.currency, locale)}
                    </Text>
                    {deal.contactId && (
                      <Text size="xs" c="dimmed">
                        <EntityName entity="contacts" id={deal.contactId} />
                      </Text>
                    )}
                    {deal.responsibleUserId && (
                      <Group gap={4} mt={4} wrap="nowrap" data-testid="deal-owner">
                        <IconUser
                          size={12}
                          color="var(--mantine-color-dimmed)"
                          aria-label={t('common.responsible')}
                        />
                        <Text size="xs" c="dimmed" truncate>
                          <UserName id={deal.responsibleUserId} />
                        </Text>
                      </Group>
                    )}
                  </Card>
                ))}
              </Stack>
            </Paper>
          );
        })}
      </div>
    </>
  );
}
