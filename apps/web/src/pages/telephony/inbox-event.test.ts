import { describe, expect, it } from 'vitest';
import { inboxErrorOf, inboxEventLabel } from './inbox-event.js';

describe('inboxEventLabel', () => {
  it('shows a dash for a request that named no event, which the API sends as an empty string', () => {
    expect(inboxEventLabel({ event: '' })).toBe('—');
  });

  it('shows the event name as sent', () => {
    expect(inboxEventLabel({ event: 'NOTIFY_START' })).toBe('NOTIFY_START');
  });
});

describe('inboxErrorOf', () => {
  it('names a refusal by its reason, keeping the server’s words as the detail', () => {
    expect(inboxErrorOf('bad_signature: signature mismatch')).toEqual({
      messageId: 'inbox.reason.badSignature',
      detail: 'bad_signature: signature mismatch',
    });
    expect(inboxErrorOf('stale_event: stale: call_start 2024-05-14 10:15:30').messageId).toBe(
      'inbox.reason.staleEvent',
    );
    expect(inboxErrorOf('value_too_long: a value is longer than 4096 bytes').messageId).toBe(
      'inbox.reason.tooLarge',
    );
  });

  it('calls anything else a processing failure, never showing it as a reason', () => {
    expect(inboxErrorOf('recovery: the stored body no longer parses as a verified event').messageId).toBe(
      'inbox.reason.processingFailed',
    );
    expect(inboxErrorOf('database is locked').messageId).toBe('inbox.reason.processingFailed');
  });
});
