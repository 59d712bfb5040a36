import { notifications } from '@mantine/notifications';
import { useNavigate } from 'react-router';
import { useT } from '../i18n/useT.js';
import { formatDateTime } from '../lib/format.js';
import { useLiveEvent } from '../live/useLiveEvent.js';

/**
 * A notification for each missed call that reached the user (their phone rang, or the caller is theirs); a click
 * opens the missed calls. The notifications render outside the router, hence the navigation from here.
 */
export function MissedCallsWatcher() {
  const { t, locale } = useT();
  const navigate = useNavigate();
  useLiveEvent('call.missed', (event) => {
    const who =
      event.contact?.displayName ?? event.clientNumber ?? event.clientE164 ?? t('popup.hiddenNumber');
    const id = `missed-${event.callId}`;
    notifications.show({
      id,
      color: 'orange',
      autoClose: 15_000,
      title: t('missed.notifyTitle', { who }),
      message: t('missed.notifyBody', { time: formatDateTime(event.startedAt, locale) }),
      style: { cursor: 'pointer' },
      onClick: () => {
        notifications.hide(id);
        navigate('/missed-calls');
      },
    });
  });
  return null;
}
