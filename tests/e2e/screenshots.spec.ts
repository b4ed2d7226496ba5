// Pictures of the main screens with the demo data (see screenshot.ts).
import { expect, setUpAdmin, test } from './fixtures.js';
import { keepScreenshot } from './screenshot.js';

test('screenshots of the main screens', async ({ page, roomy: _ }) => {
  await setUpAdmin(page, { sampleData: true });
  const shoot = (name: string) => keepScreenshot(page, name);
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
