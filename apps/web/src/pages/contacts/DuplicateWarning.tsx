import { Alert, Anchor, Button, Group, Stack, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconCopy } from '@tabler/icons-react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { api } from '../../api/client.js';
import type { Contact, ContactDuplicates, ContactInput } from '../../api/types.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { useT } from '../../i18n/useT.js';
import { formatPhone } from '../../lib/phone-format.js';

/**
 * Whether a typed number is one already stored: its digits without the national or international prefix end
 * the stored E.164 (06 12 34 56 78 and +33 6 12 34 56 78 both end +33612345678). The server compares exactly;
 * this only avoids adding a number twice to the same contact.
 */
function samePhone(stored: string, typed: string): boolean {
  const digits = typed.replace(/\D/g, '').replace(/^0+/, '');
  return digits.length >= 6 && stored.replace(/\D/g, '').endsWith(digits);
}

/** Worth asking about: a number with at least six digits, an email with an @. */
function candidates(values: Pick<ContactInput, 'phones' | 'emails'>) {
  return {
    phones: values.phones.map((p) => p.raw.trim()).filter((raw) => raw.replace(/\D/g, '').length >= 6),
    emails: values.emails.map((e) => e.email.trim()).filter((email) => /\S@\S/.test(email)),
  };
}

/**
 * Warns, while the form is filled in (or on a contact's page), that a number or an email already belongs to
 * another contact, and offers to open it, and either to add the typed details to it instead of creating a
 * duplicate (a new contact) or to merge it into this one (an existing contact). Why: a caller known twice gets two cards and two histories.
 */
export function DuplicateWarning({
  values,
  excludeId,
}: {
  values: Pick<ContactInput, 'phones' | 'emails'>;
  excludeId: string | undefined;
}) {
  const { t } = useT();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [asked] = useDebouncedValue(candidates(values), 400);
  const duplicates = useQuery({
    queryKey: ['contacts', 'duplicates', asked, excludeId],
    queryFn: ({ signal }) =>
      api.post<ContactDuplicates>(
        '/contacts/duplicates',
        { ...asked, ...(excludeId ? { excludeId } : {}) },
        { signal },
      ),
    enabled: asked.phones.length + asked.emails.length > 0,
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  });
  // A new contact's details go onto the existing one instead; nothing is created.
  const addToExisting = useMutation({
    mutationFn: async (contactId: string) => {
      const existing = await api.get<Contact>(`/contacts/${contactId}`);
      const hasPhone = (raw: string) => existing.phones.some((p) => samePhone(p.e164 ?? p.raw, raw));
      const hasEmail = (email: string) =>
        existing.emails.some((e) => e.email.toLowerCase() === email.trim().toLowerCase());
      return api.patch<Contact>(`/contacts/${contactId}`, {
        phones: [
          ...existing.phones.map((p) => ({ raw: p.raw, label: p.label })),
          ...values.phones
            .filter((p) => p.raw.trim() && !hasPhone(p.raw))
            .map((p) => ({ ...p, raw: p.raw.trim() })),
        ],
        emails: [
          ...existing.emails.map((e) => ({ email: e.email, label: e.label })),
          ...values.emails
            .filter((e) => e.email.trim() && !hasEmail(e.email))
            .map((e) => ({ ...e, email: e.email.trim() })),
        ],
      });
    },
    onSuccess: async (contact) => {
      await queryClient.invalidateQueries({ queryKey: ['contacts'] });
      navigate(`/contacts/${contact.id}`);
    },
  });

  // An existing contact (the one edited or shown) takes the duplicate in: one contact, one history.
  const mergeIntoThis = useMutation({
    mutationFn: (mergeId: string) => api.post<Contact>(`/contacts/${excludeId}/merge`, { mergeId }),
    onSuccess: async (contact) => {
      await queryClient.invalidateQueries({ queryKey: ['contacts'] });
      notifications.show({ color: 'green', message: t('duplicate.merged') });
      navigate(`/contacts/${contact.id}`);
    },
  });

  const items = asked.phones.length + asked.emails.length > 0 ? (duplicates.data?.items ?? []) : [];
  if (items.length === 0) {
    return null;
  }
  return (
    <Alert
      color="yellow"
      icon={<IconCopy size={18} />}
      mb="md"
      title={t('duplicate.title')}
      data-testid="duplicate-warning"
    >
      <Stack gap="xs">
        {items.map((item) => (
          <Group key={item.id} justify="space-between" wrap="wrap" gap="xs">
            <Text size="sm">
              {t('duplicate.owns', {
                name: item.displayName,
                what: [...item.phones.map((p) => formatPhone(p)), ...item.emails].join(', '),
              })}
            </Text>
            <Group gap="xs">
              <Anchor component={Link} to={`/contacts/${item.id}`} size="sm" data-testid="duplicate-open">
                {t('duplicate.open')}
              </Anchor>
              {excludeId && (
                <Button
                  size="compact-sm"
                  variant="light"
                  loading={mergeIntoThis.isPending && mergeIntoThis.variables === item.id}
                  onClick={() => mergeIntoThis.mutate(item.id)}
                  data-testid="duplicate-merge"
                >
                  {t('duplicate.mergeIntoThis')}
                </Button>
              )}
              {!excludeId && (
                <Button
                  size="compact-sm"
                  variant="light"
                  loading={addToExisting.isPending && addToExisting.variables === item.id}
                  onClick={() => addToExisting.mutate(item.id)}
                  data-testid="duplicate-add"
                >
                  {t('duplicate.addToIt')}
                </Button>
              )}
            </Group>
          </Group>
        ))}
        <ErrorAlert error={addToExisting.error ?? mergeIntoThis.error} />
      </Stack>
    </Alert>
  );
}
