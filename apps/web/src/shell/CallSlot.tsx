import type { User } from '../api/types.js';
import { useLiveConnected } from '../live/useLiveEvent.js';
import { CallbackWatcher } from './CallbackWatcher.js';
import { CallPopups } from './CallPopups.js';
import { DemoBanner } from './DemoBanner.js';
import { MissedCallsWatcher } from './MissedCallsWatcher.js';

/**
 * The shell's call slot: the demo banner above the page, the live call popups (fixed, top right) and the
 * click-to-call progress toasts. It sits on every screen and is empty while there is no call.
 */
export function CallSlot({ user }: { user: User }) {
  const live = useLiveConnected();
  return (
    <div id="sb-call-slot" data-testid="call-slot" data-live={live ? 'open' : 'closed'}>
      <DemoBanner />
      <CallPopups user={user} />
      <CallbackWatcher />
      <MissedCallsWatcher />
    </div>
  );
}
