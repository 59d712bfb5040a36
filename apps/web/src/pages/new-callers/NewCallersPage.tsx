import { Badge, Button, Group, Menu, Modal, Stack, Table, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconChevronDown, IconUserCheck, IconUserX } from '@tabler/icons-react';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useDecideNewCaller, useNewCallers } from '../../api/after-call.js';
import type { NewCallerItem, NewCallerKind } from '../../api/types.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { PageHeader } from '../../components/PageHeader.js';
import { PhoneLink } from '../../components/PhoneLink.js';
import { EntitySelect } from '../../components/pickers.js';
import { useT } from '../../i18n/useT.js';
import { formatDateTime } from '../../lib/format.js';

const RECORD_PATH: Record<NewCallerKind, string> = { contact: '/contacts', lead: '/leads', deal: '/deals' };

/**
 * The new-callers inbox (issue 12, item 6; the Kommo model): numbers the CRM does not know wait here until someone
 * accepts one (a contact, lead or deal, theirs), merges it into an existing contact, or declines it; a spam hint
 * marks numbers whose calls were all very short. Why: junk never becomes a lead, and nobody types the number.
 */
export function NewCallersPage() {
  const { t, locale } = useT();
  const navigate = useNavigate();
  const callers = useNewCallers();
  const decide = useDecideNewCaller();
  const [merging, setMerging] = useState<NewCallerItem | null>(null);
  const [contactId, setContactId] = useState<string | null>(null);

  function accept(caller: NewCallerItem, kind: NewCallerKind) {
    decide.mutate(
      { decision: 'accept', number: caller.clientE164, kind },
      {
        onSuccess: (result) => {
          notifications.show({ color: 'green', message: t(`newCallers.accepted.${kind}`) });
          if (result.recordId) {
            navigate(`${RECORD_PATH[kind]}/${result.recordId}`);
          }
        },
      },
    );
  }

  function decline(caller: NewCallerItem) {
    decide.mutate(
      { decision: 'decline', number: caller.clientE164 },
      {
        onSuccess: () =>
          notifications.show({ message: t('newCallers.declined', { number: caller.clientE164 }) }),
      },
    );
  }

  function merge() {
    if (!merging || !contactId) {
      return;
    }
    decide.mutate(
      { decision: 'merge', number: merging.clientE164, contactId },
      {
        onSuccess: () => {
          notifications.show({
            color: 'green',
            message: t('newCallers.merged', { number: merging.clientE164 }),
          });
          setMerging(null);
          setContactId(null);
        },
      },
    );
  }

  const items = callers.data?.items ?? [];
  return (
    <>
      <PageHeader title={t('nav.newCallers')} subtitle={t('newCallers.subtitle')} />
      <ErrorAlert error={callers.error ?? decide.error} />
      <Table.ScrollContainer minWidth={640}>
        <Table verticalSpacing="sm" highlightOnHover data-testid="new-callers-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('newCallers.number')}</Table.Th>
              <Table.Th>{t('newCallers.calls')}</Table.Th>
              <Table.Th>{t('newCallers.lastCall')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((caller) => (
              <Table.Tr key={caller.clientE164} data-testid="new-caller-row">
                <Table.Td>
                  <PhoneLink raw={caller.clientE164} e164={caller.clientE164} />
                </Table.Td>
                <Table.Td>
                  <Group gap="xs">
                    <Text size="sm">{t('newCallers.callCount', { count: caller.calls })}</Text>
                    {caller.spamHint && (
                      <Tooltip label={t('newCallers.spamHelp', { count: caller.shortCalls })}>
                        <Badge color="orange" variant="light" leftSection={<IconAlertTriangle size={12} />}>
                          {t('newCallers.spam')}
                        </Badge>
                      </Tooltip>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{formatDateTime(caller.lastCallAt, locale)}</Text>
                  <Text size="xs" c="dimmed">
                    {t(caller.lastDirection === 'outbound' ? 'calls.out' : 'calls.in')} ·{' '}
                    {t(`call.status.${caller.lastStatus}`)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Group gap="xs" justify="flex-end" wrap="nowrap">
                    <Menu position="bottom-end">
                      <Menu.Target>
                        <Button
                          size="xs"
                          leftSection={<IconUserCheck size={14} />}
                          rightSection={<IconChevronDown size={14} />}
                          loading={decide.isPending && decide.variables?.number === caller.clientE164}
                        >
                          {t('newCallers.accept')}
                        </Button>
                      </Menu.Target>
                      <Menu.Dropdown>
                        {(['contact', 'lead', 'deal'] as const).map((kind) => (
                          <Menu.Item
                            key={kind}
                            onClick={() => accept(caller, kind)}
                            data-testid={`accept-${kind}`}
                          >
                            {t(`newCallers.as.${kind}`)}
                          </Menu.Item>
                        ))}
                      </Menu.Dropdown>
                    </Menu>
                    <Button size="xs" variant="default" onClick={() => setMerging(caller)}>
                      {t('newCallers.merge')}
                    </Button>
                    <Button
                      size="xs"
                      variant="subtle"
                      color="red"
                      leftSection={<IconUserX size={14} />}
                      onClick={() => decline(caller)}
                    >
                      {t('newCallers.decline')}
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {callers.isSuccess && items.length === 0 && (
        <Text c="dimmed" ta="center" py="xl" data-testid="new-callers-empty">
          {t('newCallers.empty')}
        </Text>
      )}
      <Modal
        opened={merging !== null}
        onClose={() => setMerging(null)}
        title={t('newCallers.mergeTitle', { number: merging?.clientE164 ?? '' })}
        centered
      >
        <Stack>
          <EntitySelect
            entity="contacts"
            label={t('lead.contact')}
            value={contactId}
            onChange={setContactId}
            data-testid="merge-contact"
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setMerging(null)}>
              {t('common.cancel')}
            </Button>
            <Button disabled={!contactId} loading={decide.isPending} onClick={merge}>
              {t('newCallers.merge')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
