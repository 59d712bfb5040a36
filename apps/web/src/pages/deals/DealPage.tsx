import { Badge, Loader, SimpleGrid } from '@mantine/core';
import { useState } from 'react';
import { useParams } from 'react-router';
import { useEntity, usePipelines } from '../../api/queries.js';
import type { Deal } from '../../api/types.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { InlineEdit } from '../../components/InlineEdit.js';
import { RecordCalls } from '../../components/RecordCalls.js';
import { RecordLayout } from '../../components/RecordLayout.js';
import { ContactAndCompanyFields, ResponsibleInlineEdit } from '../../components/RelatedRecordFields.js';
import { useT } from '../../i18n/useT.js';
import { formatDate, formatMoney } from '../../lib/format.js';
import { DealFormModal } from './DealForm.js';

export function DealPage() {
  const { id = '' } = useParams();
  const { t, locale } = useT();
  const deal = useEntity<Deal>('deals', id);
  const pipelines = usePipelines();
  const [editing, setEditing] = useState(false);
  if (deal.isPending) {
    return <Loader />;
  }
  if (deal.error || !deal.data) {
    return <ErrorAlert error={deal.error} />;
  }
  const d = deal.data;
  const pipeline = pipelines.data?.find((p) => p.id === d.pipelineId);
  const stage = pipeline?.stages.find((s) => s.id === d.stageId);
  return (
    <RecordLayout
      entity="deals"
      id={id}
      title={d.title}
      subtitle={formatMoney(d.amount, d.currency, locale)}
      deleteName={d.title}
      onEdit={() => setEditing(true)}
      details={
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
          <InlineEdit
            label={t('deal.stage')}
            testId="inline-stage"
            entity="deals"
            id={id}
            value={d.stageId}
            editor={{
              kind: 'select',
              data: (pipeline?.stages ?? []).map((s) => ({ value: s.id, label: s.name })),
            }}
            toBody={(value) => ({ stageId: value })}
            fields={['stageId', 'pipelineId']}
            display={
              stage && (
                <Badge
                  variant="light"
                  color={stage.kind === 'won' ? 'green' : stage.kind === 'lost' ? 'gray' : 'blue'}
                >
                  {pipeline?.name} · {stage.name}
                </Badge>
              )
            }
          />
          <InlineEdit
            label={t('deal.amount')}
            testId="inline-amount"
            entity="deals"
            id={id}
            value={String(d.amount)}
            editor={{ kind: 'text', type: 'number' }}
            // An empty or unreadable amount is sent as it is: the server says what is wrong, under the field.
            toBody={(value) => ({ amount: value?.trim() ? Number(value) : value })}
            fields={['amount']}
            display={formatMoney(d.amount, d.currency, locale)}
          />
          <InlineEdit
            label={t('deal.expectedClose')}
            testId="inline-expected-close"
            entity="deals"
            id={id}
            value={d.expectedCloseDate ?? ''}
            editor={{ kind: 'text', type: 'date' }}
            toBody={(value) => ({ expectedCloseDate: value || null })}
            fields={['expectedCloseDate']}
            display={formatDate(d.expectedCloseDate, locale)}
          />
          <ContactAndCompanyFields contactId={d.contactId} companyId={d.companyId} />
          <ResponsibleInlineEdit entity="deals" id={id} userId={d.responsibleUserId} />
        </SimpleGrid>
      }
      extra={d.contactId ? <RecordCalls contactId={d.contactId} /> : undefined}
    >
      {editing && <DealFormModal deal={d} onClose={() => setEditing(false)} />}
    </RecordLayout>
  );
}
