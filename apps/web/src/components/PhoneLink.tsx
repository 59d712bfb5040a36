import { Anchor, Group, Text, Tooltip } from '@mantine/core';
import { IconPhone, IconPhoneOff } from '@tabler/icons-react';
import { useT } from '../i18n/useT.js';

export interface PhoneLinkProps {
  raw: string;
  e164?: string | null;
  label?: string;
  doNotCall?: boolean;
}

/** The text shown for a number: as the user wrote it, else its E.164. Why: people recognise their own format. */
function displayPhone(raw: string, e164?: string | null): string {
  return raw.trim() || e164 || '';
}

/**
 * The ONE way a phone number is shown. Why: the telephony issue turns every number into click-to-call here, and
 * honours do-not-call in one place.
 */
export function PhoneLink({ raw, e164, label, doNotCall }: PhoneLinkProps) {
  const { t } = useT();
  const text = displayPhone(raw, e164);
  const dial = e164 ?? raw.replace(/[^\d+]/g, '');
  return (
    <Group gap={6} wrap="nowrap" component="span" data-testid="phone-link">
      {doNotCall ? (
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
        onClick={(e) => e.stopPropagation()}
      >
        {text}
      </Anchor>
      {label && (
        <Text span size="xs" c="dimmed">
          {label}
        </Text>
      )}
    </Group>
  );
}
