import type { FormErrors } from '@mantine/form';
import { useT } from '../i18n/useT.js';
import { EntitySelect, UserSelect } from './pickers.js';

/** The part of a Mantine form these pickers use, for any form holding the `Field` ids. */
interface IdFieldsForm<Field extends string> {
  values: Record<Field, string | null>;
  errors: FormErrors;
  setFieldValue: (path: Field, value: string | null) => void;
}

/**
 * The contact and company pickers of a record form, bound to `contactId` and `companyId`.
 * Why: deals and leads link to a contact and a company the same way.
 */
export function ContactCompanyPickers({ form }: { form: IdFieldsForm<'contactId' | 'companyId'> }) {
  const { t } = useT();
  return (
    <>
      <EntitySelect
        entity="contacts"
        label={t('lead.contact')}
        error={form.errors.contactId}
        value={form.values.contactId}
        onChange={(value) => form.setFieldValue('contactId', value)}
      />
      <EntitySelect
        entity="companies"
        label={t('contact.company')}
        error={form.errors.companyId}
        value={form.values.companyId}
        onChange={(value) => form.setFieldValue('companyId', value)}
      />
    </>
  );
}

/**
 * The responsible-user picker of a record form, bound to `responsibleUserId`.
 * Why: every record form assigns a responsible user with the same picker.
 */
export function ResponsiblePicker({ form }: { form: IdFieldsForm<'responsibleUserId'> }) {
  const { t } = useT();
  return (
    <UserSelect
      assignable
      label={t('common.responsible')}
      error={form.errors.responsibleUserId}
      value={form.values.responsibleUserId}
      onChange={(value) => form.setFieldValue('responsibleUserId', value)}
    />
  );
}
