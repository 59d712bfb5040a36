import { Badge } from '@mantine/core';
import { useMissedCalls } from '../live/useMissedCalls.js';

/** How many missed calls wait for the user, beside the navigation's link to them; nothing when none. */
export function MissedCallsBadge() {
  const missed = useMissedCalls();
  const count = missed.data?.items.length ?? 0;
  if (count === 0) {
    return null;
  }
  return (
    <Badge size="sm" color="orange" variant="filled" circle={count < 10} data-testid="missed-count">
      {count >= 100 ? '99+' : count}
    </Badge>
  );
}
