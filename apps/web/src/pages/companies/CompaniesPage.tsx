import { Anchor, Button } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { Company } from '../../api/types.js';
import { type Column, ListView } from '../../components/ListView.js';
import { PageHeader } from '../../components/PageHeader.js';
import { PhoneLink } from '../../components/PhoneLink.js';
import { UserName, UserSelect } from '../../components/pickers.js';
import { useT } from '../../i18n/useT.js';
import { formatDate } from '../../lib/format.js';
import { webHref } from '../../lib/safe-href.js';
import { CompanyFormModal } from './CompanyForm.js';

export function CompaniesPage() {
  const { t, locale } = useT();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const columns: Column<Company>[] = [
    { key: 'name', label: t('company.name'), sort: 'name', render: (c) => <strong>{c.name}</strong> },
    {
      key: 'website',
      label: t('company.website'),
      render: (c) =>
        c.website && !webHref(c.website) ? (
          c.website
        ) : c.website ? (
          <Anchor
            href={webHref(c.website)}
            target="_blank"
            rel="noreferrer"
            size="sm"
            onClick={(e) => e.stopPropagation()}
          >
            {c.website.replace(/^https?:\/\//, '')}
          </Anchor>
        ) : null,
      visibleFrom: 'md',
    },
    {
      key: 'phone',
      label: t('contact.phone'),
      render: (c) => (c.phone ? <PhoneLink raw={c.phone} /> : null),
      visibleFrom: 'sm',
    },
    {
      key: 'responsible',
      label: t('common.responsible'),
      render: (c) => <UserName id={c.responsibleUserId} />,
      visibleFrom: 'lg',
    },
    {
      key: 'createdAt',
      label: t('common.created'),
      sort: 'createdAt',
      render: (c) => formatDate(c.createdAt, locale),
      visibleFrom: 'md',
    },
  ];
  return (
    <>
      <PageHeader title={t('nav.companies')} />
      <ListView<Company>
        entity="companies"
        columns={columns}
        defaultSort="name"
        rowHref={(c) => `/companies/${c.id}`}
        filters={({ params, setFilter }) => (
          <UserSelect
            placeholder={t('common.responsible')}
            aria-label={t('common.responsible')}
            value={params.filters.responsibleUserId ?? null}
            onChange={(value) => setFilter('responsibleUserId', value)}
            style={{ flex: '1 1 150px' }}
          />
        )}
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
            {t('company.new')}
          </Button>
        }
      />
      {creating && (
        <CompanyFormModal
          opened
          onClose={() => setCreating(false)}
          onSaved={(c) => navigate(`/companies/${c.id}`)}
        />
      )}
    </>
  );
}
