// The property list with the demo data: search, filters, sort by a column, and the
// keyboard opening a row.
import { expect, setUpAdmin, test } from './fixtures.js';

test('properties: search, filter and sort them, and open one from the keyboard', async ({ page, roomy: _ }) => {
  await setUpAdmin(page, { sampleData: true });
  await page.getByRole('link', { name: 'Properties' }).click();
  const table = page.getByRole('table', { name: 'Properties' });
  const rows = table.locator('tbody tr');
  await expect(rows).toHaveCount(24);

  await page.getByRole('textbox', { name: 'Search' }).fill('Baixa');
  await expect(rows).toHaveCount(2);
  for (const row of await rows.all()) await expect(row).toContainText('Baixa');
  await page.getByRole('textbox', { name: 'Search' }).fill('');
  await expect(rows).toHaveCount(24);

  // The type filter, from the keyboard: open it, pick Villa, close it; then the same to unpick.
  const toggleVilla = async () => {
    await page.getByRole('combobox', { name: 'Type' }).focus();
    await page.keyboard.press('ArrowDown');
    await page.getByRole('option', { name: 'Villa' }).click();
    await page.keyboard.press('Escape');
  };
  await toggleVilla();
  await expect(rows).not.toHaveCount(24);
  for (const row of await rows.all()) await expect(row).toContainText('Villa');
  await toggleVilla();
  await expect(rows).toHaveCount(24);

  // Guests, most first: each row's count is no larger than the one before.
  await page.getByRole('button', { name: 'Sort by Guests' }).click();
  await page.getByRole('button', { name: 'Sort by Guests' }).click();
  await expect(table.getByRole('columnheader', { name: /Guests/ })).toHaveAttribute('aria-sort', 'descending');
  const guests = (await rows.locator('td:nth-child(4)').allInnerTexts()).map(Number);
  expect(guests).toEqual([...guests].sort((a, b) => b - a));

  await rows.first().focus();
  const first = (await rows.first().locator('td').first().innerText()).split('\n')[0]!;
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: first })).toBeVisible();
  await page.getByRole('link', { name: '← Properties' }).click();
  await expect(table).toBeVisible();
});
