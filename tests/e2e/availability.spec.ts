// "Free 12–15 March for 4 guests": the availability search finds the properties free on every
// night that hold the party, leaves out one that is booked, and a result opens the booking form
// already filled in with the property, the dates, the party and the price.
import { addDays } from '../../db/domain/dates.js';
import { callOk, expect, field, setUpAdmin, test } from './fixtures.js';

interface Free {
  id: string;
  name: string;
  capacity: number;
  totalMinor: number;
  currency: string;
}
interface Stay {
  id: string;
  propertyId: string;
  checkIn: string;
  checkOut: string;
  guests: number;
}

test('availability: search free nights for a party, then book a result with the form filled in', async ({
  page,
  roomy: _,
}) => {
  // The sample data, a search, a guest and a booking.
  test.slow();
  await setUpAdmin(page, { sampleData: true });
  const today = new Date().toISOString().slice(0, 10);
  // A confirmed stay still to come: its property must not be offered for its nights.
  const upcoming = await callOk<{ items: Stay[] }>(page, 'reservations/list', {
    from: addDays(today, 7),
    status: ['CONFIRMED'],
    order: 'asc',
    limit: 1,
  });
  const taken = upcoming.items[0]!;
  expect(taken.checkIn > today).toBe(true);
  const checkIn = taken.checkIn;
  const checkOut = addDays(checkIn, 3);
  const guests = 4;

  await page.getByRole('link', { name: 'Availability' }).click();
  await expect(page.getByRole('heading', { name: 'Find free dates' })).toBeVisible();
  await expect(page.getByText('When is the stay?')).toBeVisible();
  await field(page, 'Check-in').fill(checkIn);
  await field(page, 'Check-out').fill(checkOut);
  await page.getByRole('textbox', { name: 'Guests' }).fill(String(guests));

  const expected = await callOk<{ items: Free[] }>(page, 'availability/search', {
    checkIn,
    checkOut,
    guests,
    limit: 100,
  });
  expect(expected.items.length).toBeGreaterThan(0);
  await expect(page.getByTestId('availability-summary')).toContainText(`for ${guests} guests`);
  const table = page.getByRole('table', { name: 'Free properties' });
  const rows = table.locator('tbody tr');
  await expect(rows).toHaveCount(expected.items.length);
  const names = (await rows.locator('td:nth-child(1) p:first-child').allInnerTexts()).map((n) => n.trim());
  expect(names).toEqual(expected.items.map((p) => p.name));
  // Every result sleeps the party; the booked property is not among them.
  for (const sleeps of await rows.locator('td:nth-child(4)').allInnerTexts())
    expect(Number(sleeps)).toBeGreaterThanOrEqual(guests);
  expect(expected.items.map((p) => p.id)).not.toContain(taken.propertyId);

  const chosen = expected.items[0]!;
  await page.getByRole('button', { name: `Book ${chosen.name}` }).click();
  const dialog = page.getByRole('dialog', { name: 'New reservation' });
  await expect(dialog.getByRole('combobox', { name: /^Property/ })).toHaveValue(chosen.name);
  await expect(dialog.getByRole('textbox', { name: /^Check-in/ })).toHaveValue(checkIn);
  await expect(dialog.getByRole('textbox', { name: /^Check-out/ })).toHaveValue(checkOut);
  await expect(dialog.getByRole('textbox', { name: 'Guests' })).toHaveValue(String(guests));
  await expect(dialog.getByTestId('availability')).toContainText('Free for these 3 nights');
  // The total is the nights at the property's nightly rate, as the search priced them.
  await expect(dialog.getByRole('textbox', { name: new RegExp(`^Total \\(${chosen.currency}\\)`) })).toHaveValue(
    (chosen.totalMinor / 100).toFixed(2),
  );

  await dialog.getByRole('button', { name: 'New guest' }).click();
  const guestDialog = page.getByRole('dialog', { name: 'New guest' });
  await guestDialog.getByRole('textbox', { name: /^First name/ }).fill('Rita');
  await guestDialog.getByRole('textbox', { name: /^Last name/ }).fill('Quental');
  await guestDialog.getByRole('textbox', { name: /^Email/ }).fill('rita.quental@example.com');
  await guestDialog.getByRole('button', { name: 'Add guest' }).click();
  await expect(dialog.getByTestId('guest-contact')).toContainText('Rita Quental');
  await dialog.getByRole('button', { name: 'Book' }).click();
  await expect(page.getByRole('heading', { name: `Rita Quental at ${chosen.name}` })).toBeVisible();

  // Back at the same search, the property just booked is no longer free.
  await page.goBack();
  await expect(page.getByTestId('availability-summary')).toBeVisible();
  await expect(rows).toHaveCount(expected.items.length - 1);
  await expect(page.getByRole('button', { name: `Book ${chosen.name}` })).toHaveCount(0);

  // Wrong dates are said in words before anything is searched.
  await field(page, 'Check-out').fill(addDays(checkIn, -1));
  await expect(page.getByText('Check-out must be after check-in')).toBeVisible();
  await expect(table).toHaveCount(0);
});
