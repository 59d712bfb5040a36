import { Badge, Button, Group, Kbd, Loader, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { Spotlight, spotlight } from '@mantine/spotlight';
import { IconAddressBook, IconBuilding, IconCoin, IconSearch, IconTargetArrow } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../api/client.js';
import type { SearchResult } from '../api/types.js';
import { useT } from '../i18n/useT.js';

/** The header button that opens the global search (also Ctrl+K / ⌘K). */
export function SearchButton() {
  const { t } = useT();
  return (
    <Button
      variant="default"
      size="compact-md"
      leftSection={<IconSearch size={16} />}
      rightSection={
        <Kbd size="xs" visibleFrom="md">
          Ctrl K
        </Kbd>
      }
      onClick={() => spotlight.open()}
      aria-label={t('search.open')}
      data-testid="global-search"
      fw={400}
      c="dimmed"
    >
      <Text size="sm" visibleFrom="sm">
        {t('search.placeholder')}
      </Text>
    </Button>
  );
}

/** Spotlight searching contacts, companies, leads and deals on the server (name, company, any phone format, email). */
export function GlobalSearch() {
  const { t } = useT();
  const navigate = useNavigate();
  const [query, setQuery] = useState('');
  const [debounced] = useDebouncedValue(query.trim(), 200);
  const search = useQuery({
    queryKey: ['search', debounced],
    queryFn: ({ signal }) => api.get<SearchResult>('/search', { q: debounced }, signal),
    enabled: debounced.length >= 2,
    staleTime: 10_000,
  });

  const groups: {
    key: string;
    label: string;
    items: { id: string; to: string; title: string; hint?: string }[];
  }[] = [];
  const data = search.data;
  if (data && debounced.length >= 2) {
    groups.push(
      {
        key: 'contacts',
        label: t('nav.contacts'),
        items: data.contacts.map((c) => ({
          id: c.id,
          to: `/contacts/${c.id}`,
          title: c.displayName,
          hint: [c.company?.name, c.phones[0]?.raw, c.emails[0]?.email].filter(Boolean).join(' · '),
        })),
      },
      {
        key: 'companies',
        label: t('nav.companies'),
        items: data.companies.map((c) => ({
          id: c.id,
          to: `/companies/${c.id}`,
          title: c.name,
          hint: c.website,
        })),
      },
      {
        key: 'leads',
        label: t('nav.leads'),
        items: data.leads.map((l) => ({
          id: l.id,
          to: `/leads/${l.id}`,
          title: l.title,
          hint: t(`lead.status.${l.status}`),
        })),
      },
      {
        key: 'deals',
        label: t('nav.deals'),
        items: data.deals.map((d) => ({ id: d.id, to: `/deals/${d.id}`, title: d.title })),
      },
    );
  }
  const icons: Record<string, ReactNode> = {
    contacts: <IconAddressBook size={18} />,
    companies: <IconBuilding size={18} />,
    leads: <IconTargetArrow size={18} />,
    deals: <IconCoin size={18} />,
  };
  const found = groups.some((g) => g.items.length > 0);

  return (
    <Spotlight.Root
      query={query}
      onQueryChange={setQuery}
      shortcut={['mod + K', '/']}
      scrollable
      maxHeight={480}
    >
      <Spotlight.Search
        placeholder={t('search.placeholder')}
        leftSection={search.isFetching ? <Loader size={16} /> : <IconSearch size={18} />}
        data-testid="global-search-input"
      />
      <Spotlight.ActionsList>
        {groups
          .filter((g) => g.items.length > 0)
          .map((group) => (
            <Spotlight.ActionsGroup key={group.key} label={group.label}>
              {group.items.map((item) => (
                <Spotlight.Action key={item.id} onClick={() => navigate(item.to)} data-testid="search-result">
                  <Group wrap="nowrap" gap="sm">
                    {icons[group.key]}
                    <div>
                      <Text size="sm">{item.title}</Text>
                      {item.hint && (
                        <Text size="xs" c="dimmed">
                          {item.hint}
                        </Text>
                      )}
                    </div>
                  </Group>
                </Spotlight.Action>
              ))}
            </Spotlight.ActionsGroup>
          ))}
        {!found && (
          <Spotlight.Empty>
            {debounced.length < 2 ? (
              <Group gap={6} justify="center">
                <Text size="sm" c="dimmed">
                  {t('search.hint')}
                </Text>
                <Badge variant="light">06 12 34 56 78</Badge>
              </Group>
            ) : search.isFetching ? (
              <Loader size="sm" />
            ) : (
              t('search.nothing')
            )}
          </Spotlight.Empty>
        )}
      </Spotlight.ActionsList>
    </Spotlight.Root>
  );
}
