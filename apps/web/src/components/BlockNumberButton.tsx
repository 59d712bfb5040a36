import {
  ActionIcon,
  Alert,
  Button,
  Group,
  Modal,
  Stack,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconBan } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, api } from '../api/client.js';
import { useMe } from '../api/queries.js';
import { telephonyKeys, useTelephonyMe } from '../api/telephony.js';
import type { BlacklistItem } from '../api/types.js';
import { useT } from '../i18n/useT.js';
import { issueMessage } from '../lib/api-error-message.js';
import { formatDateTime } from '../lib/format.js';
import { DateField } from './DateFields.js';
import { ErrorAlert } from './ErrorAlert.js';

/**
 * The blacklist entries (numbers or prefixes) blocking any of these E.164 numbers now.
 * Why: a number that is both a client's and blacklisted is blocked, and the client's page must say so.
 */
function useBlockingEntries(numbers: readonly string[], enabled = true) {
  const valid = numbers.filter((n) => /^\+\d{6,15}$/.test(n)).slice(0, 20);
  return useQuery({
    queryKey: [...telephonyKeys.blacklist, 'blocking', valid.join(',')],
    queryFn: ({ signal }) =>
      api.get<{ items: BlacklistItem[] }>(
        '/telephony/blacklist/blocking',
        { numbers: valid.join(',') },
        signal,
      ),
    enabled: enabled && valid.length > 0,
  });
}

/**
 * A small "Block" action for a caller's number, with a reason and an optional last day: the popup card, the call's
 * page, the call log (`compact`: an icon, the number's state read only once it is opened) and the contact page
 * use it. Why: calls from a blocked number are refused before they ring (issue 12 §10). Our own numbers and
 * extensions are refused by the server with the reason, shown in the dialog.
 */
export function BlockNumberButton({
  number,
  size = 'xs',
  compact = false,
}: {
  number: string;
  size?: 'xs' | 'sm';
  compact?: boolean;
}) {
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
  // A row of the call log does not ask for its number's state until its dialog opens (one request per row).
  const blocking = useBlockingEntries([number], !compact || opened);
  const blocked = (blocking.data?.items.length ?? 0) > 0;
  // In the reader's language from the server's reason, never its English sentence.
  const expiryIssue =
    block.error instanceof ApiError ? block.error.details.find((d) => d.path === 'expiresAt') : undefined;
  const expiryError = expiryIssue ? issueMessage(expiryIssue) : undefined;
  if (!me.data?.enabled || (!compact && blocked)) {
    // Without telephony no call is refused: the action would do nothing; a blocked number is blocked already.
    return null;
  }
  return (
    <>
      {compact ? (
        <Tooltip label={t('block.action')} withArrow>
          <ActionIcon
            variant="subtle"
            color="red"
            size="sm"
            aria-label={t('block.action')}
            onClick={() => setOpened(true)}
            data-testid="block-number"
          >
            <IconBan size={14} />
          </ActionIcon>
        </Tooltip>
      ) : (
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
      )}
      <Modal
        opened={opened}
        onClose={() => setOpened(false)}
        title={<Title order={4}>{t('block.title', { number })}</Title>}
      >
        {blocked ? (
          <BlockedNumbersNotice numbers={[number]} />
        ) : (
          <Stack gap="sm">
            <Text size="sm">{t('block.body')}</Text>
            <TextInput
              label={t('tel.blacklistReason')}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              data-testid="block-reason"
            />
            <DateField
              label={t('block.until')}
              description={t('block.untilHelp')}
              value={until}
              onChange={(iso) => setUntil(iso ?? '')}
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
        )}
      </Modal>
    </>
  );
}

/**
 * Says that a number is blocked, by which entry, since when, by whom and why; an admin can unblock it here.
 * Why: a blocked client never reaches an agent, and the contact's page must say so (issue 12 §10).
 */
export function BlockedNumbersNotice({ numbers }: { numbers: readonly string[] }) {
  const { t, locale } = useT();
  const queryClient = useQueryClient();
  const user = useMe();
  const blocking = useBlockingEntries(numbers);
  const unblock = useMutation({
    mutationFn: (item: BlacklistItem) => api.delete(`/telephony/blacklist/${item.id}`),
    onSuccess: async (_, item) => {
      notifications.show({ color: 'green', message: t('block.unblocked', { number: item.e164 }) });
      await queryClient.invalidateQueries({ queryKey: telephonyKeys.blacklist });
    },
  });
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
      <Stack gap="xs">
        {items.map((item) => (
          <Group key={item.id} justify="space-between" wrap="nowrap" align="flex-start" gap="xs">
            <div style={{ minWidth: 0, flex: 1 }}>
              <Text size="sm">
                {t(item.isPrefix ? 'block.blockedByPrefix' : 'block.blockedNumber', { number: item.e164 })}
                {item.reason ? ` — ${item.reason}` : ''}
                {item.expiresAt
                  ? ` (${t('tel.blacklist.until', { date: formatDateTime(item.expiresAt, locale) })})`
                  : ''}
              </Text>
              <Text size="xs" c="dimmed" data-testid="blocked-since">
                {item.createdByName
                  ? t('block.since', {
                      date: formatDateTime(item.createdAt, locale),
                      name: item.createdByName,
                    })
                  : t('block.sinceSystem', { date: formatDateTime(item.createdAt, locale) })}
              </Text>
            </div>
            {user.data?.role === 'admin' && (
              <Button
                size="xs"
                variant="light"
                color="gray"
                style={{ flexShrink: 0 }}
                loading={unblock.isPending && unblock.variables?.id === item.id}
                onClick={() => unblock.mutate(item)}
                data-testid="unblock-number"
              >
                {t('block.unblock')}
              </Button>
            )}
          </Group>
        ))}
        <ErrorAlert error={unblock.error} />
      </Stack>
    </Alert>
  );
}
