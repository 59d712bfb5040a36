import { Button, Center, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { Link, Outlet } from 'react-router';
import type { User } from '../api/types.js';
import { useT } from '../i18n/useT.js';

/** Renders admin pages for admins and a clear "no access" page for everyone else. */
export function RequireAdmin({ user }: { user: User }) {
  return user.role === 'admin' ? <Outlet /> : <NoAccessPage />;
}

function NoAccessPage() {
  const { t } = useT();
  return (
    <Center py="xl" data-testid="no-access">
      <Stack align="center" gap="sm" maw={420}>
        <ThemeIcon size={56} radius="xl" color="red" variant="light">
          <IconLock size={30} />
        </ThemeIcon>
        <Title order={2}>{t('noAccess.title')}</Title>
        <Text c="dimmed" ta="center">
          {t('noAccess.body')}
        </Text>
        <Button component={Link} to="/" variant="light">
          {t('common.backHome')}
        </Button>
      </Stack>
    </Center>
  );
}
