import { Select, SimpleGrid, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMe } from '../../api/queries.js';
import { LEAD_SOURCES, LEAD_STATUSES, type Lead } from '../../api/types.js';
import { FormModal } from '../../components/FormModal.js';
import { ContactCompanyPickers, ResponsiblePicker } from '../../components/RecordPickers.js';
import { useSaveEntity } from '../../components/useSaveEntity.js';
import { useT } from '../../i18n/useT.js';

type LeadValues = Pick<
  Lead,
  'title' | 'contactId' | 'companyId' | 'source' | 'status' | 'responsibleUserId' | 'notes'
>;

/** Create or edit a lead in a modal. */
export function LeadFormModal({
  onClose,
  lead,
  onSaved,
  initial,
}: {
  onClose: () => void;
  lead?: Lead;
  onSaved?: (lead: Lead) => void;
  /** Prefilled values for a new lead (e.g. from an unknown caller's popup). */
  initial?: Partial<LeadValues>;
}) {
  const { t } = useT();
  const me = useMe();
  const form = useForm<LeadValues>({
    initialValues: {
      title: lead?.title ?? '',
      contactId: lead?.contactId ?? null,
      companyId: lead?.companyId ?? null,
      source: lead?.source ?? 'other',
      status: lead?.status ?? 'new',
      responsibleUserId: lead ? lead.responsibleUserId : (me.data?.id ?? null),
      notes: lead?.notes ?? '',
      ...(lead ? {} : initial),
    },
    validate: { title: (value) => (value.trim() ? null : t('lead.validation.titleRequired')) },
  });
  const { mutation, formErrors } = useSaveEntity<LeadValues, Lead>({
    entity: 'leads',
    id: lead?.id,
    form,
    onSaved: (saved) => {
      onClose();
      onSaved?.(saved);
    },
  });
  return (
    <FormModal
      title={lead ? t('lead.edit') : t('lead.new')}
      onClose={onClose}
      onSubmit={form.onSubmit((values) => mutation.mutate(values))}
      formErrors={formErrors}
      saving={mutation.isPending}
    >
      <TextInput label={t('lead.title')} required {...form.getInputProps('title')} />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <ContactCompanyPickers form={form} />
        <Select
          label={t('lead.source')}
          data={LEAD_SOURCES.map((s) => ({ value: s, label: t(`lead.source.${s}`) }))}
          allowDeselect={false}
          {...form.getInputProps('source')}
        />
        <Select
          label={t('lead.status')}
          data={LEAD_STATUSES.map((s) => ({ value: s, label: t(`lead.status.${s}`) }))}
          allowDeselect={false}
          {...form.getInputProps('status')}
        />
        <ResponsiblePicker form={form} />
      </SimpleGrid>
      <Textarea label={t('common.notes')} autosize minRows={2} {...form.getInputProps('notes')} />
    </FormModal>
  );
}
