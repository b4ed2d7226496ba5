// Pictures of the main screens with the demo data: kept as test artifacts, and copied into
// docs/screenshots for the README when ROOMY_UPDATE_SCREENSHOTS=1 (`npm run screenshots`).
import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, setUpAdmin, test } from './fixtures.js';

const artifacts = resolve(import.meta.dirname, '../../test-results/screenshots');
const docs = resolve(import.meta.dirname, '../../docs/screenshots');

test('screenshots of the main screens', async ({ page, roomy: _ }) => {
  mkdirSync(artifacts, { recursive: true });
  await setUpAdmin(page, { sampleData: true });
  const shoot = async (name: string) => {
    await expect(page.getByRole('status')).toHaveCount(0);
    // Toasts from the last action would cover the screen.
    await expect(page.locator('.mantine-Notification-root')).toHaveCount(0, { timeout: 10_000 });
    // Charts animate in: wait for them to settle before the picture.
    await page.waitForTimeout(1200);
    const file = join(artifacts, `${name}.png`);
    await page.screenshot({ path: file });
    if (process.env.ROOMY_UPDATE_SCREENSHOTS === '1') {
      mkdirSync(docs, { recursive: true });
      copyFileSync(file, join(docs, `${name}.png`));
    }
  };
  await expect(page.getByTestId('figure-revenue')).toHaveText(/\d/);
  await shoot('dashboard');

  await page.getByRole('link', { name: 'Properties' }).click();
  await expect(page.getByRole('table', { name: 'Properties' })).toBeVisible();
  await shoot('properties');

  await page.getByRole('link', { name: 'Calendar' }).click();
  await expect(page.getByTestId('calendar-booking').first()).toBeVisible();
  await shoot('calendar');

  await page.getByRole('link', { name: 'Tasks' }).click();
  await expect(page.getByTestId('board-PENDING')).toBeVisible();
  await shoot('tasks');

  await page.getByRole('link', { name: 'Ledger' }).click();
  await expect(page.getByRole('table', { name: 'Ledger entries' })).toBeVisible();
  await shoot('ledger');

  await page.getByRole('link', { name: 'Reservations' }).click();
  await page.getByRole('table', { name: 'Reservations' }).getByRole('row').nth(1).click();
  await expect(page.getByTestId('balance')).toBeVisible();
  await shoot('reservation');
});
