// Tasks reach the right person, and the person doing one has what they need on their phone:
// the assignee list says who each person is and where they work, those whose work it is first;
// a cleaner's task page fits a phone and tells when the next guests come and how many, never who.
import type { Page } from '@playwright/test';
import { addDays } from '../../db/domain/dates.js';
import { gate } from '../harness/gate.js';
import { ADMIN, callOk, choose, expect, setUpAdmin, signIn, signOut, test } from './fixtures.js';

const PASSWORD = 'lemon-courtyard-bicycle-42';

/** Today in the browser's zone (the tests run in Europe/Lisbon), as YYYY-MM-DD. */
const lisbonToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Lisbon' }).format(new Date());

async function place(page: Page, name: string, city: string) {
  const location = await callOk(page, 'locations/create', {
    name: city,
    city,
    country: 'PT',
    timeZone: 'Europe/Lisbon',
    currency: 'EUR',
  });
  const property = await callOk(page, 'properties/create', {
    name,
    type: 'APARTMENT',
    address: `Rua das Flores 7, ${city}`,
    locationId: location.id,
    capacity: 4,
    bedrooms: 2,
    bathrooms: 1,
    pricePerNightMinor: 12_000,
    currency: 'EUR',
    accessNotes: 'Key box left of the door, code 4821; the light switch is behind the curtain',
  });
  return property.id;
}

const person = (page: Page, role: string, firstName: string, lastName: string, password?: string) =>
  callOk(page, 'users/create', {
    email: `${firstName.toLowerCase()}.${lastName.toLowerCase()}@example.com`,
    firstName,
    lastName,
    role,
    ...(password ? { password } : {}),
  });

test('the assignee list shows role and location, and offers cleaners first for a clean', async ({ page, roomy: _ }) => {
  await setUpAdmin(page, { sampleData: false });
  const lisbon = await place(page, 'Alfama Loft', 'Lisbon');
  const porto = await place(page, 'Ribeira Duplex', 'Porto');
  const carla = await person(page, 'CLEANER', 'Carla', 'Dias');
  const duarte = await person(page, 'CLEANER', 'Duarte', 'Neves');
  const mateus = await person(page, 'MAINTENANCE_STAFF', 'Mateus', 'Reis');
  await person(page, 'AGENT', 'Alice', 'Matos');
  // Where people work is where their tasks are.
  const task = (propertyId: string, type: string, assigneeId: string) =>
    callOk(page, 'tasks/create', { propertyId, type, title: `${type} earlier`, assigneeId });
  await task(lisbon, 'CLEANING', carla.id);
  await task(porto, 'CLEANING', duarte.id);
  await task(porto, 'MAINTENANCE', mateus.id);

  await page.getByRole('link', { name: 'Tasks' }).click();
  await page.getByRole('button', { name: 'New task' }).click();
  const dialog = page.getByRole('dialog', { name: 'New task' });
  await choose(page, /^Property/, 'Alfama', 'Alfama Loft');
  await dialog.getByRole('textbox', { name: /^Title/ }).fill('Turnover clean');
  const assignee = dialog.getByRole('combobox', { name: 'Assignee' });
  const options = async () => {
    await assignee.click();
    const list = page.locator(`[id="${await assignee.getAttribute('aria-controls')}"]`);
    return list.getByRole('option');
  };

  // A clean: the cleaners first, the one working in Lisbon before the one in Porto; the agent may
  // take it; maintenance staff may not, and say so by being greyed out.
  await expect(await options()).toHaveText([
    'Carla Dias · Cleaner · Lisbon',
    'Duarte Neves · Cleaner · Porto',
    'Alice Matos · Agent · no location yet',
    'Mateus Reis · Maintenance staff · Porto',
  ]);
  await expect((await options()).filter({ hasText: 'Mateus' })).toHaveAttribute('data-combobox-disabled', 'true');
  await expect(page.getByText('Suited to this task')).toBeVisible();
  await page.keyboard.press('Escape');

  // A repair: maintenance staff first, cleaners greyed out.
  await choose(page, 'Type', 'Maintenance', 'Maintenance');
  await expect((await options()).first()).toHaveText('Mateus Reis · Maintenance staff · Porto');
  await expect((await options()).filter({ hasText: 'Carla' })).toHaveAttribute('data-combobox-disabled', 'true');
  await page.keyboard.press('Escape');

  await choose(page, 'Type', 'Cleaning', 'Cleaning');
  await choose(page, 'Assignee', 'Carla', 'Carla Dias · Cleaner · Lisbon');
  await dialog.getByRole('button', { name: 'Create task' }).click();
  await expect(dialog).toHaveCount(0);
  const card = page.getByTestId('board-PENDING').locator('.mantine-Card-root').filter({ hasText: 'Turnover clean' });
  await expect(card).toContainText('Carla Dias');
});

test('a cleaner’s task page fits a phone: address, access, next arrival and checklist, no guest contact', async ({
  page,
  roomy: _,
}) => {
  await setUpAdmin(page, { sampleData: false });
  const propertyId = await place(page, 'Alfama Loft', 'Lisbon');
  const guest = await callOk(page, 'users/create', {
    email: 'beatriz.lopes@example.com',
    phone: '+351912000111',
    firstName: 'Beatriz',
    lastName: 'Lopes',
    role: 'GUEST',
  });
  const today = lisbonToday();
  const checkIn = addDays(today, 3);
  await callOk(page, 'reservations/create', {
    propertyId,
    guestId: guest.id,
    checkIn,
    checkOut: addDays(today, 6),
    guests: 3,
    status: 'CONFIRMED',
    totalMinor: 36_000,
    currency: 'EUR',
    guestName: 'Beatriz Lopes',
    guestEmail: 'beatriz.lopes@example.com',
    guestPhone: '+351912000111',
    source: 'direct',
  });
  const cleaner = await person(page, 'CLEANER', 'Rita', 'Lopes', PASSWORD);
  const task = await callOk(page, 'tasks/create', {
    propertyId,
    type: 'CLEANING',
    title: 'Deep clean with the windows and the balcony before the Lopes family arrives',
    assigneeId: cleaner.id,
    scheduledAt: `${addDays(today, 1)}T10:00:00.000Z`,
    estimatedCostMinor: 6_000,
    currency: 'EUR',
    notes: 'Extra towels for the sofa bed',
  });
  await signOut(page);

  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, 'rita.lopes@example.com', PASSWORD);
  await expect(page.getByRole('heading', { name: 'My tasks' })).toBeVisible();
  const noSideScroll = () => page.evaluate(() => document.scrollingElement!.scrollWidth);
  // My tasks at phone width: cards, no table, nothing wider than the screen.
  const cards = page.getByRole('list', { name: 'Tasks' }).getByRole('listitem');
  await expect(cards).toHaveCount(1);
  expect(await noSideScroll()).toBeLessThanOrEqual(390);
  await cards
    .first()
    .getByRole('link', { name: /Deep clean/ })
    .click();

  await expect(page).toHaveURL(new RegExp(`#/tasks/${task.id}$`));
  await expect(page.getByRole('heading', { name: /Deep clean/ })).toBeVisible();
  const main = page.locator('main');
  await expect(main).toContainText('Rua das Flores 7, Lisbon');
  await expect(main).toContainText('Key box left of the door, code 4821');
  const arrival = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' }).format(
    new Date(`${checkIn}T00:00:00Z`),
  );
  await expect(page.getByTestId('next-arrival')).toHaveText(`${arrival} (in 3 days) · 3 guests`);
  await expect(main).toContainText('Extra towels for the sofa bed');
  for (const secret of ['Beatriz', 'beatriz.lopes@example.com', '+351912000111', '€', '60.00']) {
    await expect(main).not.toContainText(secret);
  }

  // The checklist: ticks are kept on the task, across a reload.
  const step = page.getByRole('checkbox', { name: 'Make the beds with fresh linen' });
  await step.check();
  await expect(page.getByTestId('checklist-progress')).toHaveText('1 of 8 done');
  await page.getByRole('checkbox', { name: 'Vacuum and mop every room' }).check();
  await expect(page.getByTestId('checklist-progress')).toHaveText('2 of 8 done');
  await page.reload();
  await expect(step).toBeChecked();
  await expect(page.getByTestId('checklist-progress')).toHaveText('2 of 8 done');

  // She starts it from here.
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('task-status')).toHaveText('In progress');
  expect(await noSideScroll()).toBeLessThanOrEqual(390);

  // The office sees how far she is, on the same task page.
  await signOut(page);
  await page.setViewportSize({ width: 1280, height: 800 });
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.evaluate((hash) => (location.hash = hash), `#/tasks/${task.id}`);
  await expect(page.getByTestId('checklist-progress')).toHaveText('2 of 8 done');
  await expect(page.getByRole('checkbox', { name: 'Vacuum and mop every room' })).toBeChecked();
});

test('a tick stays ticked when a read that left before it arrives after it', async ({ page, roomy: _ }) => {
  await setUpAdmin(page, { sampleData: false });
  const propertyId = await place(page, 'Alfama Loft', 'Lisbon');
  const task = await callOk(page, 'tasks/create', { propertyId, type: 'CLEANING', title: 'Turnover clean' });
  await page.evaluate((hash) => (location.hash = hash), `#/tasks/${task.id}`);
  const first = page.getByRole('checkbox', { name: 'Make the beds with fresh linen' });
  const second = page.getByRole('checkbox', { name: 'Vacuum and mop every room' });
  const progress = page.getByTestId('checklist-progress');
  await expect(progress).toHaveText('0 of 8 done');

  // The network, slow in the worst order: the task page's re-read after the first tick is held
  // back, and so is the second tick, until the re-read (which cannot hold it) has arrived.
  const readHeld = gate();
  const releaseRead = gate();
  const releaseTick = gate();
  let holdNextRead = true;
  await page.route('**/api/call', async (route) => {
    const call = route.request().postDataJSON() as { name: string; input: { step?: string } };
    if (call.name === 'tasks/get' && holdNextRead) {
      holdNextRead = false;
      readHeld.open();
      await releaseRead.promise;
    }
    if (call.name === 'tasks/check-step' && call.input.step === 'Vacuum and mop every room') await releaseTick.promise;
    await route.continue();
  });

  await first.check();
  await readHeld.promise;
  await second.check();
  const lateRead = page.waitForResponse((response) => response.request().postDataJSON()?.name === 'tasks/get');
  releaseRead.open();
  await lateRead;
  // Two frames and a turn for the screen to take the late read in; then the tick must still show.
  await page.evaluate(
    () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done)))),
  );
  expect(await second.isChecked(), 'the second tick is still shown after the late read').toBe(true);
  await expect(progress).toHaveText('2 of 8 done');

  const tickSaved = page.waitForResponse((response) => response.request().postDataJSON()?.name === 'tasks/check-step');
  releaseTick.open();
  await tickSaved;
  await page.unroute('**/api/call');
  await page.reload();
  await expect(second).toBeChecked();
  await expect(first).toBeChecked();
  await expect(progress).toHaveText('2 of 8 done');
});
