import { describe, expect, it } from 'vitest';
import { inboxEventLabel } from './inbox-event.js';

describe('inboxEventLabel', () => {
  it('shows a dash for a request that named no event, which the API sends as an empty string', () => {
    expect(inboxEventLabel({ event: '' })).toBe('—');
  });

  it('shows the event name as sent', () => {
    expect(inboxEventLabel({ event: 'NOTIFY_START' })).toBe('NOTIFY_START');
  });
});
