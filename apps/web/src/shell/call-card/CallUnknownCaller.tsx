import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAddressBook, IconTargetArrow, IconUserPlus } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client.js';
import type { Contact, ContactCard, User } from '../../api/types.js';
import { EntitySelect } from '../../components/pickers.js';
import { useT } from '../../i18n/useT.js';
import { apiErrorMessage } from '../../lib/api-error-message.js';
import { formatPhone } from '../../lib/phone-format.js';
import { CreateFromCallModal } from './CreateFromCallModal.js';

/**
 * An unknown caller: create a contact or a lead (with its contact) from the number, or add the number to an
 * existing contact. Each puts the number on the record and links the call, and the card shows the contact at once.
 */
export function CallUnknownCaller({
  number,
  callId,
  me,
  onContactLinked,
}: {
  number: string;
  callId: string;
  me: User;
  onContactLinked: (contact: ContactCard) => void;
}) {
  const { t } = useT();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState<'contact' | 'lead' | null>(null);
  const [pickOpen, setPickOpen] = useState(false);
  const [contactId, setContactId] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  async function addToContact() {
    if (!contactId) {
      return;
    }
    setSaving(true);
    try {
      const contact = await api.get<Contact>(`/contacts/${contactId}`);
      const phones = [
        ...contact.phones.map((p) => ({ raw: p.raw, label: p.label })),
        { raw: number, label: 'mobile' },
      ];
      const saved = await api.patch<Contact>(`/contacts/${contactId}`, { phones });
      const card = await api.put<ContactCard>(`/calls/${callId}/contact`, { contactId: saved.id });
      await queryClient.invalidateQueries({ queryKey: ['contacts'] });
      setPickOpen(false);
      onContactLinked(card);
      notifications.show({ color: 'green', message: t('popup.numberAdded', { name: saved.displayName }) });
    } catch (error) {
      notifications.show({ color: 'red', message: apiErrorMessage(error) });
    } finally {
      setSaving(false);
    }
  }

  return (
    <Stack gap={6} data-testid="popup-unknown">
      <Text size="sm" c="dimmed">
        {t('popup.unknown')}
      </Text>
      <Group gap={6}>
        <Button
          size="compact-xs"
          variant="light"
          leftSection={<IconUserPlus size={14} />}
          onClick={() => setCreating('contact')}
          data-testid="popup-create-contact"
        >
          {t('popup.createContact')}
        </Button>
        <Button
          size="compact-xs"
          variant="light"
          leftSection={<IconTargetArrow size={14} />}
          onClick={() => setCreating('lead')}
          data-testid="popup-create-lead"
        >
          {t('popup.createLead')}
        </Button>
        <Button
          size="compact-xs"
          variant="light"
          leftSection={<IconAddressBook size={14} />}
          onClick={() => setPickOpen(true)}
        >
          {t('popup.addToContact')}
        </Button>
      </Group>
      {creating && (
        <CreateFromCallModal
          kind={creating}
          number={number}
          callId={callId}
          me={me}
          onClose={() => setCreating(null)}
          onCreated={(card) => {
            setCreating(null);
            onContactLinked(card);
          }}
        />
      )}
      <Modal
        opened={pickOpen}
        onClose={() => setPickOpen(false)}
        title={t('popup.addToContactTitle', { number: formatPhone(number) })}
      >
        <Stack>
          <EntitySelect
            entity="contacts"
            label={t('lead.contact')}
            value={contactId}
            onChange={setContactId}
            data-autofocus
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setPickOpen(false)}>
              {t('common.cancel')}
            </Button>
            <Button onClick={() => void addToContact()} loading={saving} disabled={!contactId}>
              {t('popup.addNumber')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
