import { Anchor } from '@mantine/core';
import { Link } from 'react-router';
import type { EntityPath } from '../api/queries.js';
import { useT } from '../i18n/useT.js';
import { DetailField } from './DetailField.js';
import { InlineEdit } from './InlineEdit.js';
import { EntityName, UserName } from './pickers.js';

/** A field whose value is a link to another record's page, named as that record is ("—" when none). */
function RecordLinkField({
  label,
  entity,
  id,
}: {
  label: string;
  entity: 'contacts' | 'companies';
  id: string | null;
}) {
  return (
    <DetailField label={label}>
      {id && (
        <Anchor component={Link} to={`/${entity}/${id}`} size="sm">
          <EntityName entity={entity} id={id} />
        </Anchor>
      )}
    </DetailField>
  );
}

/**
 * A record's contact and company, each a link to its page. Why one component: deals and leads show the same two
 * fields the same way.
 */
export function ContactAndCompanyFields({
  contactId,
  companyId,
}: {
  contactId: string | null;
  companyId: string | null;
}) {
  const { t } = useT();
  return (
    <>
      <RecordLinkField label={t('lead.contact')} entity="contacts" id={contactId} />
      <RecordLinkField label={t('contact.company')} entity="companies" id={companyId} />
    </>
  );
}

/** The record's responsible user, changed in place (a user picker saving `responsibleUserId`). */
export function ResponsibleInlineEdit({
  entity,
  id,
  userId,
}: {
  entity: EntityPath;
  id: string;
  userId: string | null;
}) {
  const { t } = useT();
  return (
    <InlineEdit
      label={t('common.responsible')}
      testId="inline-responsible"
      entity={entity}
      id={id}
      value={userId}
      editor={{ kind: 'user' }}
      toBody={(value) => ({ responsibleUserId: value })}
      fields={['responsibleUserId']}
      display={userId ? <UserName id={userId} /> : ''}
    />
  );
}
