import { Badge, Group, Pagination, Paper, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client.js';
import type { paths } from '../../api/generated/openapi.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { PageHeader } from '../../components/PageHeader.js';
import { useT } from '../../i18n/useT.js';
import { formatDateTime } from '../../lib/format.js';

type AuditPage = paths['/api/admin/recordings-audit']['get']['responses'][200]['content']['application/json'];

const PAGE_SIZE = 50;
const OUTCOME_COLOR = { allowed: 'green', denied: 'red', missing: 'gray' } as const;

type AuditLine = AuditPage['items'][number];

/**
 * Who acted when no user name is there: the API key or the system (named since the audit records actors), a
 * deleted user, or — on lines from before — nobody recorded.
 */
function NoUser({ line }: { readonly line: AuditLine }) {
  const { t } = useT();
  if (line.actorKind === 'api-client') {
    return <Text span>{t('rec.audit.apiKey', { ref: line.actorRef ?? '' })}</Text>;
  }
  if (line.actorKind === 'system') {
    return <Text span>{t('rec.audit.system', { reason: line.actorRef ?? '' })}</Text>;
  }
  return (
    <Text span c="dimmed">
      {t(
        line.actorKind === 'user' || line.userId !== null
          ? 'rec.audit.deletedUser'
          : 'rec.audit.unknownActor',
      )}
    </Text>
  );
}

/** Admin: who listened to or downloaded which call recording, when — and who was refused. */
export function RecordingsAuditPage() {
  const { t, locale } = useT();
  const [page, setPage] = useState(1);
  const audit = useQuery({
    queryKey: ['recordings', 'audit', page],
    queryFn: ({ signal }) =>
      api.get<AuditPage>('/admin/recordings-audit', { page, pageSize: PAGE_SIZE }, signal),
  });
  const items = audit.data?.items ?? [];
  const pages = Math.max(1, Math.ceil((audit.data?.total ?? 0) / PAGE_SIZE));
  return (
    <>
      <PageHeader title={t('rec.audit.title')} subtitle={t('rec.audit.subtitle')} />
      <Stack gap="sm">
        <ErrorAlert error={audit.error} />
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={320}>
            <Table verticalSpacing="xs" data-testid="recordings-audit">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('rec.audit.when')}</Table.Th>
                  <Table.Th>{t('rec.audit.user')}</Table.Th>
                  <Table.Th>{t('rec.audit.action')}</Table.Th>
                  <Table.Th>{t('rec.audit.outcome')}</Table.Th>
                  <Table.Th visibleFrom="sm">{t('rec.audit.call')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((line) => (
                  <Table.Tr key={line.id} data-testid="recordings-audit-row">
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(line.at, locale)}</Table.Td>
                    <Table.Td>{line.userName ?? <NoUser line={line} />}</Table.Td>
                    <Table.Td>
                      {t(line.action === 'download' ? 'rec.audit.download' : 'rec.audit.play')}
                    </Table.Td>
                    <Table.Td>
                      <Badge color={OUTCOME_COLOR[line.outcome]} variant="light">
                        {t(`rec.audit.${line.outcome}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td visibleFrom="sm">
                      <Text ff="monospace" fz="xs">
                        {line.callId}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {audit.data && items.length === 0 && (
            <Text c="dimmed" p="md">
              {t('rec.audit.empty')}
            </Text>
          )}
        </Paper>
        {pages > 1 && (
          <Group justify="flex-end">
            <Pagination total={pages} value={page} onChange={setPage} />
          </Group>
        )}
      </Stack>
    </>
  );
}
