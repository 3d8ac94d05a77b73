import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    globalSetup: ['test/helpers/global-setup.ts'],
    setupFiles: ['test/helpers/store-env.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // One file at a time (vitest's default on 2 cores). Three at once ran the suite in 11 minutes
    // instead of ~25, but the tests that time the sandbox's watchdog and the redactor to 10% then
    // failed on the load the others made. VITEST_MAX_WORKERS=3 runs three at once, faster, with
    // those timing tests at risk.
  },
});
