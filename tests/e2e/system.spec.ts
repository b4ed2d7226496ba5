// About and backups in Chromium: the installation's facts, a backup made now, a diagnostics
// bundle, and a restore that is checked and staged for the next start.
import { expect, setUpAdmin, test } from './fixtures.js';

test('an admin reads About, backs up now, saves diagnostics and stages a restore', async ({ page, roomy: _ }) => {
  await setUpAdmin(page, { sampleData: false });
  await page.getByRole('link', { name: 'About and backups' }).click();

  const about = page.getByTestId('about');
  await expect(about).toContainText('Standalone: this computer only');
  await expect(about).toContainText('Browser host on Node');
  await expect(about).toContainText('roomy.db');

  // The day's backup was made when Roomy started; backing up now adds a second.
  const rows = page.getByTestId('backups').locator('tbody tr');
  await expect(rows).toHaveCount(1);
  await expect(about).not.toContainText('None yet');
  await page.getByTestId('back-up-now').click();
  await expect(page.getByText(/Backup roomy-.*\.db made\./)).toBeVisible();
  await expect(rows).toHaveCount(2);

  await page.getByTestId('diagnostics').click();
  await expect(page.getByText('Diagnostics bundle saved')).toBeVisible();

  await rows.first().getByRole('button', { name: 'Restore…' }).click();
  await page.getByRole('button', { name: 'Check and restore' }).click();
  await expect(page.getByText('Restart Roomy to finish restoring')).toBeVisible();

  await expect(page.getByTestId('updates-switch')).toBeChecked();
});
