// The dashboard's periods say which days they cover, both ends included, as people give them;
// the property overview says what its money figure is and whose property it is; and a status
// badge always shows its whole label.
import type { Locator, Page } from '@playwright/test';
import { addDays } from '../../db/domain/dates.js';
import { callOk, choose, expect, setUpAdmin, test } from './fixtures.js';

/** Today in the browser's zone (the tests run in Europe/Lisbon), as YYYY-MM-DD. */
const lisbonToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Lisbon' }).format(new Date());

/** The first day of the month `months` from this date's month. */
function monthStart(date: string, months: number): string {
  const [y, m] = date.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1 + months, 1)).toISOString().slice(0, 10);
}

async function office(page: Page) {
  const location = await callOk(page, 'locations/create', {
    name: 'Lisbon',
    city: 'Lisbon',
    country: 'PT',
    timeZone: 'Europe/Lisbon',
    currency: 'EUR',
  });
  const owner = await callOk(page, 'users/create', {
    email: 'olga.pires@example.com',
    firstName: 'Olga',
    lastName: 'Pires',
    role: 'OWNER',
  });
  const property = await callOk(page, 'properties/create', {
    name: 'Alfama Loft',
    type: 'APARTMENT',
    address: 'Rua dos Remédios 12, Lisboa',
    locationId: location.id,
    ownerId: owner.id,
    capacity: 4,
    bedrooms: 2,
    bathrooms: 1,
    pricePerNightMinor: 10_000,
    currency: 'EUR',
  });
  return { propertyId: property.id };
}

test('presets and custom periods cover the days they name, the last day included; the overview names its figure and the owner', async ({
  page,
  roomy: _,
}) => {
  await setUpAdmin(page, { sampleData: false });
  const { propertyId } = await office(page);
  const guest = await callOk(page, 'users/create', {
    email: 'ana.silva@example.com',
    firstName: 'Ana',
    lastName: 'Silva',
    role: 'GUEST',
  });
  const today = lisbonToday();
  const stay = await callOk(page, 'reservations/create', {
    propertyId,
    guestId: guest.id,
    checkIn: addDays(today, 2),
    checkOut: addDays(today, 4),
    guests: 2,
    status: 'CONFIRMED',
    totalMinor: 20_000,
    currency: 'EUR',
    guestName: 'Ana Silva',
    guestEmail: 'ana.silva@example.com',
    source: 'direct',
  });
  await callOk(page, 'ledger/record', {
    userId: guest.id,
    reservationId: stay.id,
    type: 'GUEST_PAYMENT',
    category: 'booking',
    amountMinor: 20_000,
    currency: 'EUR',
    netAmountMinor: 20_000,
  });

  await page.getByRole('link', { name: 'Dashboard' }).click();
  const period = page.getByTestId('period');
  const presets = page.getByRole('radiogroup', { name: 'Period' });
  const year = Number(today.slice(0, 4));

  await presets.getByText('Last month', { exact: true }).click();
  const lastMonth = monthStart(today, -1);
  await expect(period).toHaveAttribute('data-from', lastMonth);
  await expect(period).toHaveAttribute('data-until', addDays(monthStart(today, 0), -1));
  await expect(page.getByText('No money recorded in this period')).toBeVisible();

  await presets.getByText('Last year', { exact: true }).click();
  await expect(period).toHaveAttribute('data-from', `${year - 1}-01-01`);
  await expect(period).toHaveAttribute('data-until', `${year - 1}-12-31`);
  await expect(period).toHaveText(`1 Jan ${year - 1} – 31 Dec ${year - 1}`);

  // A custom period of one day, today: today's payment is in it.
  await presets.getByText('Custom', { exact: true }).click();
  await page.getByLabel('From').fill(today);
  await page.getByLabel('To', { exact: true }).fill(today);
  await expect(period).toHaveAttribute('data-until', today);
  await expect(page.getByTestId('figure-revenue')).toHaveText('€200.00');
  // Ending before it starts is named on the field, and nothing is asked of the ledger.
  await page.getByLabel('To', { exact: true }).fill(addDays(today, -1));
  await expect(page.getByText('Must be on or after the first day')).toBeVisible();
  await expect(period).toHaveCount(0);

  // The property's overview: what the money figure is, and whose property it is.
  await page.getByRole('link', { name: 'Properties' }).click();
  await page.getByRole('table', { name: 'Properties' }).getByText('Alfama Loft').click();
  await expect(page.getByText('Guest payments this month')).toBeVisible();
  await expect(page.getByTestId('guest-payments-month')).toHaveText('€200.00');
  await expect(page.getByText(/^Received from guests less refunds, recorded since 1 \w+ \d{4}/)).toBeVisible();
  await expect(page.getByText('Revenue this month')).toHaveCount(0);
  await expect(page.getByTestId('property-owner')).toHaveText('Olga Pires');
});

/** Each badge's box and label against the text they hold: wider text is cut off. */
function truncated(badges: Locator) {
  return badges.evaluateAll((elements) =>
    elements
      .flatMap((badge) => [badge, ...Array.from(badge.querySelectorAll<HTMLElement>('.mantine-Badge-label'))])
      .filter((el) => el.scrollWidth > el.clientWidth)
      .map((el) => `${el.textContent} (${el.scrollWidth} > ${el.clientWidth})`),
  );
}

/** The elements of the screen's title row that reach past the right edge of the screen. */
function wider(page: Page, width: number) {
  return page.evaluate(
    (limit) =>
      Array.from(document.querySelectorAll<HTMLElement>('main h2, main h2 ~ *, main h2 ~ * *'))
        .filter((el) => el.getBoundingClientRect().right > limit + 1)
        .map((el) => `${el.tagName.toLowerCase()} ${el.getAttribute('aria-label') ?? el.textContent?.slice(0, 30)}`),
    width,
  );
}

test('at phone width the dashboard fits, its period is a select, and a status badge is never cut short', async ({
  page,
  roomy: _,
}) => {
  await setUpAdmin(page, { sampleData: false });
  const { propertyId } = await office(page);
  const today = lisbonToday();
  const task = await callOk(page, 'tasks/create', {
    propertyId,
    type: 'MAINTENANCE',
    title: 'Replace the boiler pressure valve and bleed every radiator on the second floor',
    priority: 'URGENT',
    scheduledAt: `${today}T12:00:00.000Z`,
  });
  await callOk(page, 'tasks/set-status', { id: task.id, status: 'IN_PROGRESS' });
  await page.setViewportSize({ width: 390, height: 844 });

  await page.goto(`${new URL(page.url()).origin}/#/dashboard`);
  const todays = page.getByRole('table', { name: 'Today’s tasks' });
  await expect(todays.getByText('In progress')).toBeVisible();
  expect(await truncated(page.locator('main .mantine-Badge-root'))).toEqual([]);
  // Seven period buttons cannot fit a phone: the period is a select there, and nothing in the
  // title row reaches past the screen's edge.
  await choose(page, 'Period', 'Last month');
  await expect(page.getByTestId('period')).toHaveAttribute('data-from', monthStart(lisbonToday(), -1));
  expect(await wider(page, 390)).toEqual([]);

  await page.goto(`${new URL(page.url()).origin}/#/tasks`);
  const card = page.getByRole('list', { name: 'Tasks' }).getByRole('listitem').first();
  await expect(card.getByText('In progress')).toBeVisible();
  expect(await truncated(page.locator('main .mantine-Badge-root'))).toEqual([]);
});
