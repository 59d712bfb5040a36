import {
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  PasswordInput,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client.js';
import { useMe } from '../../api/queries.js';
import type { Locale, Role, User } from '../../api/types.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { FormErrors } from '../../components/FormErrors.js';
import { PageHeader } from '../../components/PageHeader.js';
import { LOCALE_NAMES, LOCALES } from '../../i18n/i18n.js';
import { useT } from '../../i18n/useT.js';
import { apiErrorMessage } from '../../lib/api-error-message.js';
import { mapServerErrors } from '../../lib/form-errors.js';
import { formatDate } from '../../lib/format.js';

/** Admin: the team — create users, change roles, disable accounts. */
export function UsersPage() {
  const { t, locale } = useT();
  const me = useMe();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const users = useQuery({
    queryKey: ['users', 'all'],
    queryFn: ({ signal }) => api.get<User[]>('/users', undefined, signal),
  });
  const update = useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: Partial<Pick<User, 'role' | 'disabled'>> }) =>
      api.patch<User>(`/users/${id}`, patch),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['users'] });
      notifications.show({ color: 'green', message: t('common.saved') });
    },
    onError: (error) => notifications.show({ color: 'red', message: apiErrorMessage(error) }),
  });
  const roles = (['admin', 'agent'] as const).map((r) => ({ value: r, label: t(`role.${r}`) }));
  const list = Array.isArray(users.data)
    ? users.data
    : ((users.data as unknown as { items?: User[] })?.items ?? []);

  return (
    <>
      <PageHeader
        title={t('nav.users')}
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
            {t('users.new')}
          </Button>
        }
      />
      <ErrorAlert error={users.error} />
      <Paper withBorder radius="md">
        <Table.ScrollContainer minWidth={560}>
          <Table verticalSpacing="sm" data-testid="users-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('users.name')}</Table.Th>
                <Table.Th>{t('users.role')}</Table.Th>
                <Table.Th>{t('users.active')}</Table.Th>
                <Table.Th>{t('common.created')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.map((user) => (
                <Table.Tr key={user.id}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {user.name}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {user.email}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Select
                      size="xs"
                      w={130}
                      data={roles}
                      value={user.role}
                      allowDeselect={false}
                      disabled={user.id === me.data?.id}
                      aria-label={t('users.role')}
                      onChange={(value) =>
                        value && update.mutate({ id: user.id, patch: { role: value as Role } })
                      }
                    />
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs">
                      <Switch
                        checked={!user.disabled}
                        disabled={user.id === me.data?.id}
                        aria-label={t('users.active')}
                        onChange={(event) =>
                          update.mutate({ id: user.id, patch: { disabled: !event.currentTarget.checked } })
                        }
                      />
                      {user.disabled && (
                        <Badge color="gray" variant="light">
                          {t('users.disabled')}
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>{formatDate(user.createdAt, locale)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      {creating && <CreateUserModal onClose={() => setCreating(false)} />}
    </>
  );
}

type NewUser = { email: string; name: string; role: Role; password: string; locale: Locale };

function CreateUserModal({ onClose }: { onClose: () => void }) {
  const { t, locale } = useT();
  const queryClient = useQueryClient();
  const [formErrors, setFormErrors] = useState<string[]>([]);
  const form = useForm<NewUser>({
    initialValues: { email: '', name: '', role: 'agent', password: '', locale },
    validate: {
      email: (value) => (/^\S+@\S+\.\S+$/.test(value) ? null : t('signIn.emailInvalid')),
      name: (value) => (value.trim() ? null : t('users.validation.nameRequired')),
      password: (value) => (value.length >= 8 ? null : t('users.validation.passwordShort')),
    },
  });
  const create = useMutation({
    mutationFn: (values: NewUser) => api.post<User>('/users', values),
    onMutate: () => setFormErrors([]),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['users'] });
      notifications.show({ color: 'green', message: t('users.created') });
      onClose();
    },
    onError: (error) => {
      const { fieldErrors, rest } = mapServerErrors(error, ['email', 'name', 'role', 'password', 'locale']);
      form.setErrors(fieldErrors);
      setFormErrors(rest);
    },
  });
  return (
    <Modal opened onClose={onClose} title={t('users.new')}>
      <form onSubmit={form.onSubmit((values) => create.mutate(values))} noValidate>
        <Stack>
          <FormErrors messages={formErrors} />
          <TextInput label={t('users.name')} required {...form.getInputProps('name')} />
          <TextInput label={t('signIn.email')} type="email" required {...form.getInputProps('email')} />
          <PasswordInput
            label={t('signIn.password')}
            required
            autoComplete="new-password"
            {...form.getInputProps('password')}
          />
          <Group grow>
            <Select
              label={t('users.role')}
              data={(['agent', 'admin'] as const).map((r) => ({ value: r, label: t(`role.${r}`) }))}
              allowDeselect={false}
              {...form.getInputProps('role')}
            />
            <Select
              label={t('shell.language')}
              data={LOCALES.map((l) => ({ value: l, label: LOCALE_NAMES[l] }))}
              allowDeselect={false}
              {...form.getInputProps('locale')}
            />
          </Group>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
