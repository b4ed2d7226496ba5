import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/harness/global-setup.ts'],
    reporters: ['default', './tests/harness/summary-reporter.ts'],
    // Real databases and real hashing: give slow machines room, and keep two cores busy, not swamped.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
