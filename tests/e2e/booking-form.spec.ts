// The booking form asks each thing once: the guest's name and email come from the chosen guest,
// the currency from the property, the total from the nightly rate as the dates change, and
// whether the nights are free shows before Book is pressed. A stay years ahead (9999) is refused
// in words, before sending and at the boundary.
import { addDays } from '../../db/domain/dates.js';
import { callFromPage, callOk, choose, expect, field, setUpAdmin, test } from './fixtures.js';
import { smallOffice, stayOf, today } from './guard-rails-office.js';

test.describe.configure({ timeout: 180_000 });

const TOO_FAR = 'is too far ahead: stays are taken at most three years in advance';

test('the booking form fills the guest’s details, the property’s currency and the total, and shows availability', async ({
  page,
  roomy: _,
}) => {
  await setUpAdmin(page, { sampleData: false });
  const office = await smallOffice(page);
  await stayOf(page, office, 40, 3);

  await page.getByRole('link', { name: 'Reservations' }).click();
  await page.getByTestId('new-reservation').click();
  const dialog = page.getByRole('dialog', { name: 'New reservation' });
  const availability = dialog.getByTestId('availability');
  await expect(availability).toHaveText('Choose the property and the dates to see whether they are free.');
  await choose(page, /^Property/, 'Ribeira', 'Ribeira Studio');
  await choose(page, /^Guest/, 'João', /João Alves/);
  await expect(dialog.getByTestId('guest-contact')).toHaveText('Booked under João Alves · joao@example.com');
  // Asked once: no second name or email to type, no currency to type.
  await expect(dialog.getByRole('textbox', { name: /^Name on the booking/ })).toHaveCount(0);
  await expect(dialog.getByRole('textbox', { name: /^Currency/ })).toHaveCount(0);

  const total = field(page, 'Total (EUR)');
  await field(page, 'Check-in').fill(addDays(today, 30));
  await field(page, 'Check-out').fill(addDays(today, 33));
  await expect(total).toHaveValue('300.00');
  await expect(dialog.getByText('3 nights × €100.00 = €300.00')).toBeVisible();
  await expect(availability).toContainText('Free for these 3 nights');
  await field(page, 'Check-out').fill(addDays(today, 35));
  await expect(total).toHaveValue('500.00');

  // Nights someone else has: said before Book is pressed.
  await field(page, 'Check-in').fill(addDays(today, 41));
  await field(page, 'Check-out').fill(addDays(today, 44));
  await expect(availability).toContainText('Not free');
  await expect(availability).toContainText(
    /Ribeira Studio is already booked .* by João Alves \(confirmed\)\. Choose other dates\./,
  );

  await field(page, 'Check-in').fill(addDays(today, 30));
  await field(page, 'Check-out').fill(addDays(today, 33));
  await expect(availability).toContainText('Free for these 3 nights');
  await expect(total).toHaveValue('300.00');
  await dialog.getByRole('button', { name: 'Book' }).click();
  await expect(page.getByRole('heading', { name: 'João Alves at Ribeira Studio' })).toBeVisible();
  const id = new URL(page.url()).hash.split('/').pop()!;
  const booked = await callOk<Record<string, unknown>>(page, 'reservations/get', { id });
  expect(booked).toMatchObject({
    guestId: office.guestId,
    guestName: 'João Alves',
    guestEmail: 'joao@example.com',
    currency: 'EUR',
    totalMinor: 30_000,
    checkIn: addDays(today, 30),
    checkOut: addDays(today, 33),
  });
});

test('a booking in the year 9999 is refused with a clear message', async ({ page, roomy: _ }) => {
  await setUpAdmin(page, { sampleData: false });
  const office = await smallOffice(page);
  const refused = await callFromPage(page, 'reservations/create', {
    propertyId: office.propertyId,
    guestId: office.guestId,
    checkIn: '9999-12-20',
    checkOut: '9999-12-27',
    guests: 2,
    totalMinor: 70_000,
    currency: 'EUR',
    guestName: 'João Alves',
    guestEmail: 'joao@example.com',
    source: 'direct',
  });
  expect(refused).toMatchObject({ ok: false, error: { code: 'validation', message: `Check-out ${TOO_FAR}.` } });

  await page.getByRole('link', { name: 'Reservations' }).click();
  await page.getByTestId('new-reservation').click();
  const dialog = page.getByRole('dialog', { name: 'New reservation' });
  await choose(page, /^Property/, 'Ribeira', 'Ribeira Studio');
  await choose(page, /^Guest/, 'João', /João Alves/);
  await field(page, 'Check-in').fill('9999-12-20');
  await field(page, 'Check-out').fill('9999-12-27');
  await expect(dialog.getByTestId('availability')).toContainText(`Check-out ${TOO_FAR}.`);
  await dialog.getByRole('button', { name: 'Book' }).click();
  await expect(field(page, 'Check-out')).toHaveAccessibleDescription(new RegExp(TOO_FAR));
  await expect(dialog.getByTestId('form-error')).toHaveText('Please correct the marked fields.');
  expect((await callOk<{ total: number }>(page, 'reservations/list', {})).total).toBe(0);
});
