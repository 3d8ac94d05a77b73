import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    globalSetup: ['test/helpers/global-setup.ts'],
    setupFiles: ['test/helpers/store-env.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Three files at once on CI's 2 cores: the suite takes ~10 minutes instead of ~25 one at a
    // time. The tests that time something (the sandbox's watchdog, the redactor's linearity, the
    // lexers) measure against a baseline taken in the same test, so the load the other files
    // make does not fail them. VITEST_MAX_WORKERS=1 runs one file at a time.
    maxWorkers: Number(process.env.VITEST_MAX_WORKERS) || 3,
  },
});
