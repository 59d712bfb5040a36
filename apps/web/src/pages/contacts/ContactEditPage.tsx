import {
  Alert,
  Button,
  Card,
  Loader,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { api } from '../../api/client.js';
import { useEntity, useMe } from '../../api/queries.js';
import type { Contact, ContactInput } from '../../api/types.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { PageHeader } from '../../components/PageHeader.js';
import { EntitySelect, UserSelect } from '../../components/pickers.js';
import { RepeatableFields } from '../../components/RepeatableFields.js';
import { useT } from '../../i18n/useT.js';
import { mapServerErrors } from '../../lib/form-errors.js';
import { contactErrorPath } from './contact-error-path.js';
import { DuplicateWarning } from './DuplicateWarning.js';

const PHONE_LABELS = ['mobile', 'work', 'home', 'other'] as const;
const EMAIL_LABELS = ['work', 'home', 'other'] as const;
const FIELDS = [
  'firstName',
  'lastName',
  'companyId',
  'responsibleUserId',
  'notes',
  'doNotCall',
  'phones.*.raw',
  'phones.*.label',
  'emails.*.email',
  'emails.*.label',
];

function toInput(contact: Contact | undefined, meId: string | null, phone = ''): ContactInput {
  return {
    firstName: contact?.firstName ?? '',
    lastName: contact?.lastName ?? '',
    companyId: contact?.companyId ?? null,
    responsibleUserId: contact ? contact.responsibleUserId : meId,
    phones: contact?.phones.map((p) => ({ raw: p.raw, label: p.label || 'mobile' })) ?? [
      { raw: phone, label: 'mobile' },
    ],
    emails: contact?.emails.map((e) => ({ email: e.email, label: e.label || 'work' })) ?? [
      { email: '', label: 'work' },
    ],
    notes: contact?.notes ?? '',
    doNotCall: contact?.doNotCall ?? false,
  };
}

/** Create (`/contacts/new`) or edit (`/contacts/:id/edit`) a contact, with the server's messages under each field. */
export function ContactEditPage() {
  const { id } = useParams();
  const { t } = useT();
  const me = useMe();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const existing = useEntity<Contact>('contacts', id);
  // `/contacts/new?phone=…` comes from the call popup of an unknown caller.
  const [search] = useSearchParams();
  const [formErrors, setFormErrors] = useState<string[]>([]);

  const form = useForm<ContactInput>({
    initialValues: toInput(undefined, me.data?.id ?? null, search.get('phone') ?? ''),
    validate: {
      firstName: (value, values) =>
        value.trim() || values.lastName.trim() ? null : t('contact.validation.nameRequired'),
      phones: {
        raw: (value) =>
          value.trim() === '' || /\d{2,}/.test(value.replace(/\D/g, ''))
            ? null
            : t('contact.validation.phoneInvalid'),
      },
      emails: {
        email: (value) =>
          value.trim() === '' || /^\S+@\S+\.\S+$/.test(value.trim())
            ? null
            : t('contact.validation.emailInvalid'),
      },
    },
  });

  const loaded = existing.data;
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset the form once when the contact arrives
  useEffect(() => {
    if (loaded) {
      form.setValues(toInput(loaded, null));
      form.resetDirty();
    }
  }, [loaded]);

  const save = useMutation({
    mutationFn: (values: ContactInput) => {
      const body: ContactInput = {
        ...values,
        firstName: values.firstName.trim(),
        lastName: values.lastName.trim(),
        phones: values.phones.filter((p) => p.raw.trim()).map((p) => ({ raw: p.raw.trim(), label: p.label })),
        emails: values.emails
          .filter((e) => e.email.trim())
          .map((e) => ({ email: e.email.trim(), label: e.label })),
      };
      return id ? api.patch<Contact>(`/contacts/${id}`, body) : api.post<Contact>('/contacts', body);
    },
    onSuccess: async (contact) => {
      await queryClient.invalidateQueries({ queryKey: ['contacts'] });
      notifications.show({ color: 'green', message: id ? t('common.saved') : t('contact.created') });
      navigate(`/contacts/${contact.id}`);
    },
    onError: (error) => {
      const { fieldErrors, rest } = mapServerErrors(error, FIELDS, contactErrorPath);
      form.setErrors(fieldErrors);
      setFormErrors(rest);
    },
  });

  if (id && existing.isPending) {
    return <Loader />;
  }
  if (id && existing.error) {
    return <ErrorAlert error={existing.error} />;
  }

  const labelOptions = (labels: readonly string[]) =>
    labels.map((l) => ({ value: l, label: t(`label.${l}`) }));

  return (
    <form
      onSubmit={form.onSubmit((values) => {
        setFormErrors([]);
        save.mutate(values);
      })}
      noValidate
    >
      <PageHeader
        title={id ? t('contact.edit') : t('contact.new')}
        actions={
          <>
            <Button variant="default" component={Link} to={id ? `/contacts/${id}` : '/contacts'}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending} data-testid="save-contact">
              {t('common.save')}
            </Button>
          </>
        }
      />
      {formErrors.length > 0 && (
        <Alert
          color="red"
          icon={<IconAlertCircle size={18} />}
          mb="md"
          role="alert"
          title={t('common.fixErrors')}
        >
          {formErrors.map((message) => (
            <Text key={message} size="sm">
              {message}
            </Text>
          ))}
        </Alert>
      )}
      <DuplicateWarning values={form.values} excludeId={id} />
      <Stack gap="md" maw={860}>
        <Card withBorder radius="md" padding="lg">
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('contact.firstName')} name="firstName" {...form.getInputProps('firstName')} />
            <TextInput label={t('contact.lastName')} name="lastName" {...form.getInputProps('lastName')} />
            <EntitySelect
              entity="companies"
              label={t('contact.company')}
              initialLabel={loaded?.company?.name}
              {...form.getInputProps('companyId')}
              value={form.values.companyId}
              onChange={(value) => form.setFieldValue('companyId', value)}
            />
            <UserSelect
              assignable
              label={t('common.responsible')}
              {...form.getInputProps('responsibleUserId')}
              value={form.values.responsibleUserId}
              onChange={(value) => form.setFieldValue('responsibleUserId', value)}
            />
          </SimpleGrid>
        </Card>

        <RepeatableFields
          form={form}
          path="phones"
          items={form.values.phones}
          valueKey="raw"
          title={t('contact.phones')}
          inputLabel={t('contact.phone')}
          placeholder="+33 6 12 34 56 78"
          type="tel"
          labelOptions={labelOptions(PHONE_LABELS)}
          newItem={{ raw: '', label: 'mobile' }}
          addLabel={t('contact.addPhone')}
        >
          <Switch label={t('contact.doNotCall')} {...form.getInputProps('doNotCall', { type: 'checkbox' })} />
        </RepeatableFields>

        <RepeatableFields
          form={form}
          path="emails"
          items={form.values.emails}
          valueKey="email"
          title={t('contact.emails')}
          inputLabel={t('contact.email')}
          placeholder="name@example.com"
          type="email"
          labelOptions={labelOptions(EMAIL_LABELS)}
          newItem={{ email: '', label: 'work' }}
          addLabel={t('contact.addEmail')}
        />

        <Card withBorder radius="md" padding="lg">
          <Textarea label={t('common.notes')} autosize minRows={3} {...form.getInputProps('notes')} />
        </Card>
      </Stack>
    </form>
  );
}
