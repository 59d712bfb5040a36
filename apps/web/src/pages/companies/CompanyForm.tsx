import { Button, Group, Modal, SimpleGrid, Stack, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import type { Company } from '../../api/types.js';
import { FormErrors } from '../../components/FormErrors.js';
import { UserSelect } from '../../components/pickers.js';
import { useSaveEntity } from '../../components/useSaveEntity.js';
import { useT } from '../../i18n/useT.js';

type CompanyValues = Pick<Company, 'name' | 'website' | 'phone' | 'address' | 'notes' | 'responsibleUserId'>;

/** Create or edit a company in a modal. */
export function CompanyFormModal({
  opened,
  onClose,
  company,
  onSaved,
}: {
  opened: boolean;
  onClose: () => void;
  company?: Company;
  onSaved?: (company: Company) => void;
}) {
  const { t } = useT();
  const form = useForm<CompanyValues>({
    initialValues: {
      name: company?.name ?? '',
      website: company?.website ?? '',
      phone: company?.phone ?? '',
      address: company?.address ?? '',
      notes: company?.notes ?? '',
      responsibleUserId: company?.responsibleUserId ?? null,
    },
    validate: { name: (value) => (value.trim() ? null : t('company.validation.nameRequired')) },
  });
  const { mutation, formErrors } = useSaveEntity<CompanyValues, Company>({
    entity: 'companies',
    id: company?.id,
    form,
    onSaved: (saved) => {
      onClose();
      onSaved?.(saved);
    },
  });
  return (
    <Modal opened={opened} onClose={onClose} title={company ? t('company.edit') : t('company.new')} size="lg">
      <form onSubmit={form.onSubmit((values) => mutation.mutate(values))} noValidate>
        <Stack>
          <FormErrors messages={formErrors} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('company.name')} required {...form.getInputProps('name')} />
            <TextInput
              label={t('company.website')}
              placeholder="https://"
              {...form.getInputProps('website')}
            />
            <TextInput label={t('contact.phone')} type="tel" {...form.getInputProps('phone')} />
            <UserSelect
              assignable
              label={t('common.responsible')}
              error={form.errors.responsibleUserId}
              value={form.values.responsibleUserId}
              onChange={(value) => form.setFieldValue('responsibleUserId', value)}
            />
          </SimpleGrid>
          <Textarea label={t('company.address')} autosize minRows={2} {...form.getInputProps('address')} />
          <Textarea label={t('common.notes')} autosize minRows={2} {...form.getInputProps('notes')} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={mutation.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
