// The reservation confirmation and the guest's receipt: the property's currency in the user's
// locale (a German-speaking user here), and on paper only the sheet, not the app around it.
import type { Page } from '@playwright/test';
import { callOk, expect, setUpAdmin, test } from './fixtures.js';

test.use({ locale: 'de-DE' });

interface Stay {
  id: string;
  propertyId: string;
  guestName: string;
  checkIn: string;
  currency: string;
  balance: { totalMinor: number; paidMinor: number };
}

const digitsOf = (currency: string) =>
  new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
/** How a German user writes an amount: "1.234,50 £". */
const german = (amountMinor: number, currency: string) =>
  new Intl.NumberFormat('de-DE', { style: 'currency', currency }).format(amountMinor / 10 ** digitsOf(currency));

/** A stay with a payment, at a property priced in something other than euros. */
async function paidStayOutsideTheEuro(page: Page): Promise<Stay> {
  const list = await callOk<{ items: { id: string; currency: string }[] }>(page, 'reservations/list', {
    status: ['CHECKED_OUT'],
    limit: 200,
  });
  for (const item of list.items.filter((r) => r.currency !== 'EUR')) {
    const stay = await callOk<Stay>(page, 'reservations/get', { id: item.id });
    if (stay.balance.paidMinor > 0) return stay;
  }
  throw new Error('The demo data has no paid stay outside the euro');
}

const open = (page: Page, path: string) => page.evaluate((hash) => (location.hash = hash), `#${path}`);

test('the confirmation and the receipt show the property’s currency in the user’s locale, and print alone', async ({
  page,
  roomy: _,
}) => {
  await setUpAdmin(page, { sampleData: true });
  const stay = await paidStayOutsideTheEuro(page);
  const property = await callOk<{ currency: string }>(page, 'properties/get', { id: stay.propertyId });
  expect(stay.currency).toBe(property.currency);
  const total = german(stay.balance.totalMinor, property.currency);
  const arrival = new Intl.DateTimeFormat('de-DE', { dateStyle: 'full', timeZone: 'UTC' }).format(
    new Date(`${stay.checkIn}T00:00:00Z`),
  );

  await open(page, `/reservations/${stay.id}/confirmation`);
  const confirmation = page.getByRole('article', { name: 'Reservation confirmation' });
  await expect(confirmation.getByRole('heading', { name: 'Reservation confirmation' })).toBeVisible();
  await expect(confirmation).toContainText(stay.guestName);
  await expect(confirmation.getByRole('table', { name: 'Amounts' })).toContainText(total);
  await expect(confirmation.getByRole('table', { name: 'Stay' })).toContainText(arrival);

  await page.getByRole('link', { name: 'Receipt' }).click();
  const receipt = page.getByRole('article', { name: 'Receipt' });
  await expect(receipt.getByRole('heading', { name: 'Receipt' })).toBeVisible();
  await expect(receipt.getByRole('table', { name: 'Amounts' })).toContainText(total);
  await expect(receipt.getByRole('table', { name: 'Amounts' })).toContainText(
    german(stay.balance.paidMinor, property.currency),
  );
  const entries = await callOk<{ items: { type: string; amountMinor: number }[] }>(page, 'ledger/list', {
    reservationId: stay.id,
    type: ['GUEST_PAYMENT'],
  });
  const payment = entries.items.find((e) => e.amountMinor > 0)!;
  await expect(receipt.getByRole('table', { name: 'Payments' })).toContainText(
    german(payment.amountMinor, property.currency),
  );

  // On paper: the sheet, without the navigation, the header or the print button.
  const navigation = page.getByRole('navigation', { name: 'Main navigation' });
  const printButton = page.getByRole('button', { name: 'Print / Save as PDF' });
  await expect(navigation).toBeVisible();
  await expect(printButton).toBeVisible();
  await page.emulateMedia({ media: 'print' });
  await expect(navigation).toBeHidden();
  await expect(printButton).toBeHidden();
  await expect(page.getByRole('button', { name: 'Account menu' })).toBeHidden();
  await expect(receipt.getByRole('heading', { name: 'Receipt' })).toBeVisible();
  await expect(receipt).toContainText(total);
  await page.emulateMedia({ media: 'screen' });
  await expect(navigation).toBeVisible();
});
