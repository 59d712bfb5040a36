import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRefusalLog } from './refusal-log.js';

describe('createRefusalLog', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('writes at most max lines per window, then one summary of the suppressed ones', () => {
    let now = 0;
    const lines: string[] = [];
    const log = { warn: (_: Record<string, unknown>, message: string) => lines.push(message) };
    const refused = createRefusalLog({ max: 3, windowMs: 10_000, now: () => now });
    for (let i = 0; i < 10; i++) {
      refused(log, {}, `refused ${i}`);
    }
    expect(lines).toEqual(['refused 0', 'refused 1', 'refused 2']);
    now = 10_000;
    refused(log, {}, 'refused 10');
    expect(lines.slice(3)).toEqual([
      'zadarma webhook: 7 more refused requests suppressed in the last 10 s',
      'refused 10',
    ]);
  });

  it('writes the summary when the window ends even if no refusal follows', () => {
    vi.useFakeTimers();
    const lines: string[] = [];
    const log = { warn: (_: Record<string, unknown>, message: string) => lines.push(message) };
    const refused = createRefusalLog({ max: 1, windowMs: 1_000, now: () => Date.now() });
    refused(log, {}, 'first');
    refused(log, {}, 'second');
    refused(log, {}, 'third');
    expect(lines).toEqual(['first']);
    vi.advanceTimersByTime(1_000);
    expect(lines).toEqual(['first', 'zadarma webhook: 2 more refused requests suppressed in the last 1 s']);
  });
});
