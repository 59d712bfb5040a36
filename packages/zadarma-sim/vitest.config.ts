import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@switchboard/source'] },
  ssr: { resolve: { conditions: ['@switchboard/source'] } },
  test: { include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});
