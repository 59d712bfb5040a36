import { Anchor } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { Link } from 'react-router';
import { useT } from '../i18n/useT.js';
import { formatDateTime } from '../lib/format.js';
import { useLiveEvent } from '../live/useLiveEvent.js';

/** A notification for each missed call that reached the user (their phone rang, or the caller is theirs). */
export function MissedCallsWatcher() {
  const { t, locale } = useT();
  useLiveEvent('call.missed', (event) => {
    const who =
      event.contact?.displayName ?? event.clientNumber ?? event.clientE164 ?? t('popup.hiddenNumber');
    notifications.show({
      id: `missed-${event.callId}`,
      color: 'orange',
      autoClose: 15_000,
      title: t('missed.notifyTitle', { who }),
      message: (
        <Anchor component={Link} to="/missed-calls" size="sm">
          {t('missed.notifyBody', { time: formatDateTime(event.startedAt, locale) })}
        </Anchor>
      ),
      'data-testid': 'missed-call-notification',
    } as Parameters<typeof notifications.show>[0]);
  });
  return null;
}
