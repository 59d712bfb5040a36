import { Group, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client.js';
import type { Contact, ContactCard, Lead, User } from '../../api/types.js';
import { FormModal } from '../../components/FormModal.js';
import { useT } from '../../i18n/useT.js';
import { mapServerErrors } from '../../lib/form-errors.js';
import { formatPhone } from '../../lib/phone-format.js';

interface Values {
  firstName: string;
  lastName: string;
  title: string;
}

/**
 * "Create contact" / "Create lead" from an unknown caller's card: a contact with the caller's number (a lead gets
 * that contact, not a line in its notes), then the call linked to it. A modal above the popups (Mantine's modals
 * sit over the card's layer), so the card never hides the form's own buttons.
 */
export function CreateFromCallModal({
  kind,
  number,
  callId,
  me,
  onClose,
  onCreated,
}: {
  kind: 'contact' | 'lead';
  number: string;
  callId: string;
  me: User;
  onClose: () => void;
  onCreated: (card: ContactCard) => void;
}) {
  const { t } = useT();
  const queryClient = useQueryClient();
  const [saving, setSaving] = useState(false);
  const [formErrors, setFormErrors] = useState<string[]>([]);
  const form = useForm<Values>({
    initialValues: {
      firstName: '',
      lastName: '',
      title: t('popup.leadTitle', { number: formatPhone(number) }),
    },
  });

  async function save(values: Values) {
    setSaving(true);
    setFormErrors([]);
    try {
      const contact = await api.post<Contact>('/contacts', {
        firstName: values.firstName.trim(),
        lastName: values.lastName.trim(),
        responsibleUserId: me.id,
        phones: [{ raw: number, label: 'mobile' }],
      });
      if (kind === 'lead') {
        await api.post<Lead>('/leads', {
          title: values.title.trim(),
          contactId: contact.id,
          source: 'call',
          status: 'new',
          responsibleUserId: me.id,
        });
      }
      const card = await api.put<ContactCard>(`/calls/${callId}/contact`, { contactId: contact.id });
      await queryClient.invalidateQueries({ queryKey: ['contacts'] });
      await queryClient.invalidateQueries({ queryKey: ['leads'] });
      notifications.show({ color: 'green', message: t('popup.created', { name: contact.displayName }) });
      onCreated(card);
    } catch (error) {
      const { fieldErrors, rest } = mapServerErrors(error, Object.keys(values));
      form.setErrors(fieldErrors);
      setFormErrors(rest);
    } finally {
      setSaving(false);
    }
  }

  return (
    <FormModal
      title={
        kind === 'lead'
          ? t('popup.newLeadTitle', { number: formatPhone(number) })
          : t('popup.newContactTitle', { number: formatPhone(number) })
      }
      onClose={onClose}
      onSubmit={form.onSubmit((values) => void save(values))}
      formErrors={formErrors}
      saving={saving}
    >
      <Text size="sm" c="dimmed" data-testid="create-from-call-number">
        {t('popup.numberOnRecord', { number: formatPhone(number) })}
      </Text>
      {kind === 'lead' && (
        <TextInput
          label={t('lead.title')}
          required
          {...form.getInputProps('title')}
          data-testid="create-from-call-title"
        />
      )}
      <Group grow align="flex-start">
        <TextInput
          label={t('contact.firstName')}
          data-autofocus
          {...form.getInputProps('firstName')}
          data-testid="create-from-call-first-name"
        />
        <TextInput
          label={t('contact.lastName')}
          {...form.getInputProps('lastName')}
          data-testid="create-from-call-last-name"
        />
      </Group>
    </FormModal>
  );
}
