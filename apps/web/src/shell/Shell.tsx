import {
  AppShell,
  Avatar,
  Burger,
  Group,
  Menu,
  NavLink,
  ScrollArea,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import {
  IconAddressBook,
  IconBuilding,
  IconCalendarCheck,
  IconChartBar,
  IconChevronDown,
  IconCoin,
  IconHeadphones,
  IconInbox,
  IconLayoutDashboard,
  IconListCheck,
  IconLogout,
  IconPhone,
  IconPhoneCall,
  IconPhoneX,
  IconSettings,
  IconTargetArrow,
  IconUserCircle,
  IconUserQuestion,
  IconUsers,
} from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { type ComponentType, type ReactNode, useState } from 'react';
import { Link, Outlet, useLocation } from 'react-router';
import { api } from '../api/client.js';
import { meKey } from '../api/queries.js';
import type { User } from '../api/types.js';
import { useT } from '../i18n/useT.js';
import { LiveEventsProvider } from '../live/LiveEventsProvider.js';
import { CallSlot } from './CallSlot.js';
import { GlobalSearch, SearchButton } from './GlobalSearch.js';
import { LanguageMenu } from './LanguageMenu.js';
import { Logo } from './Logo.js';
import { MissedCallsBadge } from './MissedCallsBadge.js';
import { ProfileModal } from './ProfileModal.js';

interface NavItem {
  to: string;
  label: string;
  icon: ComponentType<{ size?: number; stroke?: number }>;
  /** e.g. how many missed calls wait. */
  right?: ReactNode;
}

/** The signed-in frame: header (search, language, user), navigation (burger below `sm`), call slot, page. */
export function Shell({ user }: { user: User }) {
  const { t } = useT();
  const [opened, { toggle, close }] = useDisclosure(false);
  const location = useLocation();
  const queryClient = useQueryClient();
  const [profileOpen, setProfileOpen] = useState(false);

  const main: NavItem[] = [
    { to: '/', label: t('nav.dashboard'), icon: IconLayoutDashboard },
    { to: '/contacts', label: t('nav.contacts'), icon: IconAddressBook },
    { to: '/companies', label: t('nav.companies'), icon: IconBuilding },
    { to: '/leads', label: t('nav.leads'), icon: IconTargetArrow },
    { to: '/deals', label: t('nav.deals'), icon: IconCoin },
    { to: '/tasks', label: t('nav.tasks'), icon: IconCalendarCheck },
    { to: '/calls', label: t('nav.calls'), icon: IconPhoneCall },
    { to: '/new-callers', label: t('nav.newCallers'), icon: IconUserQuestion },
    { to: '/missed-calls', label: t('nav.missedCalls'), icon: IconPhoneX, right: <MissedCallsBadge /> },
    { to: '/statistics', label: t('nav.statistics'), icon: IconChartBar },
  ];
  const admin: NavItem[] = [
    { to: '/admin/users', label: t('nav.users'), icon: IconUsers },
    { to: '/admin/settings', label: t('nav.settings'), icon: IconSettings },
    { to: '/admin/telephony', label: t('nav.telephony'), icon: IconPhone },
    { to: '/admin/inbox', label: t('nav.inbox'), icon: IconInbox },
    { to: '/admin/jobs', label: t('jobs.nav'), icon: IconListCheck },
    { to: '/admin/recordings-audit', label: t('rec.audit.nav'), icon: IconHeadphones },
  ];
  const isActive = (to: string) =>
    to === '/'
      ? location.pathname === '/'
      : location.pathname === to || location.pathname.startsWith(`${to}/`);

  async function signOut(everywhere: boolean) {
    try {
      await api.post(everywhere ? '/auth/logout-everywhere' : '/auth/logout');
    } finally {
      queryClient.clear();
      queryClient.setQueryData(meKey, null);
    }
  }

  const renderItem = (item: NavItem) => (
    <NavLink
      key={item.to}
      component={Link}
      to={item.to}
      label={item.label}
      leftSection={<item.icon size={18} stroke={1.7} />}
      rightSection={item.right}
      active={isActive(item.to)}
      onClick={close}
      data-testid={`nav-${item.to === '/' ? 'dashboard' : item.to.slice(1).replace('/', '-')}`}
    />
  );

  return (
    <LiveEventsProvider>
      <AppShell
        header={{ height: 56 }}
        navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
        padding="md"
      >
        <AppShell.Header>
          <Group h="100%" px="md" justify="space-between" wrap="nowrap">
            <Group gap="sm" wrap="nowrap">
              <Burger
                opened={opened}
                onClick={toggle}
                hiddenFrom="sm"
                size="sm"
                aria-label={t('shell.menu')}
              />
              <Link to="/" style={{ textDecoration: 'none', color: 'inherit' }}>
                <Logo />
              </Link>
            </Group>
            <Group gap="xs" wrap="nowrap">
              <SearchButton />
              <LanguageMenu user={user} />
              <Menu position="bottom-end" withinPortal>
                <Menu.Target>
                  <UnstyledButton aria-label={t('shell.userMenu')} data-testid="user-menu">
                    <Group gap={6} wrap="nowrap">
                      <Avatar size={30} radius="xl" color="blue" name={user.name} />
                      <Text size="sm" fw={500} visibleFrom="md">
                        {user.name}
                      </Text>
                      <IconChevronDown size={14} />
                    </Group>
                  </UnstyledButton>
                </Menu.Target>
                <Menu.Dropdown>
                  <Menu.Label>
                    {user.email} · {t(`role.${user.role}`)}
                  </Menu.Label>
                  <Menu.Item leftSection={<IconUserCircle size={16} />} onClick={() => setProfileOpen(true)}>
                    {t('profile.title')}
                  </Menu.Item>
                  <Menu.Divider />
                  <Menu.Item
                    leftSection={<IconLogout size={16} />}
                    onClick={() => void signOut(false)}
                    data-testid="sign-out"
                  >
                    {t('shell.signOut')}
                  </Menu.Item>
                  <Menu.Item leftSection={<IconLogout size={16} />} onClick={() => void signOut(true)}>
                    {t('shell.signOutEverywhere')}
                  </Menu.Item>
                </Menu.Dropdown>
              </Menu>
            </Group>
          </Group>
        </AppShell.Header>

        <AppShell.Navbar p="xs">
          <AppShell.Section grow component={ScrollArea}>
            {main.map(renderItem)}
            {user.role === 'admin' && (
              <>
                <Text size="xs" c="dimmed" fw={600} tt="uppercase" px="sm" mt="md" mb={4}>
                  {t('nav.admin')}
                </Text>
                {admin.map(renderItem)}
              </>
            )}
          </AppShell.Section>
        </AppShell.Navbar>

        <AppShell.Main>
          <CallSlot user={user} />
          <Outlet />
        </AppShell.Main>
        <GlobalSearch />
        {profileOpen && <ProfileModal user={user} onClose={() => setProfileOpen(false)} />}
      </AppShell>
    </LiveEventsProvider>
  );
}
