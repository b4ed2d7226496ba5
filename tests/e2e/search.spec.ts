// The search palette (Ctrl+K): a few letters find a guest, a property, a reservation and a task,
// and the one picked opens; a cleaner's search finds only what a cleaner may see.
import type { Page } from '@playwright/test';
import { callOk, expect, setUpAdmin, signIn, signOut, test } from './fixtures.js';

interface Found {
  properties: { id: string; name: string }[] | null;
  guests: { id: string; firstName: string; lastName: string }[] | null;
  reservations: { id: string; guestName: string; propertyName: string }[] | null;
  tasks: { id: string; title: string; propertyId: string; reservationId: string | null }[] | null;
}

const literally = (text: string) => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
const palette = (page: Page) => page.getByRole('dialog', { name: 'Search' });
const box = (page: Page) => palette(page).getByRole('combobox', { name: /^Search properties/ });
const group = (page: Page, name: string) => palette(page).getByRole('group', { name });

async function searchFor(page: Page, query: string): Promise<Found> {
  await page.keyboard.press('Control+K');
  await expect(box(page)).toBeFocused();
  await box(page).fill(query);
  const found = await callOk<Found>(page, 'search/everything', { query });
  // The list shows what the router found, each kind in its group.
  await expect(palette(page).getByRole('option')).toHaveCount(
    Object.values(found).reduce((n, hits) => n + (hits?.length ?? 0), 0),
  );
  return found;
}

test('search: Ctrl+K finds a guest, a property, a reservation and a task, and opens each', async ({
  page,
  roomy: _,
}) => {
  // The sample data, then four searches each checked against the router.
  test.slow();
  await setUpAdmin(page, { sampleData: true });
  const reservation = (
    await callOk<{ items: { id: string; guestId: string }[] }>(page, 'reservations/list', {
      limit: 1,
    })
  ).items[0]!;
  const guest = await callOk<{ id: string; firstName: string; lastName: string }>(page, 'users/get', {
    id: reservation.guestId,
  });
  const property = (await callOk<{ items: { id: string; name: string }[] }>(page, 'properties/list', { limit: 1 }))
    .items[0]!;
  const task = (await callOk<{ items: { title: string }[] }>(page, 'tasks/list', { limit: 1 })).items[0]!;

  // A guest, by full name, picked with the keyboard.
  let found = await searchFor(page, `${guest.firstName} ${guest.lastName}`);
  expect(found.guests?.map((g) => g.id)).toContain(guest.id);
  // Namesakes are listed each on their own line; the one asked for is picked by its place.
  const guestIndex = found.guests!.findIndex((g) => g.id === guest.id);
  const guestOption = group(page, 'Guests').getByRole('option').nth(guestIndex);
  await expect(guestOption).toContainText(`${guest.firstName} ${guest.lastName}`);
  const firstGuestIndex = (found.properties?.length ?? 0) + guestIndex;
  for (let i = 0; i < firstGuestIndex; i++) await page.keyboard.press('ArrowDown');
  await expect(box(page)).toHaveAttribute('aria-activedescendant', (await guestOption.getAttribute('id'))!);
  await page.keyboard.press('Enter');
  await expect(palette(page)).toHaveCount(0);
  await expect(page).toHaveURL(new RegExp(`#/guests/${guest.id}$`));

  // A property, by name: it opens on its overview.
  found = await searchFor(page, property.name);
  await group(page, 'Properties')
    .getByRole('option', { name: literally(property.name) })
    .first()
    .click();
  await expect(page.getByRole('heading', { name: found.properties![0]!.name })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`#/properties/${found.properties![0]!.id}$`));

  // A reservation, by the guest's name: the stay nearest today first.
  found = await searchFor(page, `${guest.firstName} ${guest.lastName}`);
  const stay = found.reservations![0]!;
  await group(page, 'Reservations').getByRole('option').first().click();
  await expect(page).toHaveURL(new RegExp(`#/reservations/${stay.id}$`));
  await expect(page.getByRole('heading', { name: `${stay.guestName} at ${stay.propertyName}` })).toBeVisible();

  // A task, by its title: it opens with the stay it belongs to, or else its property.
  found = await searchFor(page, task.title);
  const hit = found.tasks![0]!;
  await group(page, 'Tasks').getByRole('option').first().click();
  await expect(page).toHaveURL(
    new RegExp(hit.reservationId ? `#/reservations/${hit.reservationId}$` : `#/properties/${hit.propertyId}$`),
  );

  // Nothing found is said so; Escape closes the palette.
  await page.keyboard.press('Control+K');
  await box(page).fill('zzqxv no such thing');
  await expect(palette(page).getByText('Nothing matches “zzqxv no such thing”.')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(palette(page)).toHaveCount(0);
});

test('search: a cleaner finds their own tasks, and no guests or reservations', async ({ page, roomy: _ }) => {
  // The sample data, then signing out and in again.
  test.slow();
  await setUpAdmin(page, { sampleData: true });
  const withTask = (
    await callOk<{ items: { title: string; assigneeId: string | null }[] }>(page, 'tasks/list', {
      type: 'CLEANING',
      limit: 100,
    })
  ).items.find((t) => t.assigneeId)!;
  const cleaner = await callOk<{ id: string; email: string; role: string }>(page, 'users/get', {
    id: withTask.assigneeId,
  });
  expect(cleaner.role).toBe('CLEANER');
  const guest = (
    await callOk<{ items: { firstName: string; lastName: string }[] }>(page, 'users/list', {
      role: ['GUEST'],
      limit: 1,
    })
  ).items[0]!;
  const password = 'tidy-harbour-lamp-41';
  await callOk(page, 'users/set-password', { id: cleaner.id, password });
  await signOut(page);
  await signIn(page, cleaner.email, password);

  await page.getByRole('button', { name: 'Search' }).click();
  await box(page).fill(withTask.title);
  await expect(group(page, 'Tasks').getByRole('option').first()).toBeVisible();
  await page.keyboard.press('Escape');

  // A guest's name finds no guest and no stay: a cleaner's search does not look there at all.
  const found = await searchFor(page, `${guest.firstName} ${guest.lastName}`);
  expect(found.guests).toBeNull();
  expect(found.reservations).toBeNull();
  await expect(group(page, 'Guests')).toHaveCount(0);
  await expect(group(page, 'Reservations')).toHaveCount(0);
});
