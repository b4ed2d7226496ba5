// Guard rails on a stay: two windows editing it lose nothing (the later save shows both values
// and saves the merge), an early check-in and a check-out with money owing ask first in the app's
// own dialog, and a check-in or check-out pressed by mistake is undone with a reason on record.
import type { Page } from '@playwright/test';
import { callOk, expect, setUpAdmin, signIn, test } from './fixtures.js';
import { auditedMoves, openTheStay, smallOffice, statusOf, stayOf } from './guard-rails-office.js';

// Two Roomy windows and several dialogs each: more than one screen's worth of steps on a busy machine.
test.describe.configure({ timeout: 180_000 });

const MANAGER = { email: 'miguel@example.com', password: 'quiet-lantern-orchard-73' };

async function openTheEditForm(page: Page) {
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit reservation' });
  await expect(dialog.getByRole('textbox', { name: 'Special requests' })).toBeVisible();
  return dialog;
}

test('two windows edit one stay: the later save shows both values, and the merge is saved', async ({ page, roomy }) => {
  await setUpAdmin(page, { sampleData: false });
  const office = await smallOffice(page);
  const id = await stayOf(page, office, 20, 3);
  await callOk(page, 'users/create', {
    email: MANAGER.email,
    firstName: 'Miguel',
    lastName: 'Sousa',
    role: 'MANAGER',
    password: MANAGER.password,
  });

  // Window B: the manager, in a second tab, opens the same stay's form.
  const other = await page.context().newPage();
  await other.goto(roomy.url);
  await signIn(other, MANAGER.email, MANAGER.password);
  await openTheStay(other);
  const formB = await openTheEditForm(other);

  // Window A saves the special requests first.
  await openTheStay(page);
  const formA = await openTheEditForm(page);
  await formA.getByRole('textbox', { name: 'Special requests' }).fill('Late arrival, around 23:00');
  await formA.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByTestId('special-requests')).toHaveText('Late arrival, around 23:00');

  // Window B, opened before, writes the notes and its own special requests.
  await formB.getByRole('textbox', { name: 'Notes (internal)' }).fill('Pays by transfer');
  await formB.getByRole('textbox', { name: 'Special requests' }).fill('A baby cot');
  await formB.getByRole('button', { name: 'Save changes' }).click();

  // Refused, saying who changed what; both values side by side, nothing lost.
  await expect(formB.getByTestId('form-error')).toContainText(
    'Marta Costa changed this reservation after you opened it',
  );
  await expect(formB.getByTestId('form-error')).toContainText(
    'Special requests is now “Late arrival, around 23:00”, where you wrote “A baby cot”',
  );
  const row = formB.getByTestId('merge-specialRequests');
  await expect(row.getByRole('rowheader')).toHaveText('Special requests');
  await expect(row.getByRole('cell').nth(0)).toHaveText('Late arrival, around 23:00');
  await expect(row.getByRole('cell').nth(1)).toHaveText('A baby cot');
  expect(
    (await callOk<{ specialRequests: string; notes: string | null }>(page, 'reservations/get', { id })).notes,
  ).toBe(null);

  // Keep theirs, keep mine: the form takes each value in turn; then the person writes the merge.
  const requests = formB.getByRole('textbox', { name: 'Special requests' });
  await row.getByText('Keep theirs').click();
  await expect(requests).toHaveValue('Late arrival, around 23:00');
  await row.getByText('Keep mine').click();
  await expect(requests).toHaveValue('A baby cot');
  await requests.fill('Late arrival, around 23:00; a baby cot');
  await expect(formB.getByRole('textbox', { name: 'Notes (internal)' })).toHaveValue('Pays by transfer');
  await formB.getByRole('button', { name: 'Save again' }).click();
  await expect(other.getByRole('dialog')).toHaveCount(0);

  await expect(other.getByTestId('special-requests')).toHaveText('Late arrival, around 23:00; a baby cot');
  await expect(other.getByTestId('notes')).toHaveText('Pays by transfer');
  const saved = await callOk<{ specialRequests: string; notes: string }>(page, 'reservations/get', { id });
  expect(saved).toMatchObject({ specialRequests: 'Late arrival, around 23:00; a baby cot', notes: 'Pays by transfer' });
});

test('an early check-in asks first; a check-in made by mistake is undone with a reason', async ({ page, roomy: _ }) => {
  await setUpAdmin(page, { sampleData: false });
  const office = await smallOffice(page);
  const id = await stayOf(page, office, 10, 3);
  await openTheStay(page);

  await page.getByRole('button', { name: 'Check in' }).click();
  const early = page.getByRole('dialog', { name: 'Check João Alves in early?' });
  await expect(early).toContainText('is due on');
  await expect(early).toContainText('in 10 days');
  await early.getByRole('button', { name: 'Not yet' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByTestId('reservation-status')).toHaveText('Confirmed');
  expect(await statusOf(page, id)).toBe('CONFIRMED');

  await page.getByRole('button', { name: 'Check in' }).click();
  await early.getByRole('button', { name: 'Check in early' }).click();
  await expect(page.getByTestId('reservation-status')).toHaveText('Checked in');

  // Pressed on the wrong stay: undone, with a reason, which the audit log keeps.
  await page.getByRole('button', { name: 'Undo check-in' }).click();
  const undo = page.getByRole('dialog', { name: 'Undo the check-in of João Alves?' });
  await undo.getByRole('button', { name: 'Undo check-in' }).click();
  await expect(undo.getByRole('alert')).toHaveText('Reason is required.');
  expect(await statusOf(page, id)).toBe('CHECKED_IN');
  await undo.getByRole('textbox', { name: 'Reason' }).fill('Checked in the wrong stay');
  await undo.getByRole('button', { name: 'Undo check-in' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByTestId('reservation-status')).toHaveText('Confirmed');
  expect(await auditedMoves(page, id, 'reservations.status-undone')).toEqual([
    { from: 'CHECKED_IN', to: 'CONFIRMED', reason: 'Checked in the wrong stay' },
  ]);
});

test('a check-out with money owing asks first; a check-out made by mistake is undone with a reason', async ({
  page,
  roomy: _,
}) => {
  await setUpAdmin(page, { sampleData: false });
  const office = await smallOffice(page);
  const id = await stayOf(page, office, -2, 3);
  await callOk(page, 'ledger/record', {
    userId: office.guestId,
    reservationId: id,
    type: 'GUEST_PAYMENT',
    category: 'booking',
    amountMinor: 10_000,
    currency: 'EUR',
    netAmountMinor: 10_000,
  });
  await openTheStay(page);
  // Arrived two days ago: checking in asks nothing.
  await page.getByRole('button', { name: 'Check in' }).click();
  await expect(page.getByTestId('reservation-status')).toHaveText('Checked in');

  await page.getByRole('button', { name: 'Check out' }).click();
  const owing = page.getByRole('dialog', { name: 'João Alves still owes €200.00' });
  await expect(owing).toContainText('Checking out leaves €200.00 of €300.00 unpaid on this stay.');
  await owing.getByRole('button', { name: 'Not yet' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  expect(await statusOf(page, id)).toBe('CHECKED_IN');

  await page.getByRole('button', { name: 'Check out' }).click();
  await owing.getByRole('button', { name: 'Check out with money owing' }).click();
  await expect(page.getByTestId('reservation-status')).toHaveText('Checked out');
  await expect(page.getByRole('table', { name: 'Tasks' }).getByText('Turnover clean after João Alves')).toBeVisible();

  await page.getByRole('button', { name: 'Undo check-out' }).click();
  const undo = page.getByRole('dialog', { name: 'Undo the check-out of João Alves?' });
  await undo.getByRole('textbox', { name: 'Reason' }).fill('The guest is staying one more night');
  await undo.getByRole('button', { name: 'Undo check-out' }).click();
  await expect(page.getByTestId('reservation-status')).toHaveText('Checked in');
  // The clean planned at check-out is cancelled with it.
  await expect(page.getByRole('table', { name: 'Tasks' }).getByText('Cancelled')).toBeVisible();
  expect(await auditedMoves(page, id, 'reservations.status-undone')).toEqual([
    { from: 'CHECKED_OUT', to: 'CHECKED_IN', reason: 'The guest is staying one more night' },
  ]);
});
