import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@switchboard/source'] },
  ssr: { resolve: { conditions: ['@switchboard/source'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // A hang detector, not a speed check: suites that start a whole server (demo seed, simulator, PostgreSQL schema)
    // take seconds on a shared 2-core machine under load, and vitest's 5 s default failed them there.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
