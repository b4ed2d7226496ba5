// Sync in Chromium: Roomy set up with its office's sync server (a real one, on a throwaway
// PostgreSQL), signed in through the page, while a second device writes to the same server.
// What the second device does appears on the page; the status says when the server is gone and
// what waits to go up; a stay booked meanwhile that clashes with the second device's comes back
// as a conflict, listed on the Sync screen until dismissed. And a new computer joins the server
// from the first-run screen.
import { addDays } from '../../db/domain/dates.js';
import { locationRow, propertyRow, reservationRow } from '../db/fixtures.js';
import { addUser, ApiClient, changeset, insert, PASSWORD } from '../sync-server/sync-client.js';
import { choose, expect, field, signIn, test } from './fixtures.js';
import { keepScreenshot } from './screenshot.js';
import { startOfficeServer, type OfficeServer } from './sync-office.js';

let office: OfficeServer;

// Both tests use one office server, one after the other.
test.describe.configure({ mode: 'default' });

test.beforeAll(async () => {
  test.setTimeout(60_000);
  office = await startOfficeServer();
});

test.afterAll(async () => {
  await office?.dispose();
});

const today = new Date().toISOString().slice(0, 10);
const checkIn = addDays(today, 30);

test('a synced desktop shows the other device’s changes, goes offline, and lists a refused booking', async ({
  page,
  launchRoomy,
}) => {
  const { central, url } = office;
  const admin = await addUser(central, 'ADMIN', { firstName: 'Marta', lastName: 'Costa' });
  const manager = await addUser(central, 'MANAGER');
  const guest = await addUser(central, 'GUEST', {
    firstName: 'Ines',
    lastName: 'Duarte',
    email: 'ines.duarte@example.com',
  });
  // The second device: the manager's computer, talking to the server directly.
  const other = await ApiClient.signIn(url, manager.email, PASSWORD, 'device-b');
  const location = locationRow({ name: 'Lisbon centre' });
  const property = propertyRow(location.id, { name: 'Alfama Loft' });
  expect(await other.push(changeset([insert('locations', location)], 'device-b'))).toMatchObject([
    { status: 'applied' },
  ]);

  await launchRoomy({ settings: { syncServerUrl: url } });
  await expect(page.getByRole('heading', { name: 'Sign in to Roomy CRM' })).toBeVisible();
  await expect(page.getByText(`sync server at ${url}`)).toBeVisible();
  await signIn(page, admin.email, PASSWORD);
  const status = page.getByTestId('sync-status');
  await expect(status.getByTestId('sync-state')).toHaveText('Online');
  await expect(page.getByTestId('conflicts-badge')).toHaveCount(0);

  // What the second device adds appears here, without a reload.
  await page.getByRole('link', { name: 'Properties' }).click();
  await expect(page.getByRole('heading', { name: 'Properties', exact: true })).toBeVisible();
  expect(await other.push(changeset([insert('properties', property)], 'device-b'))).toMatchObject([
    { status: 'applied' },
  ]);
  await expect(page.getByRole('table', { name: 'Properties' }).getByText('Alfama Loft')).toBeVisible();

  // The server goes away: the page says so.
  await office.stop();
  await expect(status.getByTestId('sync-state')).toHaveText('Offline');
  await expect(status.getByTestId('sync-error')).toContainText(/cannot be reached|fetch failed|ECONNREFUSED/i);

  // A stay booked meanwhile waits to go up.
  await page.getByRole('link', { name: 'Reservations' }).click();
  await page.getByTestId('new-reservation').click();
  await expect(page.getByRole('dialog', { name: 'New reservation' })).toBeVisible();
  await choose(page, /^Property/, 'Alfama', 'Alfama Loft');
  await choose(page, /^Guest/, 'Ines', /Ines Duarte/);
  await expect(page.getByTestId('guest-contact')).toContainText('Booked under Ines Duarte');
  await field(page, 'Check-in').fill(checkIn);
  await field(page, 'Check-out').fill(addDays(checkIn, 4));
  await page.getByRole('button', { name: 'Book' }).click();
  await expect(page.getByRole('heading', { name: 'Ines Duarte at Alfama Loft' })).toBeVisible();
  await expect(status).toContainText('1 change waiting');
  await expect(status.getByTestId('sync-state')).toHaveText('Offline');

  // Meanwhile the second device, through another server on the office's database, books
  // overlapping nights first.
  const elsewhere = await office.another();
  const manager2 = await ApiClient.signIn(elsewhere.url, manager.email, PASSWORD, 'device-b');
  const theirs = reservationRow(property.id, guest.id, {
    checkIn: addDays(checkIn, 2),
    checkOut: addDays(checkIn, 6),
    guestName: 'Bruno Reis',
  });
  expect(await manager2.push(changeset([insert('reservations', theirs)], 'device-b'))).toMatchObject([
    { status: 'applied' },
  ]);
  await elsewhere.close();

  // The page's server returns on the same address; "Sync now" sends the stay without waiting for the backoff.
  await office.start();
  await status.getByTestId('sync-now').click();
  await expect(page.getByTestId('conflicts-badge')).toHaveText('1');
  await expect(status.getByTestId('sync-state')).toHaveText('Online');
  await expect(status).not.toContainText('waiting');

  await page.getByRole('link', { name: /^Sync/ }).click();
  await expect(page.getByRole('heading', { name: 'Sync', exact: true })).toBeVisible();
  const conflicts = page.getByTestId('conflict');
  await expect(conflicts).toHaveCount(1);
  const conflict = conflicts.first();
  await expect(conflict.getByRole('heading', { name: 'New reservation' })).toBeVisible();
  await expect(conflict.getByTestId('conflict-attempted')).toContainText('Ines Duarte at Alfama Loft');
  // The clash named in words: the property, the dates and whose stay it is.
  await expect(conflict.getByTestId('conflict-message')).toHaveText(
    /^Alfama Loft is already booked \d.* by .+\. Choose other dates\.$/,
  );
  await expect(conflict.getByTestId('conflict-server')).toHaveText('Not on the server');
  await keepScreenshot(page, 'sync');

  await conflict.getByRole('button', { name: 'Dismiss' }).click();
  await expect(page.getByText('No conflicts: everything you changed reached the server')).toBeVisible();
  await expect(page.getByTestId('conflicts-badge')).toHaveCount(0);
});

test('a new computer joins the office’s sync server from the first-run screen', async ({ page, launchRoomy }) => {
  const admin = await addUser(office.central, 'ADMIN', { firstName: 'Rui', lastName: 'Alves' });
  await launchRoomy();
  await expect(page.getByRole('heading', { name: 'Welcome to Roomy CRM' })).toBeVisible();
  await page.getByTestId('join-server').click();
  // Plain http only to this machine: the address is checked by main, and the field says why.
  await field(page, 'Sync server address').fill('http://sync.office.example');
  await page.getByRole('button', { name: 'Join' }).click();
  await expect(page.getByText('must use https (plain http only to localhost)')).toBeVisible();
  await field(page, 'Sync server address').fill(office.url);
  await page.getByRole('button', { name: 'Join' }).click();

  await expect(page.getByRole('heading', { name: 'Sign in to Roomy CRM' })).toBeVisible();
  await expect(page.getByText(`sync server at ${office.url}`)).toBeVisible();
  await signIn(page, admin.email, PASSWORD);
  await expect(page.getByTestId('sync-status').getByTestId('sync-state')).toHaveText('Online');

  await page.getByRole('link', { name: 'About and backups' }).click();
  await expect(page.getByTestId('sync-server-current')).toHaveText(`This computer syncs with ${office.url}`);
  await expect(field(page, 'Sync server address')).toHaveValue(office.url);
});
