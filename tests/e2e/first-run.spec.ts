import { expect, setUpAdmin, test } from './fixtures.js';

test('first run: create the admin, load sample data, and the dashboard shows figures', async ({ page, roomy: _ }) => {
  await setUpAdmin(page, { sampleData: true });
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  // Sample data holds a year of payments: revenue is a real amount, not zero or a dash.
  const revenue = page.getByTestId('figure-revenue');
  await expect(revenue).toHaveText(/\d/);
  await expect(revenue).not.toHaveText(/^\D*0([.,]00)?\D*$/);
  await expect(page.getByTestId('figure-occupancy')).toHaveText(/\d+(\.\d+)?%/);
  await expect(page.getByTestId('monthly-chart').locator('.recharts-bar-rectangle').first()).toBeVisible();
  await expect(page.getByTestId('distribution-chart').locator('.recharts-pie-sector').first()).toBeVisible();
});
