import { Button, Loader, SimpleGrid, Stack } from '@mantine/core';
import { IconArrowsRightLeft } from '@tabler/icons-react';
import { useState } from 'react';
import { useParams } from 'react-router';
import { useEntity } from '../../api/queries.js';
import { LEAD_STATUSES, type Lead } from '../../api/types.js';
import { DetailField } from '../../components/DetailField.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { InlineEdit } from '../../components/InlineEdit.js';
import { RecordLayout } from '../../components/RecordLayout.js';
import { ContactAndCompanyFields, ResponsibleInlineEdit } from '../../components/RelatedRecordFields.js';
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
            <ContactAndCompanyFields contactId={l.contactId} companyId={l.companyId} />
            <DetailField label={t('lead.source')}>{t(`lead.source.${l.source}`)}</DetailField>
            <ResponsibleInlineEdit entity="leads" id={id} userId={l.responsibleUserId} />
            {l.status !== 'converted' && (
              <InlineEdit
                label={t('lead.status')}
                testId="inline-lead-status"
                entity="leads"
                id={id}
                value={l.status}
                // Converting is its own action (a contact and a deal): not a status picked here.
                editor={{
                  kind: 'select',
                  data: LEAD_STATUSES.filter((s) => s !== 'converted').map((s) => ({
                    value: s,
                    label: t(`lead.status.${s}`),
                  })),
                }}
                toBody={(value) => ({ status: value })}
                fields={['status']}
                display={<LeadStatusBadge status={l.status} />}
              />
            )}
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
