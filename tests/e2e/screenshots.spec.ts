// Pictures of the main screens with the demo data (see screenshot.ts): the desktop screens, a
// guest, the availability search with results, a task at phone width, and the dashboard in dark.
import { addDays } from '../../db/domain/dates.js';
import { callOk, expect, field, setUpAdmin, test } from './fixtures.js';
import { keepScreenshot } from './screenshot.js';

interface Profile {
  guest: { firstName: string; lastName: string };
  upcoming: unknown[];
  past: unknown[];
}

test('screenshots of the main screens', async ({ page, roomy: _ }) => {
  // A dozen screens drawn and pictured one after another.
  test.slow();
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

  // A guest opened from People: one who has stayed and is coming back, if the demo data has one.
  const stays = await callOk<{ items: { guestId: string }[] }>(page, 'reservations/list', {
    from: new Date().toISOString().slice(0, 10),
    status: ['CONFIRMED'],
    limit: 100,
  });
  const profiles: Profile[] = [];
  for (const guestId of new Set(stays.items.map((s) => s.guestId))) {
    profiles.push(await callOk<Profile>(page, 'guests/profile', { id: guestId }));
  }
  const stayed = (p: Profile) => p.upcoming.length + p.past.length;
  const { guest } = profiles.sort((a, b) => stayed(b) - stayed(a)).find((p) => p.past.length > 0) ?? profiles[0]!;
  const name = `${guest.firstName} ${guest.lastName}`;
  await page.getByRole('link', { name: 'People' }).click();
  await page.getByRole('textbox', { name: 'Search' }).fill(name);
  await page.getByRole('table', { name: 'People' }).getByRole('row').filter({ hasText: name }).first().click();
  await expect(page.getByRole('heading', { name })).toBeVisible();
  await expect(page.getByTestId('total-spent')).toBeVisible();
  await shoot('guest');

  // Free for three nights in a month's time, for four guests.
  const checkIn = addDays(new Date().toISOString().slice(0, 10), 30);
  await page.getByRole('link', { name: 'Availability' }).click();
  await field(page, 'Check-in').fill(checkIn);
  await field(page, 'Check-out').fill(addDays(checkIn, 3));
  await page.getByRole('textbox', { name: 'Guests' }).fill('4');
  await expect(page.getByTestId('availability-summary')).toContainText('for 4 guests');
  await expect(page.getByRole('table', { name: 'Free properties' }).locator('tbody tr').first()).toBeVisible();
  await shoot('availability');

  // A task as a cleaner sees it on a phone.
  await page.getByRole('link', { name: 'Tasks' }).click();
  await page.locator('a[href*="#/tasks/"]').first().click();
  await expect(page).toHaveURL(/#\/tasks\/[0-9a-f-]+$/);
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(page.getByTestId('task-status')).toBeVisible();
  await shoot('task-phone');

  // The dashboard when the system is set to dark.
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
  await page.getByRole('link', { name: 'Dashboard' }).click();
  await expect(page.getByTestId('figure-revenue')).toHaveText(/\d/);
  await shoot('dashboard-dark');
});
