import {
  Alert,
  Anchor,
  Badge,
  Button,
  Center,
  Group,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from '../api/client.js';
import { meKey } from '../api/queries.js';
import type { DemoAccounts, User } from '../api/types.js';
import { activateLocale } from '../i18n/i18n.js';
import { useT } from '../i18n/useT.js';
import { apiErrorMessage } from '../lib/api-error-message.js';
import { LanguageMenu } from '../shell/LanguageMenu.js';
import { Logo } from '../shell/Logo.js';

/** The sign-in page; shown on any URL while signed out, so a deep link still works after signing in. */
export function SignInPage() {
  const { t } = useT();
  const queryClient = useQueryClient();
  const form = useForm({
    initialValues: { email: '', password: '' },
    validate: {
      email: (value) => (/^\S+@\S+$/.test(value) ? null : t('signIn.emailInvalid')),
      password: (value) => (value ? null : t('signIn.passwordRequired')),
    },
  });
  const login = useMutation({
    mutationFn: (values: { email: string; password: string }) =>
      api.post<{ user: User }>('/auth/login', values),
    onSuccess: ({ user }) => {
      activateLocale(user.locale);
      queryClient.setQueryData(meKey, user);
    },
  });
  // Demo mode only (the server answers 404 otherwise): the accounts, one click fills the form.
  const demo = useQuery({
    queryKey: ['demo', 'accounts'],
    queryFn: ({ signal }) => api.get<DemoAccounts>('/demo/accounts', undefined, signal),
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
  });
  const error = login.error;
  const message =
    error instanceof ApiError
      ? error.code === 'SB_ERR_RATE_LIMITED'
        ? t('signIn.rateLimited')
        : error.status === 401 || error.status === 400
          ? t('signIn.wrongCredentials')
          : apiErrorMessage(error)
      : error
        ? apiErrorMessage(error)
        : null;

  return (
    <Center mih="100vh" p="md" bg="var(--mantine-color-gray-0)">
      <Stack w="100%" maw={400} gap="lg">
        <Group justify="space-between">
          <Logo />
          <LanguageMenu />
        </Group>
        <Paper withBorder shadow="sm" p="xl" radius="lg">
          <form onSubmit={form.onSubmit((values) => login.mutate(values))} noValidate>
            <Stack>
              <div>
                <Title order={2}>{t('signIn.title')}</Title>
                <Text c="dimmed" size="sm">
                  {t('signIn.subtitle')}
                </Text>
              </div>
              {message && (
                <Alert color="red" icon={<IconAlertCircle size={18} />} role="alert">
                  {message}
                </Alert>
              )}
              <TextInput
                label={t('signIn.email')}
                type="email"
                autoComplete="username"
                name="email"
                required
                autoFocus
                {...form.getInputProps('email')}
              />
              <PasswordInput
                label={t('signIn.password')}
                autoComplete="current-password"
                name="password"
                required
                {...form.getInputProps('password')}
              />
              <Button type="submit" loading={login.isPending} fullWidth>
                {t('signIn.submit')}
              </Button>
            </Stack>
          </form>
        </Paper>
        {demo.data && (
          <Paper withBorder p="md" radius="lg" data-testid="demo-accounts">
            <Stack gap="xs">
              <div>
                <Text fw={600}>{t('signIn.demoTitle')}</Text>
                <Text size="sm" c="dimmed">
                  {t('signIn.demoHint', { password: demo.data.password })}
                </Text>
              </div>
              {demo.data.accounts.map((account) => (
                <Button
                  key={account.email}
                  variant="default"
                  justify="space-between"
                  fullWidth
                  rightSection={
                    <Badge variant="light" color={account.role === 'admin' ? 'grape' : 'blue'}>
                      {t(`role.${account.role}`)} · {account.locale.toUpperCase()}
                    </Badge>
                  }
                  onClick={() => form.setValues({ email: account.email, password: demo.data.password })}
                >
                  {account.email}
                </Button>
              ))}
            </Stack>
          </Paper>
        )}
        <Text size="xs" c="dimmed" ta="center">
          {t('signIn.footer')}{' '}
          <Anchor href="/api/docs" size="xs">
            API
          </Anchor>
        </Text>
      </Stack>
    </Center>
  );
}
