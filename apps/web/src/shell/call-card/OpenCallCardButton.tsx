import { ActionIcon, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCards } from '@tabler/icons-react';
import { useState } from 'react';
import { useT } from '../../i18n/useT.js';
import { openCallCard } from '../../live/call-card-opener.js';

/** On a call still in progress (the calls page's rows): opens its card. Nothing for a call that is over. */
export function OpenCallCardButton({ callId, status }: { callId: string; status: string }) {
  const { t } = useT();
  const [opening, setOpening] = useState(false);
  if (status !== 'ringing' && status !== 'in_progress') {
    return null;
  }
  return (
    <Tooltip label={t('calls.openCard')}>
      <ActionIcon
        size="sm"
        variant="light"
        loading={opening}
        aria-label={t('calls.openCard')}
        data-testid="call-open-card"
        onClick={async () => {
          setOpening(true);
          try {
            await openCallCard(callId);
          } catch {
            notifications.show({ color: 'gray', message: t('calls.cardGone') });
          } finally {
            setOpening(false);
          }
        }}
      >
        <IconCards size={14} />
      </ActionIcon>
    </Tooltip>
  );
}
