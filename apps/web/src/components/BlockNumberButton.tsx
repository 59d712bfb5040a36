import { Alert, Button, Group, Modal, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconBan } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, api } from '../api/client.js';
import { telephonyKeys, useTelephonyMe } from '../api/telephony.js';
import type { BlacklistItem } from '../api/types.js';
import { useT } from '../i18n/useT.js';
import { formatDateTime } from '../lib/format.js';
import { ErrorAlert } from './ErrorAlert.js';

/**
 * The blacklist entries (numbers or prefixes) blocking any of these E.164 numbers now.
 * Why: a number that is both a client's and blacklisted is blocked, and the client's page must say so.
 */
function useBlockingEntries(numbers: readonly string[]) {
  const valid = numbers.filter((n) => /^\+\d{6,15}$/.test(n)).slice(0, 20);
  return useQuery({
    queryKey: [...telephonyKeys.blacklist, 'blocking', valid.join(',')],
    queryFn: ({ signal }) =>
      api.get<{ items: BlacklistItem[] }>(
        '/telephony/blacklist/blocking',
        { numbers: valid.join(',') },
        signal,
      ),
    enabled: valid.length > 0,
  });
}

/**
 * A small "Block" action for a caller's number, with a reason and an optional last day: the popup, the call log
 * and the contact page use it. Why: calls from a blocked number are refused before they ring (issue 12 §10).
 */
export function BlockNumberButton({ number, size = 'xs' }: { number: string; size?: 'xs' | 'sm' }) {
  const { t } = useT();
  const queryClient = useQueryClient();
  const [opened, setOpened] = useState(false);
  const [reason, setReason] = useState('');
  const [until, setUntil] = useState('');
  const block = useMutation({
    mutationFn: () =>
      api.post<BlacklistItem>('/telephony/blacklist', {
        number,
        reason: reason.trim(),
        expiresAt: until ? new Date(`${until}T23:59:59`).toISOString() : null,
      }),
    onSuccess: async () => {
      setOpened(false);
      setReason('');
      setUntil('');
      notifications.show({ color: 'green', message: t('block.done', { number }) });
      await queryClient.invalidateQueries({ queryKey: telephonyKeys.blacklist });
    },
  });
  const me = useTelephonyMe();
  const blocking = useBlockingEntries([number]);
  const expiryError =
    block.error instanceof ApiError
      ? block.error.details.find((d) => d.path === 'expiresAt')?.message
      : undefined;
  if (!me.data?.enabled || (blocking.data?.items.length ?? 0) > 0) {
    // Without telephony no call is refused: the action would do nothing; a blocked number is blocked already.
    return null;
  }
  return (
    <>
      <Button
        size={size}
        variant="subtle"
        color="red"
        leftSection={<IconBan size={14} />}
        onClick={() => setOpened(true)}
        data-testid="block-number"
      >
        {t('block.action')}
      </Button>
      <Modal
        opened={opened}
        onClose={() => setOpened(false)}
        title={<Title order={4}>{t('block.title', { number })}</Title>}
      >
        <Stack gap="sm">
          <Text size="sm">{t('block.body')}</Text>
          <TextInput
            label={t('tel.blacklistReason')}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
          />
          <TextInput
            type="date"
            label={t('block.until')}
            description={t('block.untilHelp')}
            value={until}
            onChange={(e) => setUntil(e.currentTarget.value)}
            error={expiryError}
          />
          {!expiryError && <ErrorAlert error={block.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpened(false)}>
              {t('common.cancel')}
            </Button>
            <Button
              color="red"
              loading={block.isPending}
              onClick={() => block.mutate()}
              data-testid="block-confirm"
            >
              {t('block.action')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

/** Says that a contact's number is blocked, by which entry and why. Why: a blocked client never reaches an agent. */
export function BlockedNumbersNotice({ numbers }: { numbers: readonly string[] }) {
  const { t, locale } = useT();
  const blocking = useBlockingEntries(numbers);
  const items = blocking.data?.items ?? [];
  if (items.length === 0) {
    return null;
  }
  return (
    <Alert
      color="red"
      variant="light"
      icon={<IconBan size={18} />}
      title={t('block.blockedTitle')}
      data-testid="contact-blocked"
    >
      <Stack gap={2}>
        {items.map((item) => (
          <Text size="sm" key={item.id}>
            {t(item.isPrefix ? 'block.blockedByPrefix' : 'block.blockedNumber', { number: item.e164 })}
            {item.reason ? ` — ${item.reason}` : ''}
            {item.expiresAt
              ? ` (${t('tel.blacklist.until', { date: formatDateTime(item.expiresAt, locale) })})`
              : ''}
          </Text>
        ))}
      </Stack>
    </Alert>
  );
}
