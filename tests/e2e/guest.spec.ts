// The guest page: opened from People, it shows the guest's stays to come and past, what they have
// spent and whether they are a repeat guest; the office keeps notes, tags and a "do not rent"
// flag with its reason there, and they are still there when the page is opened again.
import type { Page } from '@playwright/test';
import { addDays } from '../../db/domain/dates.js';
import { callOk, expect, setUpAdmin, test } from './fixtures.js';

const today = new Date().toISOString().slice(0, 10);
const GUEST = { email: 'ines.harbour@example.com', firstName: 'Inês', lastName: 'Harbour' };

/** A property and a guest with a stay already behind her and one to come, each partly paid. */
async function returningGuest(page: Page): Promise<string> {
  const location = await callOk(page, 'locations/create', {
    name: 'Lisbon',
    city: 'Lisbon',
    country: 'PT',
    timeZone: 'Europe/Lisbon',
    currency: 'EUR',
  });
  const property = await callOk(page, 'properties/create', {
    name: 'Alfama Loft',
    type: 'APARTMENT',
    address: 'Rua dos Remédios 12',
    locationId: location.id,
    capacity: 4,
    bedrooms: 2,
    bathrooms: 1,
    pricePerNightMinor: 12_000,
    currency: 'EUR',
  });
  const guest = await callOk(page, 'users/create', { ...GUEST, role: 'GUEST' });
  const stay = (checkIn: string, checkOut: string, totalMinor: number) =>
    callOk(page, 'reservations/create', {
      propertyId: property.id,
      guestId: guest.id,
      checkIn,
      checkOut,
      guests: 2,
      status: 'CONFIRMED',
      totalMinor,
      currency: 'EUR',
      guestName: `${GUEST.firstName} ${GUEST.lastName}`,
      guestEmail: GUEST.email,
      source: 'direct',
    });
  const pay = (reservationId: string, amountMinor: number) =>
    callOk(page, 'ledger/record', {
      userId: guest.id,
      reservationId,
      propertyId: property.id,
      type: 'GUEST_PAYMENT',
      category: 'booking',
      amountMinor,
      currency: 'EUR',
      netAmountMinor: amountMinor,
      status: 'COMPLETED',
    });
  const last = await stay(addDays(today, -40), addDays(today, -36), 48_000);
  await pay(last.id, 48_000);
  await callOk(page, 'reservations/set-status', { id: last.id, status: 'CHECKED_IN' });
  await callOk(page, 'reservations/set-status', { id: last.id, status: 'CHECKED_OUT' });
  const next = await stay(addDays(today, 20), addDays(today, 23), 36_000);
  await pay(next.id, 10_000);
  return guest.id;
}

async function openFromPeople(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'People' }).click();
  await page.getByRole('table', { name: 'People' }).getByRole('link', { name: 'Inês Harbour' }).click();
  await expect(page.getByRole('heading', { name: 'Inês Harbour' })).toBeVisible();
}

test('a guest opens from People with her stays and spending; notes, tags and do-not-rent are kept', async ({
  page,
  roomy: _,
}) => {
  // A long journey through several screens: more time than one screen's test needs.
  test.slow();
  await setUpAdmin(page, { sampleData: false });
  const guestId = await returningGuest(page);

  await openFromPeople(page);
  await expect(page.getByText(GUEST.email)).toBeVisible();
  const upcoming = page.getByRole('table', { name: 'Upcoming stays' });
  const past = page.getByRole('table', { name: 'Past stays' });
  await expect(upcoming.getByRole('row')).toHaveCount(2);
  await expect(upcoming.getByRole('row').nth(1)).toContainText('Alfama Loft');
  await expect(upcoming.getByRole('row').nth(1)).toContainText('Confirmed');
  await expect(past.getByRole('row')).toHaveCount(2);
  await expect(past.getByRole('row').nth(1)).toContainText('Checked out');
  await expect(page.getByTestId('total-spent')).toContainText('€580.00');
  await expect(page.getByTestId('repeat-guest')).toBeVisible();
  await expect(page.getByTestId('do-not-rent-warning')).toHaveCount(0);

  const details = page.getByRole('region', { name: 'What the office keeps' });
  await details.getByRole('textbox', { name: 'Notes' }).fill('Asks for a cot; arrives late.');
  const tags = details.getByRole('combobox', { name: 'Tags' });
  await tags.fill('Family');
  await tags.press('Enter');
  await tags.fill('Late arrival');
  await tags.press('Enter');
  await details.getByRole('switch', { name: /^Do not rent/ }).check();
  // The flag needs its reason, asked for before anything is sent.
  await details.getByRole('button', { name: 'Save details' }).click();
  await expect(details.getByText('is required to mark the guest “do not rent”')).toBeVisible();
  await details.getByRole('textbox', { name: /^Reason not to rent/ }).fill('Party in March: broken chairs');
  await details.getByRole('button', { name: 'Save details' }).click();
  await expect(page.getByText('Inês Harbour’s details were saved.')).toBeVisible();
  await expect(page.getByTestId('do-not-rent-warning')).toContainText('Party in March: broken chairs');

  // Kept: in the database, in the People list, and on the page opened afresh.
  const saved = await callOk<Record<string, unknown>>(page, 'users/get', { id: guestId });
  expect(saved).toMatchObject({
    notes: 'Asks for a cot; arrives late.',
    tags: ['Family', 'Late arrival'],
    doNotRent: true,
    doNotRentReason: 'Party in March: broken chairs',
  });
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'People' }).click();
  await expect(page.getByRole('table', { name: 'People' }).getByText('Do not rent')).toBeVisible();
  await page.reload();
  await openFromPeople(page);
  const again = page.getByRole('region', { name: 'What the office keeps' });
  await expect(again.getByRole('textbox', { name: 'Notes' })).toHaveValue('Asks for a cot; arrives late.');
  await expect(again.getByText('Family', { exact: true })).toBeVisible();
  await expect(again.getByText('Late arrival', { exact: true })).toBeVisible();
  await expect(again.getByRole('switch', { name: /^Do not rent/ })).toBeChecked();
  await expect(again.getByRole('textbox', { name: /^Reason not to rent/ })).toHaveValue(
    'Party in March: broken chairs',
  );
  await expect(page.getByTestId('do-not-rent-badge')).toBeVisible();
});
