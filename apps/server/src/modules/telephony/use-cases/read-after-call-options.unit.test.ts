/** Reading the after-call options reads what the last save stored. */
import { describe, expect, it } from 'vitest';
import type { AfterCallOptions, AfterCallOptionsStore } from '../ports.js';
import { readAfterCallOptions } from './read-after-call-options.js';
import { saveAfterCallOptions } from './save-after-call-options.js';

describe('readAfterCallOptions', () => {
  it('reads the options as the last save left them', async () => {
    let stored: AfterCallOptions = { missedCallDueMinutes: 60, newCallerRules: [] };
    const options: AfterCallOptionsStore = {
      read: async () => stored,
      async update(patch) {
        stored = { ...stored, ...patch };
        return stored;
      },
    };
    expect(await readAfterCallOptions({ options })).toEqual({ missedCallDueMinutes: 60, newCallerRules: [] });
    await saveAfterCallOptions(
      { options, pipelines: { exists: async () => true } },
      { missedCallDueMinutes: 15 },
    );
    expect(await readAfterCallOptions({ options })).toEqual({ missedCallDueMinutes: 15, newCallerRules: [] });
  });
});
