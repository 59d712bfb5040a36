import { Badge, Button, Group, Select, Stack, Text } from '@mantine/core';
import { IconPlus, IconUpload } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import type { Contact } from '../../api/types.js';
import { type Column, ListView } from '../../components/ListView.js';
import { PageHeader } from '../../components/PageHeader.js';
import { PhoneLink } from '../../components/PhoneLink.js';
import { EntityName, EntitySelect, UserName, UserSelect } from '../../components/pickers.js';
import { useT } from '../../i18n/useT.js';
import { formatDate } from '../../lib/format.js';
import { CsvImportModal } from './CsvImportModal.js';

export function ContactsPage() {
  const { t, locale } = useT();
  const [importing, setImporting] = useState(false);
  const columns: Column<Contact>[] = [
    {
      key: 'name',
      label: t('contact.name'),
      sort: 'displayName',
      render: (c) => (
        <Group gap={6} wrap="nowrap">
          <Text size="sm" fw={500}>
            {c.displayName}
          </Text>
          {c.doNotCall && (
            <Badge size="xs" color="red" variant="light">
              {t('contact.doNotCallShort')}
            </Badge>
          )}
        </Group>
      ),
    },
    {
      key: 'company',
      label: t('contact.company'),
      render: (c) => c.company?.name ?? <EntityName entity="companies" id={c.companyId} />,
      visibleFrom: 'sm',
    },
    {
      key: 'phone',
      label: t('contact.phones'),
      render: (c) => (
        <Stack gap={2}>
          {c.phones.slice(0, 2).map((p) => (
            <PhoneLink key={p.id} raw={p.raw} e164={p.e164} doNotCall={c.doNotCall} contactId={c.id} />
          ))}
        </Stack>
      ),
    },
    { key: 'email', label: t('contact.emails'), render: (c) => c.emails[0]?.email ?? '', visibleFrom: 'md' },
    {
      key: 'responsible',
      label: t('common.responsible'),
      render: (c) => c.responsibleUser?.name ?? <UserName id={c.responsibleUserId} />,
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
      <PageHeader title={t('nav.contacts')} />
      <ListView<Contact>
        entity="contacts"
        columns={columns}
        defaultSort="displayName"
        rowHref={(c) => `/contacts/${c.id}`}
        filters={({ params, setFilter }) => (
          <>
            <UserSelect
              placeholder={t('common.responsible')}
              aria-label={t('common.responsible')}
              value={params.filters.responsibleUserId ?? null}
              onChange={(value) => setFilter('responsibleUserId', value)}
              style={{ flex: '1 1 150px' }}
            />
            <EntitySelect
              entity="companies"
              placeholder={t('contact.company')}
              aria-label={t('contact.company')}
              value={params.filters.companyId ?? null}
              onChange={(value) => setFilter('companyId', value)}
              style={{ flex: '1 1 150px' }}
            />
            <Select
              placeholder={t('contact.doNotCall')}
              aria-label={t('contact.doNotCall')}
              data={[
                { value: 'true', label: t('contact.doNotCallYes') },
                { value: 'false', label: t('contact.doNotCallNo') },
              ]}
              value={params.filters.doNotCall ?? null}
              onChange={(value) => setFilter('doNotCall', value)}
              clearable
              style={{ flex: '1 1 150px' }}
            />
          </>
        )}
        actions={
          <>
            <Button
              variant="default"
              leftSection={<IconUpload size={16} />}
              onClick={() => setImporting(true)}
            >
              {t('import.button')}
            </Button>
            <Button
              component={Link}
              to="/contacts/new"
              leftSection={<IconPlus size={16} />}
              data-testid="new-contact"
            >
              {t('contact.new')}
            </Button>
          </>
        }
      />
      <CsvImportModal opened={importing} onClose={() => setImporting(false)} />
    </>
  );
}
