// The office's everyday path, through the UI only: a location, a property, a booking, its
// payment, check-in and check-out, and the cleaning that check-out plans.
import { addDays } from '../../db/domain/dates.js';
import { choose, expect, field, setUpAdmin, test } from './fixtures.js';

const today = new Date().toISOString().slice(0, 10);
const checkIn = addDays(today, 10);
const checkOut = addDays(today, 14);

test('create a location and a property, book it, take the payment, check in and out', async ({ page, roomy: _ }) => {
  await setUpAdmin(page, { sampleData: false });
  // An empty office: the dashboard says so rather than showing zeros.
  await expect(page.getByText('No money recorded in this period')).toBeVisible();

  await page.getByRole('link', { name: 'Locations' }).click();
  await expect(page.getByText('No locations yet')).toBeVisible();
  await page.getByTestId('new-location').click();
  await field(page, 'Name').fill('Lisbon centre');
  await field(page, 'City').fill('Lisbon');
  await field(page, 'Country').fill('PT');
  await field(page, 'Time zone').fill('Europe/Lisbon');
  await field(page, 'Currency').fill('EUR');
  await page.getByRole('button', { name: 'Save location' }).click();
  await expect(page.getByRole('table', { name: 'Locations' }).getByText('Lisbon centre')).toBeVisible();

  await page.getByRole('link', { name: 'Properties' }).click();
  await page.getByTestId('new-property').click();
  await field(page, 'Name').fill('Alfama River Loft');
  await field(page, 'Address').fill('Rua de São Miguel 12, Lisboa');
  await choose(page, /^Location/, 'Lisbon', /Lisbon centre/);
  await field(page, 'Price per night').fill('120');
  await expect(field(page, 'Currency')).toHaveValue('EUR');
  await page.getByRole('button', { name: 'Add property' }).click();
  await expect(page.getByRole('heading', { name: 'Alfama River Loft' })).toBeVisible();

  await page.getByRole('link', { name: 'Reservations' }).click();
  await page.getByTestId('new-reservation').click();
  await choose(page, /^Property/, 'Alfama', 'Alfama River Loft');
  await page.getByRole('button', { name: 'New guest' }).click();
  const guestDialog = page.getByRole('dialog', { name: 'New guest' });
  await field(guestDialog.page(), 'First name').last().fill('Ana');
  await field(page, 'Last name').last().fill('Ribeiro');
  await guestDialog.getByRole('textbox', { name: /^Email/ }).fill('ana.ribeiro@example.com');
  await guestDialog.getByRole('button', { name: 'Add guest' }).click();
  await expect(page.getByTestId('guest-contact')).toHaveText('Booked under Ana Ribeiro · ana.ribeiro@example.com');
  await field(page, 'Check-in').fill(checkIn);
  await field(page, 'Check-out').fill(checkOut);
  // The total follows the nightly rate; the dates are free before Book is pressed.
  await expect(field(page, 'Total (EUR)')).toHaveValue('480.00');
  await expect(page.getByTestId('availability')).toContainText('Free for these 4 nights');
  await page.getByRole('button', { name: 'Book' }).click();

  await expect(page.getByRole('heading', { name: 'Ana Ribeiro at Alfama River Loft' })).toBeVisible();
  await expect(page.getByTestId('outstanding')).toHaveText('€480.00');
  await page.getByRole('button', { name: 'Record payment' }).click();
  await expect(field(page, 'Amount (EUR)')).toHaveValue('480.00');
  await page.getByRole('dialog').getByRole('button', { name: 'Record payment' }).click();
  await expect(page.getByTestId('outstanding')).toHaveText('€0.00');
  await expect(page.getByTestId('payment-status')).toHaveText('Paid');

  // The dashboard counts the payment at once.
  await page.getByRole('link', { name: 'Dashboard' }).click();
  await expect(page.getByTestId('figure-revenue')).toHaveText('€480.00');
  await page.goBack();

  await page.getByRole('button', { name: 'Check in' }).click();
  // Ten days before arrival: asked first.
  await page
    .getByRole('dialog', { name: 'Check Ana Ribeiro in early?' })
    .getByRole('button', { name: 'Check in early' })
    .click();
  await expect(page.getByTestId('reservation-status')).toHaveText('Checked in');
  await page.getByRole('button', { name: 'Check out' }).click();
  await expect(page.getByText('Checked out: a turnover cleaning task was planned.')).toBeVisible();
  await expect(page.getByRole('table', { name: 'Tasks' }).getByText('Turnover clean after Ana Ribeiro')).toBeVisible();

  await page.getByRole('link', { name: 'Tasks' }).click();
  await expect(page.getByTestId('board-PENDING').getByText('Turnover clean after Ana Ribeiro')).toBeVisible();
});
