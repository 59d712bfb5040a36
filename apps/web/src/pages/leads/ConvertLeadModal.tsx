import {
  Button,
  Checkbox,
  Group,
  Modal,
  NumberInput,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../../api/client.js';
import type { Lead, LeadConversion } from '../../api/types.js';
import { FormErrors } from '../../components/FormErrors.js';
import { useT } from '../../i18n/useT.js';
import { mapServerErrors } from '../../lib/form-errors.js';

/**
 * Converts a lead into a contact (its own, or one made here) and, unless unticked, a deal; then opens the
 * contact. Why: a qualified lead becomes a client with a deal in one step, not three forms.
 */
export function ConvertLeadModal({ lead, onClose }: { lead: Lead; onClose: () => void }) {
  const { t } = useT();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [errors, setErrors] = useState<string[]>([]);
  const needsContact = lead.contactId === null;
  const form = useForm({
    initialValues: {
      firstName: '',
      lastName: '',
      phone: '',
      email: '',
      withDeal: true,
      dealTitle: lead.title,
      amount: 0 as number | string,
    },
  });
  const convert = useMutation({
    mutationFn: (values: typeof form.values) =>
      api.post<LeadConversion>(`/leads/${lead.id}/convert`, {
        ...(needsContact
          ? {
              contact: {
                firstName: values.firstName.trim(),
                lastName: values.lastName.trim(),
                phones: values.phone.trim() ? [{ raw: values.phone.trim(), label: 'mobile' }] : [],
                emails: values.email.trim() ? [{ email: values.email.trim(), label: 'work' }] : [],
              },
            }
          : {}),
        deal: values.withDeal ? { title: values.dealTitle.trim(), amount: Number(values.amount) || 0 } : null,
      }),
    onSuccess: async (result) => {
      await queryClient.invalidateQueries();
      notifications.show({ color: 'green', message: t('lead.converted') });
      onClose();
      navigate(`/contacts/${result.contactId}`);
    },
    onError: (error) => {
      const { fieldErrors, rest } = mapServerErrors(
        error,
        ['firstName', 'lastName', 'phone', 'email', 'dealTitle', 'amount'],
        (path) =>
          path
            .replace(/^(contact\.)?phones\.\d+\.raw$/, 'phone')
            .replace(/^(contact\.)?emails\.\d+\.email$/, 'email')
            .replace(/^contact\.(firstName|lastName)$/, '$1')
            .replace(/^deal\.title$/, 'dealTitle')
            .replace(/^deal\.amount$/, 'amount'),
      );
      form.setErrors(fieldErrors);
      setErrors(rest);
    },
  });
  return (
    <Modal opened onClose={onClose} title={t('lead.convertTitle')} size="lg">
      <form onSubmit={form.onSubmit((values) => convert.mutate(values))} noValidate>
        <Stack>
          <FormErrors messages={errors} />
          {needsContact ? (
            <>
              <Text size="sm" c="dimmed">
                {t('lead.convertNewContact')}
              </Text>
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <TextInput label={t('contact.firstName')} {...form.getInputProps('firstName')} />
                <TextInput label={t('contact.lastName')} {...form.getInputProps('lastName')} />
                <TextInput
                  label={t('contact.phone')}
                  type="tel"
                  placeholder="+33 6 12 34 56 78"
                  {...form.getInputProps('phone')}
                />
                <TextInput label={t('contact.email')} type="email" {...form.getInputProps('email')} />
              </SimpleGrid>
            </>
          ) : (
            <Text size="sm" c="dimmed">
              {t('lead.convertExistingContact')}
            </Text>
          )}
          <Checkbox
            label={t('lead.convertWithDeal')}
            {...form.getInputProps('withDeal', { type: 'checkbox' })}
          />
          {form.values.withDeal && (
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput label={t('deal.title')} {...form.getInputProps('dealTitle')} />
              <NumberInput label={t('deal.amount')} min={0} {...form.getInputProps('amount')} />
            </SimpleGrid>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={convert.isPending} data-testid="convert-lead-submit">
              {t('lead.convert')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
