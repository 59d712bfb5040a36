import { Button, Menu } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconLanguage } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client.js';
import { meKey } from '../api/queries.js';
import type { Locale, User } from '../api/types.js';
import { activateLocale, LOCALE_NAMES, LOCALES } from '../i18n/i18n.js';
import { useT } from '../i18n/useT.js';
import { apiErrorMessage } from '../lib/api-error-message.js';

/** Language switch. Signed in, the choice is saved on the user (PATCH /api/auth/me) and follows them everywhere. */
export function LanguageMenu({ user }: { user?: User }) {
  const { t, locale } = useT();
  const queryClient = useQueryClient();

  async function choose(next: Locale) {
    activateLocale(next);
    if (!user) {
      return;
    }
    try {
      const result = await api.patch<{ user: User }>('/auth/me', { locale: next });
      queryClient.setQueryData(meKey, result.user);
    } catch (error) {
      notifications.show({ color: 'red', message: apiErrorMessage(error) });
    }
  }

  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button
          variant="subtle"
          color="gray"
          size="compact-sm"
          leftSection={<IconLanguage size={16} />}
          aria-label={t('shell.language')}
          data-testid="language-menu"
        >
          {locale.toUpperCase()}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        {LOCALES.map((code) => (
          <Menu.Item
            key={code}
            onClick={() => void choose(code)}
            fw={code === locale ? 700 : undefined}
            data-testid={`language-${code}`}
          >
            {LOCALE_NAMES[code]}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
