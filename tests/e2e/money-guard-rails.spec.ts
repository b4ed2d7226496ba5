// Guard rails where money is at stake: a payment beyond what a stay owes is taken only as the
// guest's credit, knowingly, and back-dated only within the last year; an owner payout goes to
// the property's owner; and a reversal reads like a ledger: its reason, what it reverses by name,
// the original marked reversed with no second Reverse.
import type { Page } from '@playwright/test';
import { addDays } from '../../db/domain/dates.js';
import { callFromPage, callOk, choose, expect, field, setUpAdmin, test } from './fixtures.js';
import { openTheStay, smallOffice, stayOf, today } from './guard-rails-office.js';

test.describe.configure({ timeout: 180_000 });

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-/i;

type Entry = { id: string; amountMinor: number; processedAt: string; isCredit: boolean };
const entriesOf = async (page: Page, reservationId: string) =>
  (await callOk<{ items: Entry[] }>(page, 'ledger/list', { reservationId })).items;

test('€5,000,000 on a €100 stay is taken only as the guest’s credit, ticked; received on a day within the year', async ({
  page,
  roomy: _,
}) => {
  await setUpAdmin(page, { sampleData: false });
  const office = await smallOffice(page);
  const id = await stayOf(page, office, 10, 1);

  // The boundary refuses it whatever the screen does.
  const refused = await callFromPage(page, 'ledger/record', {
    userId: office.guestId,
    reservationId: id,
    type: 'GUEST_PAYMENT',
    category: 'booking',
    amountMinor: 500_000_000,
    currency: 'EUR',
    netAmountMinor: 500_000_000,
  });
  expect(refused).toMatchObject({ ok: false, error: { code: 'validation' } });
  expect(refused.error?.message).toContain('€100.00 still owed');

  await openTheStay(page);
  await page.getByRole('button', { name: 'Record payment' }).click();
  const dialog = page.getByRole('dialog', { name: 'Record a payment' });
  const amount = field(page, 'Amount (EUR)');
  await expect(amount).toHaveValue('100.00');
  const credit = dialog.getByRole('checkbox', { name: 'Record as the guest’s credit (an overpayment)' });
  await expect(credit).toHaveCount(0);
  await amount.fill('5000000');
  await expect(credit).not.toBeChecked();
  await dialog.getByRole('button', { name: 'Record payment' }).click();
  await expect(dialog).toContainText(
    'is more than the €100.00 still owed: tick “Record as the guest’s credit” to take it all, or take what is owed',
  );
  expect(await entriesOf(page, id)).toEqual([]);

  // Back-dated: not before a year ago, never ahead.
  const receivedOn = field(page, 'Received on');
  await expect(receivedOn).toHaveValue(today);
  await receivedOn.fill(addDays(today, -800));
  await credit.check();
  await dialog.getByRole('button', { name: 'Record payment' }).click();
  await expect(dialog).toContainText('must be within the last year, on or after');
  expect(await entriesOf(page, id)).toEqual([]);

  const threeDaysAgo = addDays(today, -3);
  await receivedOn.fill(threeDaysAgo);
  await dialog.getByRole('button', { name: 'Record payment' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByTestId('outstanding')).toHaveText('€0.00');
  const [payment] = await entriesOf(page, id);
  expect(payment).toMatchObject({ amountMinor: 500_000_000, isCredit: true });
  expect(new Date(payment!.processedAt).toISOString().slice(0, 10)).toBe(threeDaysAgo);
});

test('an owner payout suggests the property’s owner and refuses someone who does not own it', async ({
  page,
  roomy: _,
}) => {
  await setUpAdmin(page, { sampleData: false });
  const office = await smallOffice(page);
  const other = await callOk(page, 'users/create', {
    email: 'rui@example.com',
    firstName: 'Rui',
    lastName: 'Costa',
    role: 'OWNER',
  });
  const payout = {
    type: 'OWNER_PAYOUT',
    propertyId: office.propertyId,
    category: 'owner payout',
    amountMinor: 25_000,
    currency: 'EUR',
    netAmountMinor: 25_000,
  };
  const refused = await callFromPage(page, 'ledger/record', { ...payout, userId: other.id });
  expect(refused).toMatchObject({ ok: false, error: { code: 'validation' } });
  expect(refused.error?.message).toContain('must be the owner of Ribeira Studio');

  await page.getByRole('link', { name: 'Ledger' }).click();
  await page.getByRole('button', { name: 'Record entry' }).click();
  const dialog = page.getByRole('dialog', { name: 'Record a ledger entry' });
  await choose(page, /^Property/, 'Ribeira', 'Ribeira Studio');
  const paidTo = dialog.getByRole('combobox', { name: /^Paid to/ });
  await expect(paidTo).toHaveValue('Olga Pires · olga@example.com');
  await expect(dialog.getByText('The owner of Ribeira Studio.')).toBeVisible();
  await expect(field(page, 'Currency')).toHaveValue('EUR');

  await choose(page, /^Paid to/, 'Rui', /Rui Costa/);
  await expect(dialog.getByText('The owner of Ribeira Studio is Olga Pires: a payout goes to them.')).toBeVisible();
  await field(page, 'Amount').fill('250');
  await dialog.getByRole('button', { name: 'Record entry' }).click();
  await expect(dialog).toContainText(
    'must be the owner of Ribeira Studio: an owner payout goes to the property’s owner',
  );
  expect((await callOk<{ total: number }>(page, 'ledger/list', {})).total).toBe(0);

  await choose(page, /^Paid to/, 'Olga', /Olga Pires/);
  await dialog.getByRole('button', { name: 'Record entry' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  const row = page.getByRole('table', { name: 'Ledger entries' }).getByRole('row').filter({ hasText: 'Owner payout' });
  await expect(row).toContainText('Olga Pires');
  await expect(row).toContainText('Ribeira Studio');
  await expect(row).toContainText('€250.00');
});

test('a reversal shows its reason, names the stay it reverses, and the original is marked reversed', async ({
  page,
  roomy: _,
}) => {
  await setUpAdmin(page, { sampleData: false });
  const office = await smallOffice(page);
  const id = await stayOf(page, office, 10, 3);
  await callOk(page, 'ledger/record', {
    userId: office.guestId,
    reservationId: id,
    type: 'GUEST_PAYMENT',
    category: 'booking',
    amountMinor: 10_000,
    currency: 'EUR',
    netAmountMinor: 10_000,
    paymentMethod: 'card',
  });

  await page.getByRole('link', { name: 'Ledger' }).click();
  const table = page.getByRole('table', { name: 'Ledger entries' });
  await expect(table.getByRole('row').filter({ hasText: 'Guest payment' })).toContainText(
    'João Alves · Ribeira Studio',
  );
  await table
    .getByRole('button', { name: /^Reverse the guest payment of €100\.00 from João Alves, Ribeira Studio/ })
    .click();
  const dialog = page.getByRole('dialog', { name: 'Reverse this entry?' });
  await expect(dialog).toContainText(
    'A new entry of -€100.00 will cancel the guest payment of €100.00 from João Alves, Ribeira Studio',
  );
  await dialog.getByRole('button', { name: 'Reverse entry' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('Reason is required.');
  await dialog.getByRole('textbox', { name: 'Reason' }).fill('Recorded on the wrong stay');
  await dialog.getByRole('button', { name: 'Reverse entry' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);

  const shows = async (scope: ReturnType<Page['getByRole']>) => {
    const rows = scope.getByRole('row');
    const reversal = rows.filter({ hasText: 'Reversal' });
    const original = rows.filter({ has: scope.page().getByTestId('reversed') });
    await expect(reversal).toContainText('of the guest payment of €100.00 recorded');
    await expect(reversal).toContainText('Reason: Recorded on the wrong stay');
    await expect(reversal).toContainText('João Alves · Ribeira Studio');
    await expect(original).toHaveCount(1);
    await expect(original).toContainText('€100.00');
    await expect(original).toContainText('Reason: Recorded on the wrong stay');
    // Reversed once: neither row offers Reverse again.
    await expect(scope.getByRole('button', { name: /^Reverse/ })).toHaveCount(0);
    expect(await scope.innerText()).not.toMatch(UUID);
  };
  await shows(table);

  // The stay's own payments read the same.
  await openTheStay(page);
  await shows(page.getByRole('table', { name: 'Ledger entries' }));
  await expect(page.getByTestId('outstanding')).toHaveText('€300.00');
});
