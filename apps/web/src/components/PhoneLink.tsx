import { ActionIcon, Anchor, Badge, Button, Group, Modal, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPhone, IconPhoneCall, IconPhoneOff, IconPhoneX } from '@tabler/icons-react';
import { useState } from 'react';
import { ApiError, api } from '../api/client.js';
import { useTelephonyMe } from '../api/telephony.js';
import type { ClickToCallResult } from '../api/types.js';
import { useT } from '../i18n/useT.js';
import { apiErrorMessage } from '../lib/api-error-message.js';
import { formatPhone } from '../lib/phone-format.js';
import { trackCallback } from '../live/click-to-call-store.js';

export interface PhoneLinkProps {
  raw: string;
  /** The number's E.164; `null` says the server could not read it: shown, but never offered as a call. */
  e164?: string | null;
  label?: string;
  doNotCall?: boolean;
  /** The contact the number belongs to: the call lands on their timeline. */
  contactId?: string;
}

/** The user-facing sentence for a click-to-call failure. Why: each refusal has a different fix. */
export function clickToCallError(
  t: (id: string, values?: Record<string, unknown>) => string,
  error: unknown,
) {
  if (error instanceof ApiError) {
    switch (error.code) {
      case 'SB_ERR_NO_EXTENSION':
        return t('c2c.noExtension');
      case 'SB_ERR_INSUFFICIENT_BALANCE':
        return t('c2c.balance');
      case 'SB_ERR_TELEPHONY_NOT_CONFIGURED':
        return t('c2c.notConfigured');
      case 'SB_ERR_ZADARMA_REFUSED':
      case 'SB_ERR_ZADARMA_UNAUTHORIZED':
        return t('c2c.refused', { message: error.message });
      case 'SB_ERR_ZADARMA_UNREACHABLE':
        return t('c2c.unreachable');
      case 'SB_ERR_ZADARMA_RATE_LIMITED':
        return t('c2c.rateLimited');
      default:
        return apiErrorMessage(error);
    }
  }
  return apiErrorMessage(error);
}

/**
 * The ONE way a phone number is shown (in one format: lib/phone-format.ts). When telephony is on, clicking it rings the user's extension and then the
 * number (Zadarma callback); otherwise it is a plain `tel:` link. Why: every number in the app is a call button,
 * and do-not-call is honoured in one place.
 */
export function PhoneLink({ raw, e164, label, doNotCall, contactId }: PhoneLinkProps) {
  const { t } = useT();
  const me = useTelephonyMe();
  const [confirming, setConfirming] = useState(false);
  const [calling, setCalling] = useState(false);
  const text = formatPhone(e164 ?? (raw.trim().startsWith('+') ? raw : null), raw);
  const dial = e164 ?? raw.replace(/[^\d+]/g, '');
  const enabled = me.data?.enabled === true;

  async function call(confirmDoNotCall: boolean) {
    setCalling(true);
    try {
      const result = await api.post<ClickToCallResult>('/calls/click-to-call', {
        phone: e164 ?? raw,
        ...(contactId ? { contactId } : {}),
        ...(confirmDoNotCall ? { confirmDoNotCall: true } : {}),
      });
      setConfirming(false);
      trackCallback(result.requestId, result.to);
      notifications.show({
        id: `c2c-${result.requestId}`,
        loading: true,
        autoClose: false,
        title: t('c2c.title', { number: text }),
        message: t('c2c.step.requested', { extension: result.from }),
        'data-testid': 'c2c-toast',
      } as Parameters<typeof notifications.show>[0]);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'SB_ERR_DO_NOT_CALL' && !confirmDoNotCall) {
        setConfirming(true);
      } else {
        setConfirming(false);
        notifications.show({ color: 'red', title: t('c2c.failed'), message: clickToCallError(t, error) });
      }
    } finally {
      setCalling(false);
    }
  }

  if (e164 === null && raw.trim()) {
    // Stored before numbers were checked, or not a number at all: no call button that would fail.
    return (
      <Group gap={6} wrap="nowrap" component="span" data-testid="phone-not-dialable">
        <IconPhoneX size={15} color="var(--mantine-color-orange-6)" aria-hidden />
        <Text span size="sm" style={{ whiteSpace: 'nowrap' }}>
          {text}
        </Text>
        <Tooltip label={t('phone.notDialableHint')}>
          <Badge size="xs" variant="light" color="orange">
            {t('phone.notDialable')}
          </Badge>
        </Tooltip>
      </Group>
    );
  }

  return (
    <Group gap={6} wrap="nowrap" component="span" data-testid="phone-link">
      {enabled ? (
        <Tooltip label={doNotCall ? t('contact.doNotCall') : t('c2c.call', { number: text })}>
          <ActionIcon
            size="sm"
            variant="light"
            color={doNotCall ? 'red' : 'green'}
            loading={calling}
            aria-label={t('c2c.call', { number: text })}
            onClick={(e) => {
              e.stopPropagation();
              void call(false);
            }}
            data-testid="call-button"
          >
            {doNotCall ? <IconPhoneOff size={14} /> : <IconPhoneCall size={14} />}
          </ActionIcon>
        </Tooltip>
      ) : doNotCall ? (
        <Tooltip label={t('contact.doNotCall')}>
          <IconPhoneOff size={15} color="var(--mantine-color-red-6)" aria-label={t('contact.doNotCall')} />
        </Tooltip>
      ) : (
        <IconPhone size={15} color="var(--mantine-color-dimmed)" aria-hidden />
      )}
      <Anchor
        href={`tel:${dial}`}
        size="sm"
        style={{ whiteSpace: 'nowrap' }}
        onClick={(e) => {
          e.stopPropagation();
          // With telephony on, the number itself starts the callback; `tel:` stays for copy and other apps.
          if (enabled) {
            e.preventDefault();
            void call(false);
          }
        }}
      >
        {text}
      </Anchor>
      {label && (
        <Text span size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          {label}
        </Text>
      )}
      {confirming && (
        <Modal opened onClose={() => setConfirming(false)} title={t('c2c.doNotCallTitle')}>
          <Text size="sm" mb="md">
            {t('c2c.doNotCallBody', { number: text })}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)}>
              {t('common.cancel')}
            </Button>
            <Button
              color="red"
              loading={calling}
              onClick={() => void call(true)}
              data-testid="confirm-dnc-call"
            >
              {t('c2c.callAnyway')}
            </Button>
          </Group>
        </Modal>
      )}
    </Group>
  );
}
