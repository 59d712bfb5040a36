import { Select, Stack, Text } from '@mantine/core';
import { IconUsers } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client.js';
import type { ContactCard, ContactLookup } from '../../api/types.js';
import { useT } from '../../i18n/useT.js';
import { apiErrorMessage } from '../../lib/api-error-message.js';

/**
 * A caller several contacts share: the call was linked to the oldest of them (the one calls are routed by), and
 * the agent picks the right one here; the call, and its line on the timeline, move to it and the card shows it.
 * Why: silently showing the oldest record puts the conversation on the wrong person.
 */
export function CallContactPicker({
  callId,
  number,
  current,
  onContactLinked,
}: {
  callId: string;
  number: string | null;
  current: ContactCard;
  onContactLinked: (contact: ContactCard) => void;
}) {
  const { t } = useT();
  const queryClient = useQueryClient();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const lookup = useQuery({
    queryKey: ['contacts', 'lookup', number],
    queryFn: ({ signal }) => api.get<ContactLookup>('/contacts/lookup', { phone: number ?? '' }, signal),
    enabled: Boolean(number),
    staleTime: 60_000,
  });
  const matches = lookup.data?.matches ?? [];
  if (matches.length < 2) {
    return null;
  }

  async function pick(contactId: string | null) {
    if (!contactId || contactId === current.id) {
      return;
    }
    setSaving(true);
    setError(null);
    try {
      const card = await api.put<ContactCard>(`/calls/${callId}/contact`, { contactId });
      onContactLinked(card);
      await queryClient.invalidateQueries({ queryKey: ['contacts', 'timeline'] });
    } catch (failure) {
      setError(apiErrorMessage(failure));
    } finally {
      setSaving(false);
    }
  }

  return (
    <Stack gap={4} mt={6} data-testid="popup-contact-picker">
      <Text size="xs" c="orange.8" fw={500}>
        <IconUsers size={12} style={{ verticalAlign: 'middle', marginRight: 4 }} />
        {t('popup.sharedNumber', { count: matches.length })}
      </Text>
      <Select
        size="xs"
        aria-label={t('popup.pickContact')}
        data={matches.map((m) => ({
          value: m.id,
          label: m.company ? `${m.displayName} · ${m.company.name}` : m.displayName,
        }))}
        value={current.id}
        onChange={(value) => void pick(value)}
        allowDeselect={false}
        disabled={saving}
        error={error}
        comboboxProps={{ withinPortal: false }}
        data-testid="popup-contact-select"
      />
    </Stack>
  );
}
