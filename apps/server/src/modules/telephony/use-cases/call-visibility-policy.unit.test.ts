/** Reading and saving the "agents see all calls" switch on an in-memory settings store shared by two instances. */
import { describe, expect, it } from 'vitest';
import type { CallReadPolicy } from './call-visibility.js';
import { type CallReadPolicySettings, readCallVisibilityPolicy } from './read-call-visibility-policy.js';
import { saveCallVisibilityPolicy } from './save-call-visibility-policy.js';

/** One stored row, and an instance's cache of it refreshed only by `checkForChanges` (as the service caches). */
function twoInstances() {
  let stored: CallReadPolicy = { agentsSeeAllCalls: false };
  const instance = (): CallReadPolicySettings => {
    let cached = stored;
    return {
      async checkForChanges() {
        const changed = cached !== stored;
        cached = stored;
        return changed;
      },
      read: async () => cached,
      async update(change) {
        stored = { ...stored, ...change(stored) };
        cached = stored;
        return stored;
      },
    };
  };
  return { a: instance(), b: instance() };
}

describe('the call visibility switch', () => {
  it('is off by default and reads as saved', async () => {
    const { a } = twoInstances();
    expect(await readCallVisibilityPolicy(a)).toEqual({ agentsSeeAllCalls: false });
    expect(await saveCallVisibilityPolicy(a, { agentsSeeAllCalls: true })).toEqual({
      agentsSeeAllCalls: true,
    });
    expect(await readCallVisibilityPolicy(a)).toEqual({ agentsSeeAllCalls: true });
  });

  it('reads a change another instance saved, never that instance’s older value', async () => {
    const { a, b } = twoInstances();
    expect(await readCallVisibilityPolicy(b)).toEqual({ agentsSeeAllCalls: false });
    await saveCallVisibilityPolicy(a, { agentsSeeAllCalls: true });
    expect(await readCallVisibilityPolicy(b)).toEqual({ agentsSeeAllCalls: true });
  });
});
