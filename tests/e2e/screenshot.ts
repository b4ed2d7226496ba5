// A picture of the screen as it is: kept as a test artifact, and copied into docs/screenshots for
// the README when ROOMY_UPDATE_SCREENSHOTS=1 (`npm run screenshots`).
import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { expect } from './fixtures.js';

const artifacts = resolve(import.meta.dirname, '../../test-results/screenshots');
const docs = resolve(import.meta.dirname, '../../docs/screenshots');

export async function keepScreenshot(page: Page, name: string): Promise<void> {
  // Nothing still loading (the sync status in the header is a status too, and stays; an export's
  // progress line is an empty status until an export runs).
  await expect(page.locator('[role=status]:visible:not([data-testid="sync-status"])')).toHaveCount(0);
  // Toasts from the last action would cover the screen.
  await expect(page.locator('.mantine-Notification-root')).toHaveCount(0, { timeout: 10_000 });
  // Charts animate in: wait for them to settle before the picture.
  await page.waitForTimeout(1200);
  mkdirSync(artifacts, { recursive: true });
  const file = join(artifacts, `${name}.png`);
  await page.screenshot({ path: file });
  if (process.env.ROOMY_UPDATE_SCREENSHOTS === '1') {
    mkdirSync(docs, { recursive: true });
    copyFileSync(file, join(docs, `${name}.png`));
  }
}
