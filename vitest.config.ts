import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    globalSetup: ['test/helpers/global-setup.ts'],
    setupFiles: ['test/helpers/store-env.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: one on these 2-core machines, where most
    // test files spend their time waiting on child processes, servers and databases (the CPU sat
    // at a load of 1.4 through a whole serial run). Three at once keep both cores busy.
    // VITEST_MAX_WORKERS overrides it.
    maxWorkers: 3,
  },
});
