import {
  Anchor,
  Badge,
  Button,
  Card,
  Grid,
  Group,
  Loader,
  Modal,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconMail, IconPencil, IconTrash } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../../api/client.js';
import { useEntity } from '../../api/queries.js';
import type { Contact } from '../../api/types.js';
import { BlockedNumbersNotice, BlockNumberButton } from '../../components/BlockNumberButton.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { InlineEdit } from '../../components/InlineEdit.js';
import { PageHeader } from '../../components/PageHeader.js';
import { PhoneLink } from '../../components/PhoneLink.js';
import { EntityName, UserName } from '../../components/pickers.js';
import { RecordCalls } from '../../components/RecordCalls.js';
import { SubjectTasks } from '../../components/TaskList.js';
import { RecordTimeline } from '../../components/Timeline.js';
import { labelText } from '../../i18n/labels.js';
import { useT } from '../../i18n/useT.js';
import { formatDateTime } from '../../lib/format.js';
import { EraseContactRecordingsButton } from '../calls/EraseContactRecordingsButton.js';
import { ContactRelated } from './ContactRelated.js';
import { contactErrorPath } from './contact-error-path.js';
import { DuplicateWarning } from './DuplicateWarning.js';

/** A contact's page: details, phones, timeline with notes, and tasks. */
export function ContactPage() {
  const { id = '' } = useParams();
  const { t, locale } = useT();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const contact = useEntity<Contact>('contacts', id);
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation({
    mutationFn: () => api.delete(`/contacts/${id}`),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['contacts'] });
      notifications.show({ color: 'green', message: t('common.deleted') });
      navigate('/contacts');
    },
  });

  if (contact.isPending) {
    return <Loader />;
  }
  if (contact.error || !contact.data) {
    return <ErrorAlert error={contact.error} />;
  }
  const c = contact.data;

  return (
    <>
      <PageHeader
        title={<span data-testid="contact-name">{c.displayName}</span>}
        subtitle={
          c.companyId ? (
            <Anchor component={Link} to={`/companies/${c.companyId}`} size="sm">
              {c.company?.name ?? <EntityName entity="companies" id={c.companyId} />}
            </Anchor>
          ) : undefined
        }
        actions={
          <>
            <Button
              component={Link}
              to={`/contacts/${id}/edit`}
              variant="default"
              leftSection={<IconPencil size={16} />}
            >
              {t('common.edit')}
            </Button>
            <Button
              variant="subtle"
              color="red"
              leftSection={<IconTrash size={16} />}
              onClick={() => setConfirming(true)}
            >
              {t('common.delete')}
            </Button>
            <EraseContactRecordingsButton contactId={id} />
          </>
        }
      />
      <DuplicateWarning values={c} excludeId={c.id} />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="md">
            <Card withBorder radius="md" padding="lg">
              <Stack gap="sm">
                <SimpleGrid cols={2} spacing="sm">
                  <InlineEdit
                    label={t('contact.firstName')}
                    testId="inline-first-name"
                    entity="contacts"
                    id={c.id}
                    value={c.firstName}
                    display={c.firstName}
                    editor={{ kind: 'text' }}
                    toBody={(value) => ({ firstName: (value ?? '').trim() })}
                    fields={['firstName', 'lastName']}
                  />
                  <InlineEdit
                    label={t('contact.lastName')}
                    testId="inline-last-name"
                    entity="contacts"
                    id={c.id}
                    value={c.lastName}
                    display={c.lastName}
                    editor={{ kind: 'text' }}
                    toBody={(value) => ({ lastName: (value ?? '').trim() })}
                    fields={['firstName', 'lastName']}
                  />
                </SimpleGrid>
                <div>
                  {c.doNotCall && (
                    <Badge color="red" variant="light" style={{ float: 'right' }}>
                      {t('contact.doNotCall')}
                    </Badge>
                  )}
                  {/* The pencil edits the main number; every number is edited on the edit page. */}
                  <InlineEdit
                    label={t('contact.phones')}
                    testId="inline-phone"
                    entity="contacts"
                    id={c.id}
                    value={c.phones[0]?.raw ?? ''}
                    editor={{ kind: 'text', type: 'tel' }}
                    toBody={(value) => ({
                      phones: [
                        ...(value?.trim()
                          ? [{ raw: value.trim(), label: c.phones[0]?.label ?? 'mobile' }]
                          : []),
                        ...c.phones.slice(1).map((p) => ({ raw: p.raw, label: p.label })),
                      ],
                    })}
                    fields={['phones.*.raw', 'phones']}
                    rename={contactErrorPath}
                    display={
                      <Stack gap={4} mt={4} data-testid="contact-phones">
                        {c.phones.length === 0 && <Text c="dimmed">—</Text>}
                        {c.phones.map((p) => (
                          <Group key={p.id} gap={4} justify="space-between" wrap="wrap">
                            <PhoneLink
                              raw={p.raw}
                              e164={p.e164}
                              label={p.label ? labelText(t, p.label) : undefined}
                              doNotCall={c.doNotCall}
                              contactId={c.id}
                            />
                            {p.e164 && <BlockNumberButton number={p.e164} />}
                          </Group>
                        ))}
                      </Stack>
                    }
                  />
                  <BlockedNumbersNotice
                    numbers={c.phones.map((p) => p.e164).filter((n): n is string => Boolean(n))}
                  />
                </div>
                <InlineEdit
                  label={t('contact.emails')}
                  testId="inline-email"
                  entity="contacts"
                  id={c.id}
                  value={c.emails[0]?.email ?? ''}
                  editor={{ kind: 'text', type: 'email' }}
                  toBody={(value) => ({
                    emails: [
                      ...(value?.trim()
                        ? [{ email: value.trim(), label: c.emails[0]?.label ?? 'work' }]
                        : []),
                      ...c.emails.slice(1).map((e) => ({ email: e.email, label: e.label })),
                    ],
                  })}
                  fields={['emails.*.email', 'emails']}
                  rename={contactErrorPath}
                  display={
                    <Stack gap={4} mt={4}>
                      {c.emails.length === 0 && <Text c="dimmed">—</Text>}
                      {c.emails.map((e) => (
                        <Group key={e.id} gap={6} wrap="nowrap">
                          <IconMail size={15} color="var(--mantine-color-dimmed)" style={{ flexShrink: 0 }} />
                          <Anchor
                            href={`mailto:${e.email}`}
                            size="sm"
                            style={{ minWidth: 0, overflowWrap: 'anywhere' }}
                          >
                            {e.email}
                          </Anchor>
                          <Text span size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                            {e.label ? labelText(t, e.label) : ''}
                          </Text>
                        </Group>
                      ))}
                    </Stack>
                  }
                />
                <InlineEdit
                  label={t('common.responsible')}
                  testId="inline-responsible"
                  entity="contacts"
                  id={c.id}
                  value={c.responsibleUserId}
                  editor={{ kind: 'user' }}
                  toBody={(value) => ({ responsibleUserId: value })}
                  fields={['responsibleUserId']}
                  display={
                    c.responsibleUser?.name ??
                    (c.responsibleUserId ? <UserName id={c.responsibleUserId} /> : '')
                  }
                />
                {c.notes && (
                  <div>
                    <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                      {t('common.notes')}
                    </Text>
                    <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                      {c.notes}
                    </Text>
                  </div>
                )}
                <Text size="xs" c="dimmed">
                  {t('common.createdAt', { date: formatDateTime(c.createdAt, locale) })} ·{' '}
                  {t('common.updatedAt', { date: formatDateTime(c.updatedAt, locale) })}
                </Text>
              </Stack>
            </Card>
            <ContactRelated contactId={id} />
            <RecordCalls contactId={id} />
            <SubjectTasks subjectType="contact" subjectId={id} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <RecordTimeline entity="contacts" id={id} />
        </Grid.Col>
      </Grid>
      <Modal
        opened={confirming}
        onClose={() => setConfirming(false)}
        title={<Title order={4}>{t('common.confirmDelete')}</Title>}
      >
        <Text size="sm" mb="md">
          {t('contact.deleteBody', { name: c.displayName })}
        </Text>
        <ErrorAlert error={remove.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={() => setConfirming(false)}>
            {t('common.cancel')}
          </Button>
          <Button color="red" loading={remove.isPending} onClick={() => remove.mutate()}>
            {t('common.delete')}
          </Button>
        </Group>
      </Modal>
    </>
  );
}
