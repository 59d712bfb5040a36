import { Anchor, Badge, Group, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { ContactCard } from '../../api/types.js';
import { useT } from '../../i18n/useT.js';
import { formatDateTime, formatDuration, formatMoney } from '../../lib/format.js';
import { callStatusLabel } from '../../live/call-labels.js';

/** A known caller: the contact, their company and responsible user, open deals and tasks, last calls. */
export function CallContactSummary({ contact }: { contact: ContactCard }) {
  const { t, locale } = useT();
  return (
    <Stack gap={4} data-testid="popup-contact">
      <Group gap="xs" wrap="nowrap">
        <Anchor component={Link} to={`/contacts/${contact.id}`} fw={600} data-testid="popup-contact-name">
          {contact.displayName}
        </Anchor>
        {contact.doNotCall && (
          <Badge color="red" size="xs" variant="light">
            {t('contact.doNotCall')}
          </Badge>
        )}
      </Group>
      {contact.company && (
        <Anchor component={Link} to={`/companies/${contact.company.id}`} size="sm">
          {contact.company.name}
        </Anchor>
      )}
      {contact.responsibleUser && (
        <Text size="xs" c="dimmed">
          {t('common.responsible')}: {contact.responsibleUser.name}
        </Text>
      )}
      {contact.openDeals.length > 0 && (
        <Section title={t('popup.openDeals')}>
          {contact.openDeals.slice(0, 3).map((deal) => (
            <Group key={deal.id} justify="space-between" gap="xs" wrap="nowrap">
              <Anchor component={Link} to={`/deals/${deal.id}`} size="sm" truncate>
                {deal.title}
              </Anchor>
              <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                {formatMoney(deal.amount, deal.currency, locale)} · {deal.stageName}
              </Text>
            </Group>
          ))}
        </Section>
      )}
      {contact.openTasks.length > 0 && (
        <Section title={t('popup.openTasks')}>
          {contact.openTasks.slice(0, 3).map((task) => (
            <Text key={task.id} size="sm" truncate>
              {task.title}
              {task.dueAt && (
                <Text span size="xs" c="dimmed">
                  {' '}
                  · {formatDateTime(task.dueAt, locale)}
                </Text>
              )}
            </Text>
          ))}
        </Section>
      )}
      {contact.lastCalls.length > 0 && (
        <Section title={t('popup.lastCalls')}>
          {contact.lastCalls.slice(0, 3).map((call) => (
            <Text key={call.id} size="xs">
              {call.direction === 'in' ? '↙' : '↗'} {formatDateTime(call.startedAt, locale)} ·{' '}
              {callStatusLabel(t, call.status)}
              {call.duration ? ` · ${formatDuration(call.duration)}` : ''}
            </Text>
          ))}
        </Section>
      )}
    </Stack>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} mt={4}>
        {title}
      </Text>
      {children}
    </div>
  );
}
