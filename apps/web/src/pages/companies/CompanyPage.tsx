import { Anchor, Card, Loader, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client.js';
import { useEntity } from '../../api/queries.js';
import type { Company, Contact, ListResult } from '../../api/types.js';
import { DetailField } from '../../components/DetailField.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { PhoneLink } from '../../components/PhoneLink.js';
import { UserName } from '../../components/pickers.js';
import { RecordLayout } from '../../components/RecordLayout.js';
import { useT } from '../../i18n/useT.js';
import { webHref } from '../../lib/safe-href.js';
import { CompanyFormModal } from './CompanyForm.js';

export function CompanyPage() {
  const { id = '' } = useParams();
  const { t } = useT();
  const company = useEntity<Company>('companies', id);
  const contacts = useQuery({
    queryKey: ['contacts', 'list', { companyId: id }],
    queryFn: ({ signal }) =>
      api.get<ListResult<Contact>>('/contacts', { companyId: id, pageSize: 50 }, signal),
  });
  const [editing, setEditing] = useState(false);
  if (company.isPending) {
    return <Loader />;
  }
  if (company.error || !company.data) {
    return <ErrorAlert error={company.error} />;
  }
  const c = company.data;
  return (
    <RecordLayout
      entity="companies"
      id={id}
      title={c.name}
      deleteName={c.name}
      onEdit={() => setEditing(true)}
      details={
        <>
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
            <DetailField label={t('company.website')}>
              {c.website &&
                (webHref(c.website) ? (
                  <Anchor href={webHref(c.website)} target="_blank" rel="noreferrer" size="sm">
                    {c.website}
                  </Anchor>
                ) : (
                  c.website
                ))}
            </DetailField>
            <DetailField label={t('contact.phone')}>{c.phone && <PhoneLink raw={c.phone} />}</DetailField>
            <DetailField label={t('company.address')}>{c.address}</DetailField>
            <DetailField label={t('common.responsible')}>
              <UserName id={c.responsibleUserId} />
            </DetailField>
          </SimpleGrid>
          {c.notes && (
            <Stack mt="sm">
              <DetailField label={t('common.notes')}>{c.notes}</DetailField>
            </Stack>
          )}
        </>
      }
      extra={
        <Card withBorder radius="md" padding="lg">
          <Title order={4} mb="sm">
            {t('nav.contacts')}
          </Title>
          <Stack gap={6}>
            {contacts.data?.items.map((contact) => (
              <div key={contact.id}>
                <Anchor component={Link} to={`/contacts/${contact.id}`} size="sm" fw={500}>
                  {contact.displayName}
                </Anchor>
                {contact.phones[0] && (
                  <PhoneLink
                    raw={contact.phones[0].raw}
                    e164={contact.phones[0].e164}
                    doNotCall={contact.doNotCall}
                    contactId={contact.id}
                  />
                )}
              </div>
            ))}
            {contacts.data?.items.length === 0 && (
              <Text size="sm" c="dimmed">
                {t('list.empty')}
              </Text>
            )}
          </Stack>
        </Card>
      }
    >
      {editing && <CompanyFormModal opened company={c} onClose={() => setEditing(false)} />}
    </RecordLayout>
  );
}
