import { NumberInput, Select, SimpleGrid, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMe, usePipelines } from '../../api/queries.js';
import type { Deal } from '../../api/types.js';
import { DateField } from '../../components/DateFields.js';
import { FormModal } from '../../components/FormModal.js';
import { ContactCompanyPickers, ResponsiblePicker } from '../../components/RecordPickers.js';
import { useSaveEntity } from '../../components/useSaveEntity.js';
import { useT } from '../../i18n/useT.js';

type DealValues = Pick<
  Deal,
  | 'title'
  | 'amount'
  | 'currency'
  | 'pipelineId'
  | 'stageId'
  | 'contactId'
  | 'companyId'
  | 'responsibleUserId'
  | 'expectedCloseDate'
>;

const CURRENCIES = ['EUR', 'USD', 'GBP', 'CHF', 'RUB', 'CAD'];

/** Create or edit a deal in a modal. */
export function DealFormModal({
  onClose,
  deal,
  defaults,
  onSaved,
}: {
  onClose: () => void;
  deal?: Deal;
  defaults?: Partial<DealValues>;
  onSaved?: (deal: Deal) => void;
}) {
  const { t } = useT();
  const me = useMe();
  const pipelines = usePipelines();
  const firstPipeline = pipelines.data?.[0];
  const form = useForm<DealValues>({
    initialValues: {
      title: deal?.title ?? '',
      amount: deal?.amount ?? 0,
      currency: deal?.currency ?? 'EUR',
      pipelineId: deal?.pipelineId ?? defaults?.pipelineId ?? firstPipeline?.id ?? '',
      stageId: deal?.stageId ?? defaults?.stageId ?? firstPipeline?.stages[0]?.id ?? '',
      contactId: deal?.contactId ?? defaults?.contactId ?? null,
      companyId: deal?.companyId ?? defaults?.companyId ?? null,
      responsibleUserId: deal ? deal.responsibleUserId : (me.data?.id ?? null),
      expectedCloseDate: deal?.expectedCloseDate ?? null,
    },
    validate: {
      title: (value) => (value.trim() ? null : t('deal.validation.titleRequired')),
      amount: (value) => (Number.isFinite(value) && value >= 0 ? null : t('deal.validation.amountInvalid')),
      stageId: (value) => (value ? null : t('deal.validation.stageRequired')),
    },
  });
  const pipeline = pipelines.data?.find((p) => p.id === form.values.pipelineId);
  const { mutation, formErrors } = useSaveEntity<DealValues, Deal>({
    entity: 'deals',
    id: deal?.id,
    form,
    onSaved: (saved) => {
      onClose();
      onSaved?.(saved);
    },
  });
  return (
    <FormModal
      title={deal ? t('deal.edit') : t('deal.new')}
      onClose={onClose}
      onSubmit={form.onSubmit((values) => mutation.mutate(values))}
      formErrors={formErrors}
      saving={mutation.isPending}
    >
      <TextInput label={t('deal.title')} required {...form.getInputProps('title')} />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <NumberInput
          label={t('deal.amount')}
          min={0}
          decimalScale={2}
          thousandSeparator=" "
          {...form.getInputProps('amount')}
          onChange={(value) =>
            form.setFieldValue('amount', typeof value === 'number' ? value : Number(value) || 0)
          }
        />
        <Select
          label={t('deal.currency')}
          data={CURRENCIES}
          allowDeselect={false}
          {...form.getInputProps('currency')}
        />
        <Select
          label={t('deal.pipeline')}
          data={(pipelines.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
          allowDeselect={false}
          {...form.getInputProps('pipelineId')}
          onChange={(value) => {
            const next = pipelines.data?.find((p) => p.id === value);
            form.setFieldValue('pipelineId', value ?? '');
            form.setFieldValue('stageId', next?.stages[0]?.id ?? '');
          }}
        />
        <Select
          label={t('deal.stage')}
          data={(pipeline?.stages ?? []).map((s) => ({ value: s.id, label: s.name }))}
          allowDeselect={false}
          {...form.getInputProps('stageId')}
        />
        <ContactCompanyPickers form={form} />
        <ResponsiblePicker form={form} />
        <DateField
          label={t('deal.expectedClose')}
          error={form.errors.expectedCloseDate}
          value={form.values.expectedCloseDate}
          onChange={(iso) => form.setFieldValue('expectedCloseDate', iso)}
        />
      </SimpleGrid>
    </FormModal>
  );
}
