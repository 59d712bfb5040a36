import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@switchboard/source'] },
  ssr: { resolve: { conditions: ['@switchboard/source'] } },
  test: {
    projects: ['packages/*', 'apps/server', 'apps/web', 'scripts'],
  },
});
