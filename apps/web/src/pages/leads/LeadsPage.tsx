import { Button, Select } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { LEAD_SOURCES, LEAD_STATUSES, type Lead } from '../../api/types.js';
import { type Column, ListView } from '../../components/ListView.js';
import { PageHeader } from '../../components/PageHeader.js';
import { EntityName, UserName, UserSelect } from '../../components/pickers.js';
import { useT } from '../../i18n/useT.js';
import { formatDate } from '../../lib/format.js';
import { LeadFormModal } from './LeadForm.js';
import { LeadStatusBadge } from './LeadStatusBadge.js';

export function LeadsPage() {
  const { t, locale } = useT();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const columns: Column<Lead>[] = [
    { key: 'title', label: t('lead.title'), sort: 'title', render: (l) => <strong>{l.title}</strong> },
    {
      key: 'status',
      label: t('lead.status'),
      render: (l) => <LeadStatusBadge status={l.status} />,
    },
    {
      key: 'contact',
      label: t('lead.contact'),
      render: (l) => <EntityName entity="contacts" id={l.contactId} />,
      visibleFrom: 'md',
    },
    {
      key: 'source',
      label: t('lead.source'),
      render: (l) => t(`lead.source.${l.source}`),
      visibleFrom: 'sm',
    },
    {
      key: 'responsible',
      label: t('common.responsible'),
      render: (l) => <UserName id={l.responsibleUserId} />,
      visibleFrom: 'lg',
    },
    {
      key: 'createdAt',
      label: t('common.created'),
      sort: 'createdAt',
      render: (l) => formatDate(l.createdAt, locale),
      visibleFrom: 'md',
    },
  ];
  return (
    <>
      <PageHeader title={t('nav.leads')} />
      <ListView<Lead>
        entity="leads"
        columns={columns}
        defaultSort="-createdAt"
        rowHref={(l) => `/leads/${l.id}`}
        filters={({ params, setFilter }) => (
          <>
            <Select
              placeholder={t('lead.status')}
              aria-label={t('lead.status')}
              data={LEAD_STATUSES.map((s) => ({ value: s, label: t(`lead.status.${s}`) }))}
              value={params.filters.status ?? null}
              onChange={(value) => setFilter('status', value)}
              clearable
              style={{ flex: '1 1 150px' }}
            />
            <Select
              placeholder={t('lead.source')}
              aria-label={t('lead.source')}
              data={LEAD_SOURCES.map((s) => ({ value: s, label: t(`lead.source.${s}`) }))}
              value={params.filters.source ?? null}
              onChange={(value) => setFilter('source', value)}
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
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
            {t('lead.new')}
          </Button>
        }
      />
      {creating && (
        <LeadFormModal onClose={() => setCreating(false)} onSaved={(l) => navigate(`/leads/${l.id}`)} />
      )}
    </>
  );
}
