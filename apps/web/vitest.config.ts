import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'web',
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'e2e/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['e2e/global-setup.ts'],
    // Browser tests start a real server and Chromium: long timeouts, one file at a time.
    testTimeout: 60_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    // A wait budget, not a timing assertion: vitest's 1 s default for expect.poll let a card's note, restored over
    // HTTP after a reload, miss on a loaded machine. The same 15 s as the harness gives Playwright's locators.
    expect: { poll: { timeout: 15_000 } },
  },
});
