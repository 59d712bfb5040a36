import type { CallStatus } from '../api/types.js';

type T = (id: string, values?: Record<string, unknown>) => string;

const DISPOSITIONS = new Set([
  'answered',
  'busy',
  'cancel',
  'no answer',
  'call failed',
  // Webhooks spell it `failed`, the statistics `call failed` (docs/zadarma-protocol.md §5.5): one label for both.
  'failed',
  'no money',
  'unallocated number',
  'no limit',
  'no day limit',
  'line limit',
  'no money, no limit',
]);

/** A call status in the user's language. */
export function callStatusLabel(t: T, status: CallStatus): string {
  return t(`call.status.${status}`);
}

/**
 * Zadarma's disposition (`no answer`, `busy`…, docs/zadarma-protocol.md §5.6) in the user's language; an unknown one as sent.
 * Why: Zadarma may add values, and showing its word beats showing nothing.
 */
export function dispositionLabel(t: T, disposition: string | null): string {
  if (!disposition) {
    return '—';
  }
  if (!DISPOSITIONS.has(disposition)) {
    return disposition;
  }
  const key = disposition === 'failed' ? 'call_failed' : disposition.replace(/[ ,]+/g, '_');
  return t(`call.disposition.${key}`);
}

/** The Mantine colour of a status badge. */
export function callStatusColor(status: CallStatus): string {
  switch (status) {
    case 'answered':
      return 'green';
    case 'in_progress':
    case 'ringing':
      return 'blue';
    case 'missed':
    case 'no_answer':
      return 'orange';
    case 'busy':
    case 'failed':
      return 'red';
    default:
      return 'gray';
  }
}
