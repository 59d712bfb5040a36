import { Button, Group, Modal, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api/client.js';
import { meKey } from '../api/queries.js';
import type { User } from '../api/types.js';
import { FormErrors } from '../components/FormErrors.js';
import { useT } from '../i18n/useT.js';
import { mapServerErrors } from '../lib/form-errors.js';

type ProfileValues = { name: string; currentPassword: string; password: string };

/** The signed-in user's own name and password (PATCH /api/auth/me). */
export function ProfileModal({ user, onClose }: { user: User; onClose: () => void }) {
  const { t } = useT();
  const queryClient = useQueryClient();
  const [formErrors, setFormErrors] = useState<string[]>([]);
  const form = useForm<ProfileValues>({
    initialValues: { name: user.name, currentPassword: '', password: '' },
    validate: {
      name: (value) => (value.trim() ? null : t('users.validation.nameRequired')),
      password: (value) => (value === '' || value.length >= 8 ? null : t('users.validation.passwordShort')),
      currentPassword: (value, values) => (values.password && !value ? t('profile.currentRequired') : null),
    },
  });
  const save = useMutation({
    mutationFn: (values: ProfileValues) =>
      api.patch<{ user: User }>('/auth/me', {
        name: values.name.trim(),
        ...(values.password ? { password: values.password, currentPassword: values.currentPassword } : {}),
      }),
    onMutate: () => setFormErrors([]),
    onSuccess: ({ user: saved }) => {
      queryClient.setQueryData(meKey, saved);
      notifications.show({ color: 'green', message: t('common.saved') });
      onClose();
    },
    onError: (error) => {
      const { fieldErrors, rest } = mapServerErrors(error, ['name', 'password', 'currentPassword']);
      form.setErrors(fieldErrors);
      setFormErrors(rest);
    },
  });
  return (
    <Modal opened onClose={onClose} title={t('profile.title')}>
      <form onSubmit={form.onSubmit((values) => save.mutate(values))} noValidate>
        <Stack>
          <FormErrors messages={formErrors} />
          <TextInput label={t('profile.name')} required {...form.getInputProps('name')} />
          <Text size="sm" fw={600} mt="xs">
            {t('profile.changePassword')}
          </Text>
          <PasswordInput
            label={t('profile.currentPassword')}
            autoComplete="current-password"
            {...form.getInputProps('currentPassword')}
          />
          <PasswordInput
            label={t('profile.newPassword')}
            description={t('profile.passwordHint')}
            autoComplete="new-password"
            {...form.getInputProps('password')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
