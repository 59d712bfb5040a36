import { notifications } from '@mantine/notifications';
import { useT } from '../i18n/useT.js';
import { dispositionLabel } from '../live/call-labels.js';
import { callbackStep } from '../live/callback-status.js';
import { updateTrackedCallback } from '../live/click-to-call-store.js';
import { useLiveEvent } from '../live/useLiveEvent.js';

/** Updates each click-to-call toast from its legs' events: your phone rings → the client → connected → ended. */
export function CallbackWatcher() {
  const { t } = useT();
  useLiveEvent('callback.status', (event) => {
    const progress = updateTrackedCallback(event);
    if (!progress) {
      return;
    }
    const step = callbackStep(progress);
    const done = step === 'ended';
    notifications.update({
      id: `c2c-${progress.requestId}`,
      loading: step === 'ringingAgent' || step === 'callingClient' || step === 'requested',
      color: done
        ? progress.disposition === 'answered'
          ? 'green'
          : 'gray'
        : step === 'connected'
          ? 'green'
          : 'blue',
      message: done
        ? t('c2c.step.ended', { outcome: dispositionLabel(t, progress.disposition) })
        : t(`c2c.step.${step}`, { extension: '' }),
      autoClose: done ? 6_000 : false,
    });
  });
  return null;
}
