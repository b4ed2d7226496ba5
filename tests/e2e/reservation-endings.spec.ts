// Cancelling a stay or marking a no-show asks in the app's own dialog (the browser's prompt()
// throws in Electron): the reason given is kept in the audit log, backing out changes nothing, and
// a refusal is shown in the dialog.
import type { Page } from '@playwright/test';
import { addDays } from '../../db/domain/dates.js';
import { callFromPage, callOk, expect, setUpAdmin, test } from './fixtures.js';

const today = new Date().toISOString().slice(0, 10);
const REASON = 'The guest’s flight was cancelled; they will book again in the autumn.';

/** A property with one confirmed stay for João Alves, made through the page's own calls. */
async function officeWithOneStay(page: Page): Promise<string> {
  const location = await callOk(page, 'locations/create', {
    name: 'Porto',
    city: 'Porto',
    country: 'PT',
    timeZone: 'Europe/Lisbon',
    currency: 'EUR',
  });
  const property = await callOk(page, 'properties/create', {
    name: 'Ribeira Studio',
    type: 'STUDIO',
    address: 'Cais da Ribeira 5',
    locationId: location.id,
    capacity: 2,
    bedrooms: 1,
    bathrooms: 1,
    pricePerNightMinor: 9000,
    currency: 'EUR',
  });
  const guest = await callOk(page, 'users/create', {
    email: 'joao@example.com',
    firstName: 'João',
    lastName: 'Alves',
    role: 'GUEST',
  });
  const reservation = await callOk(page, 'reservations/create', {
    propertyId: property.id,
    guestId: guest.id,
    checkIn: addDays(today, 20),
    checkOut: addDays(today, 25),
    guests: 2,
    status: 'CONFIRMED',
    totalMinor: 45000,
    currency: 'EUR',
    guestName: 'João Alves',
    guestEmail: 'joao@example.com',
    source: 'direct',
  });
  return reservation.id;
}

async function openTheStay(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Reservations' }).click();
  await page.getByRole('table', { name: 'Reservations' }).getByText('João Alves').click();
  await expect(page.getByRole('heading', { name: 'João Alves at Ribeira Studio' })).toBeVisible();
}

const statusOf = async (page: Page, id: string) =>
  (await callOk<{ status: string }>(page, 'reservations/get', { id })).status;

const reasonsFor = async (page: Page, id: string) =>
  (
    await callOk<{ items: { after: { from: string; to: string; reason: string } }[] }>(page, 'audit/list', {
      action: 'reservations.status-reason',
      entityId: id,
    })
  ).items.map((row) => row.after);

test('cancel a stay giving a reason; backing out of the dialog changes nothing', async ({ page, roomy: _ }) => {
  await setUpAdmin(page, { sampleData: false });
  const id = await officeWithOneStay(page);
  await openTheStay(page);

  const dialog = page.getByRole('dialog', { name: 'Cancel the reservation of João Alves?' });
  const reason = dialog.getByRole('textbox', { name: 'Reason' });

  // Keep it: the dialog goes, and so does what was typed.
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(dialog).toBeVisible();
  await expect(reason).toBeFocused();
  await reason.fill('typed, then thought better of it');
  await dialog.getByRole('button', { name: 'Keep it' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);

  // Escape backs out too.
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(reason).toBeFocused();
  await expect(reason).toHaveValue('');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);

  await expect(page.getByTestId('reservation-status')).toHaveText('Confirmed');
  expect(await statusOf(page, id)).toBe('CONFIRMED');
  expect(await reasonsFor(page, id)).toEqual([]);

  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(reason).toBeFocused();
  await page.keyboard.type(REASON);
  await dialog.getByRole('button', { name: 'Cancel the reservation' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByTestId('reservation-status')).toHaveText('Cancelled');
  await expect(page.getByRole('button', { name: 'Cancel', exact: true })).toHaveCount(0);
  expect(await statusOf(page, id)).toBe('CANCELLED');
  expect(await reasonsFor(page, id)).toEqual([{ from: 'CONFIRMED', to: 'CANCELLED', reason: REASON }]);
});

test('a no-show the database refuses says why in the dialog, which stays open', async ({ page, roomy: _ }) => {
  await setUpAdmin(page, { sampleData: false });
  const id = await officeWithOneStay(page);
  await openTheStay(page);

  await page.getByRole('button', { name: 'No-show' }).click();
  const dialog = page.getByRole('dialog', { name: 'Mark João Alves as a no-show?' });
  await expect(dialog.getByRole('textbox', { name: 'Reason' })).toBeFocused();
  // Meanwhile the stay is cancelled elsewhere: marking it a no-show is no longer allowed.
  expect((await callFromPage(page, 'reservations/set-status', { id, status: 'CANCELLED' })).ok).toBe(true);
  await dialog.getByRole('textbox', { name: 'Reason' }).fill('Did not arrive by midnight.');
  await dialog.getByRole('button', { name: 'Mark as no-show' }).click();

  await expect(dialog.getByRole('alert')).toHaveText('A reservation that is cancelled cannot become a no-show.');
  await expect(dialog.getByRole('textbox', { name: 'Reason' })).toHaveValue('Did not arrive by midnight.');
  await dialog.getByRole('button', { name: 'Keep it' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByTestId('reservation-status')).toHaveText('Cancelled');
  expect(await reasonsFor(page, id)).toEqual([]);
});
