import { Anchor, Badge, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../../api/client.js';
import { usePipelines } from '../../api/queries.js';
import type { Deal, Lead, ListResult } from '../../api/types.js';
import { UserName } from '../../components/pickers.js';
import { useT } from '../../i18n/useT.js';
import { formatMoney } from '../../lib/format.js';
import { LeadStatusBadge } from '../leads/LeadStatusBadge.js';

/**
 * A contact's deals and leads, each a link to its page, with its stage or status and owner.
 * Why: the record page answers "what is going on with this client" without a search per area (calls and tasks
 * are on the timeline and in the tasks card beside it).
 */
export function ContactRelated({ contactId }: { contactId: string }) {
  const { t, locale } = useT();
  const pipelines = usePipelines();
  const deals = useQuery({
    queryKey: ['deals', 'list', { contactId }],
    queryFn: ({ signal }) => api.get<ListResult<Deal>>('/deals', { contactId, pageSize: 20 }, signal),
  });
  const leads = useQuery({
    queryKey: ['leads', 'list', { contactId }],
    queryFn: ({ signal }) => api.get<ListResult<Lead>>('/leads', { contactId, pageSize: 20 }, signal),
  });
  const stageName = (stageId: string) =>
    pipelines.data?.flatMap((p) => p.stages).find((s) => s.id === stageId)?.name ?? '…';

  return (
    <Card withBorder radius="md" padding="lg" data-testid="contact-related">
      <Title order={4} mb="sm">
        {t('nav.deals')}
      </Title>
      <Stack gap={6} mb="md">
        {deals.data?.items.map((deal) => (
          <Group key={deal.id} justify="space-between" wrap="nowrap" gap="xs">
            <Stack gap={0} style={{ minWidth: 0 }}>
              <Anchor component={Link} to={`/deals/${deal.id}`} size="sm" fw={500} truncate>
                {deal.title}
              </Anchor>
              <Text size="xs" c="dimmed" truncate>
                <UserName id={deal.responsibleUserId} />
              </Text>
            </Stack>
            <Stack gap={0} align="flex-end" style={{ flexShrink: 0 }}>
              <Badge size="sm" variant="light">
                {stageName(deal.stageId)}
              </Badge>
              <Text size="xs" c="dimmed">
                {formatMoney(deal.amount, deal.currency, locale)}
              </Text>
            </Stack>
          </Group>
        ))}
        {deals.data?.items.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('list.empty')}
          </Text>
        )}
      </Stack>
      <Title order={4} mb="sm">
        {t('nav.leads')}
      </Title>
      <Stack gap={6}>
        {leads.data?.items.map((lead) => (
          <Group key={lead.id} justify="space-between" wrap="nowrap" gap="xs">
            <Anchor component={Link} to={`/leads/${lead.id}`} size="sm" fw={500} truncate>
              {lead.title}
            </Anchor>
            <LeadStatusBadge status={lead.status} />
          </Group>
        ))}
        {leads.data?.items.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('list.empty')}
          </Text>
        )}
      </Stack>
    </Card>
  );
}
