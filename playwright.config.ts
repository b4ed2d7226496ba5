// End-to-end tests: the built renderer in Debian's Chromium through the browser host, each test
// with a fresh data folder; and, where the Electron runtime exists, the desktop shell itself.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  outputDir: 'test-results/e2e',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  fullyParallel: true,
  workers: 2,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'test-results/e2e-report' }]],
  use: {
    viewport: { width: 1440, height: 900 },
    locale: 'en-GB',
    timezoneId: 'Europe/Lisbon',
    // The app skips its transitions for reduced motion, so nothing moves while a test acts.
    reducedMotion: 'reduce',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      // As root Chromium needs --no-sandbox; the rest keep it from calling home on a closed network.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [
    { name: 'browser-host', testDir: 'tests/e2e', testMatch: '*.spec.ts' },
    { name: 'electron', testDir: 'tests/electron', testMatch: '*.spec.ts' },
  ],
});
