import { Anchor, Button, Loader, SimpleGrid, Stack } from '@mantine/core';
import { IconArrowsRightLeft } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useEntity } from '../../api/queries.js';
import type { Lead } from '../../api/types.js';
import { DetailField } from '../../components/DetailField.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { EntityName, UserName } from '../../components/pickers.js';
import { RecordLayout } from '../../components/RecordLayout.js';
import { useT } from '../../i18n/useT.js';
import { formatDateTime } from '../../lib/format.js';
import { ConvertLeadModal } from './ConvertLeadModal.js';
import { LeadFormModal } from './LeadForm.js';
import { LeadStatusBadge } from './LeadStatusBadge.js';

export function LeadPage() {
  const { id = '' } = useParams();
  const { t, locale } = useT();
  const lead = useEntity<Lead>('leads', id);
  const [editing, setEditing] = useState(false);
  const [converting, setConverting] = useState(false);
  if (lead.isPending) {
    return <Loader />;
  }
  if (lead.error || !lead.data) {
    return <ErrorAlert error={lead.error} />;
  }
  const l = lead.data;
  return (
    <RecordLayout
      entity="leads"
      id={id}
      title={l.title}
      subtitle={<LeadStatusBadge status={l.status} />}
      deleteName={l.title}
      onEdit={() => setEditing(true)}
      actions={
        l.status !== 'converted' && (
          <Button
            leftSection={<IconArrowsRightLeft size={16} />}
            onClick={() => setConverting(true)}
            data-testid="convert-lead"
          >
            {t('lead.convert')}
          </Button>
        )
      }
      details={
        <>
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
            <DetailField label={t('lead.contact')}>
              {l.contactId && (
                <Anchor component={Link} to={`/contacts/${l.contactId}`} size="sm">
                  <EntityName entity="contacts" id={l.contactId} />
                </Anchor>
              )}
            </DetailField>
            <DetailField label={t('contact.company')}>
              {l.companyId && (
                <Anchor component={Link} to={`/companies/${l.companyId}`} size="sm">
                  <EntityName entity="companies" id={l.companyId} />
                </Anchor>
              )}
            </DetailField>
            <DetailField label={t('lead.source')}>{t(`lead.source.${l.source}`)}</DetailField>
            <DetailField label={t('common.responsible')}>
              <UserName id={l.responsibleUserId} />
            </DetailField>
            <DetailField label={t('common.created')}>{formatDateTime(l.createdAt, locale)}</DetailField>
          </SimpleGrid>
          {l.notes && (
            <Stack mt="sm">
              <DetailField label={t('common.notes')}>{l.notes}</DetailField>
            </Stack>
          )}
        </>
      }
    >
      {editing && <LeadFormModal lead={l} onClose={() => setEditing(false)} />}
      {converting && <ConvertLeadModal lead={l} onClose={() => setConverting(false)} />}
    </RecordLayout>
  );
}
