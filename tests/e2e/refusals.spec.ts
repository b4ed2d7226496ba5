// What the office is told when something cannot be saved: a booking that clashes names the stay
// it clashes with, bad input is marked on its fields, and in every case nothing is written.
import type { Page } from '@playwright/test';
import { addDays } from '../../db/domain/dates.js';
import { callFromPage, choose, expect, field, setUpAdmin, test } from './fixtures.js';

const today = new Date().toISOString().slice(0, 10);

/** A location, a two-guest property and a booked guest, made through the page's own calls. */
async function officeWithOneBooking(page: Page) {
  const ok = async (name: string, input: unknown) => {
    const result = (await callFromPage(page, name, input)) as { ok: boolean; value?: { id: string }; error?: unknown };
    expect(result.ok, `${name}: ${JSON.stringify(result.error)}`).toBe(true);
    return result.value!;
  };
  const location = await ok('locations/create', {
    name: 'Porto',
    city: 'Porto',
    country: 'PT',
    timeZone: 'Europe/Lisbon',
    currency: 'EUR',
  });
  const property = await ok('properties/create', {
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
  const guest = await ok('users/create', {
    email: 'joao@example.com',
    firstName: 'João',
    lastName: 'Alves',
    role: 'GUEST',
  });
  await ok('reservations/create', {
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
}

const reservationRows = (page: Page) => page.getByRole('table', { name: 'Reservations' }).locator('tbody tr');

test('an overlapping booking shows the clash and saves nothing', async ({ page, roomy: _ }) => {
  await setUpAdmin(page, { sampleData: false });
  await officeWithOneBooking(page);
  await page.getByRole('link', { name: 'Reservations' }).click();
  await expect(reservationRows(page)).toHaveCount(1);

  await page.getByTestId('new-reservation').click();
  await choose(page, /^Property/, 'Ribeira', 'Ribeira Studio');
  await choose(page, /^Guest/, 'João', /João Alves/);
  await expect(page.getByTestId('guest-contact')).toHaveText('Booked under João Alves · joao@example.com');
  await field(page, 'Check-in').fill(addDays(today, 23));
  await field(page, 'Check-out').fill(addDays(today, 27));
  await field(page, 'Total (EUR)').fill('360');
  await page.getByRole('button', { name: 'Book' }).click();

  const error = page.getByTestId('form-error');
  await expect(error).toContainText(
    /Ribeira Studio is already booked .+ by João Alves \(confirmed\)\. Choose other dates\./,
  );
  // Still open, so the user can pick other dates; and nothing was written.
  await expect(page.getByRole('dialog', { name: 'New reservation' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(reservationRows(page)).toHaveCount(1);

  // A rule only main knows (the property's capacity) lands on its field too.
  await page.getByTestId('new-reservation').click();
  await choose(page, /^Property/, 'Ribeira', 'Ribeira Studio');
  await choose(page, /^Guest/, 'João', /João Alves/);
  await field(page, 'Check-in').fill(addDays(today, 40));
  await field(page, 'Check-out').fill(addDays(today, 42));
  await page.getByRole('textbox', { name: 'Guests' }).fill('5');
  await field(page, 'Total (EUR)').fill('180');
  await page.getByRole('button', { name: 'Book' }).click();
  await expect(page.getByRole('dialog').getByText('must be at most 2, the capacity of Ribeira Studio')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(reservationRows(page)).toHaveCount(1);
});

test('a form with bad input shows field errors and saves nothing', async ({ page, roomy: _ }) => {
  await setUpAdmin(page, { sampleData: false });
  await officeWithOneBooking(page);
  await page.getByRole('link', { name: 'Properties' }).click();
  const rows = page.getByRole('table', { name: 'Properties' }).locator('tbody tr');
  await expect(rows).toHaveCount(1);

  await page.getByTestId('new-property').click();
  const dialog = page.getByRole('dialog', { name: 'New property' });
  await field(page, 'Address').fill('Somewhere 1');
  await field(page, 'Price per night').fill('12.345');
  await field(page, 'Currency').fill('EUR');
  await dialog.getByRole('button', { name: 'Add property' }).click();

  await expect(dialog.getByTestId('form-error')).toHaveText('Please correct the marked fields.');
  await expect(dialog.getByText('must not be empty')).toBeVisible();
  await expect(dialog.getByText('is required')).toBeVisible();
  await expect(dialog.getByText('"12.345" has more than 2 decimal places')).toBeVisible();
  await expect(field(page, 'Name')).toHaveAttribute('aria-invalid', 'true');
  await expect(field(page, 'Price per night')).toHaveAttribute('aria-invalid', 'true');
  await page.keyboard.press('Escape');
  await expect(rows).toHaveCount(1);

  // The location form refuses a time zone that does not exist, naming the field.
  await page.getByRole('link', { name: 'Locations' }).click();
  await page.getByTestId('new-location').click();
  await field(page, 'Name').fill('Faro');
  await field(page, 'City').fill('Faro');
  await field(page, 'Country').fill('PT');
  await field(page, 'Time zone').fill('Europe/Atlantis');
  await page.getByRole('button', { name: 'Save location' }).click();
  await expect(field(page, 'Time zone')).toHaveAttribute('aria-invalid', 'true');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('table', { name: 'Locations' }).locator('tbody tr')).toHaveCount(1);
});
