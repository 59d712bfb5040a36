import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@switchboard/source'] },
  ssr: { resolve: { conditions: ['@switchboard/source'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // A hang detector, not a speed check: property tests run hundreds of cases and took 9 s on a loaded 2-core machine.
    testTimeout: 30_000,
  },
});
