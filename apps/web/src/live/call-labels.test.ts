import { describe, expect, it } from 'vitest';
import { dispositionLabel } from './call-labels.js';

const t = (id: string) => `«${id}»`;

describe('disposition labels', () => {
  it('translates both spellings of a failed call, and shows an unknown disposition as sent', () => {
    // Webhooks say `failed`, the statistics `call failed`: the user reads one label for both.
    expect(dispositionLabel(t, 'failed')).toBe('«call.disposition.call_failed»');
    expect(dispositionLabel(t, 'call failed')).toBe('«call.disposition.call_failed»');
    expect(dispositionLabel(t, 'no money, no limit')).toBe('«call.disposition.no_money_no_limit»');
    expect(dispositionLabel(t, 'something new')).toBe('something new');
  });
});
