// The booking calendar with a portfolio many screens long: every property in one scrolling grid
// (only the rows in view are in the page), the filters narrowing it, and a month that fits a
// 1440 px window without the page scrolling sideways.
import type { Page } from '@playwright/test';
import { addDays } from '../../db/domain/dates.js';
import { callOk, choose, expect, setUpAdmin, test } from './fixtures.js';

interface CalendarProperty {
  id: string;
  name: string;
  type: string;
  locationId: string;
  ownerId: string | null;
  agentId: string | null;
  bedrooms: number;
}
interface Person {
  firstName: string;
  lastName: string;
  email: string;
}

const EXTRA = 40;

const monthOf = (date: string) => `${date.slice(0, 7)}-01`;
function nextMonth(first: string): string {
  const [year, month] = first.split('-').map(Number) as [number, number];
  return month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`;
}

/** Adds properties through the router, so the calendar has far more rows than a screen holds. */
async function addProperties(page: Page): Promise<void> {
  const [place] = await callOk<{ id: string; currency: string }[]>(page, 'locations/list', { includeInactive: false });
  for (let i = 1; i <= EXTRA; i++) {
    await callOk(page, 'properties/create', {
      name: `Zephyr Flat ${String(i).padStart(3, '0')}`,
      type: 'APARTMENT',
      address: `Rua Nova ${i}`,
      locationId: place!.id,
      capacity: 2,
      bedrooms: 1,
      bathrooms: 1,
      pricePerNightMinor: 9_000,
      currency: place!.currency,
    });
  }
}

test('calendar: every property in one scrolling grid, filtered, with a month that fits 1440 px', async ({
  page,
  roomy: _,
}) => {
  // Adding the properties goes through the router one by one.
  test.slow();
  await setUpAdmin(page, { sampleData: true });
  await addProperties(page);
  const today = new Date().toISOString().slice(0, 10);
  const { properties } = await callOk<{ properties: CalendarProperty[] }>(page, 'availability/calendar', {
    from: monthOf(today),
    to: nextMonth(monthOf(today)),
  });
  const total = properties.length;
  expect(total).toBeGreaterThanOrEqual(24 + EXTRA);

  await page.getByRole('link', { name: 'Calendar' }).click();
  const grid = page.getByRole('grid', { name: 'Bookings by property and day' });
  const count = page.getByTestId('calendar-count');
  await expect(count).toHaveText(`${total} properties`);
  await expect(grid).toHaveAttribute('aria-rowcount', String(total + 1));
  // One grid, no pages: only the rows in view (and a few either side) are drawn.
  await expect(page.getByRole('button', { name: /next page/i })).toHaveCount(0);
  const drawn = grid.getByRole('rowheader');
  await expect(drawn.first()).toHaveAttribute('title', properties[0]!.name);
  expect(await drawn.count()).toBeLessThan(total / 2);

  // Scrolling from top to bottom passes every property, in the calendar's order.
  const seen = await grid.evaluate(async (box) => {
    const names: string[] = [];
    const frame = () => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
    for (;;) {
      await frame();
      await frame();
      for (const header of Array.from(box.querySelectorAll('[role="rowheader"]'))) {
        const name = header.getAttribute('title');
        if (name && !names.includes(name)) names.push(name);
      }
      if (box.scrollTop + box.clientHeight >= box.scrollHeight - 1) return names;
      box.scrollTop += Math.floor(box.clientHeight / 2);
    }
  });
  expect(seen).toEqual(properties.map((p) => p.name));
  await expect(drawn.last()).toHaveAttribute('title', properties.at(-1)!.name);
  await grid.evaluate((box) => (box.scrollTop = 0));

  // Each filter narrows the rows to the properties that match it.
  const shows = async (n: number) => {
    await expect(count).toHaveText(`${n} of ${total} properties`);
    await expect(grid).toHaveAttribute('aria-rowcount', String(n + 1));
  };
  const clear = async () => {
    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await expect(count).toHaveText(`${total} properties`);
  };

  const locations = await callOk<{ id: string; name: string; city: string }[]>(page, 'locations/list', {
    includeInactive: false,
  });
  const place = locations.find((l) => properties.some((p) => p.locationId === l.id))!;
  await choose(page, 'Location', place.name, `${place.name} (${place.city})`);
  const inPlace = properties.filter((p) => p.locationId === place.id);
  await shows(inPlace.length);
  for (const row of (await grid.getByRole('rowheader').all()).slice(0, 5)) await expect(row).toContainText(place.name);
  // Filters combine: in that place, with three bedrooms or more.
  await choose(page, 'Bedrooms', '3+', '3+ bedrooms');
  await shows(inPlace.filter((p) => p.bedrooms >= 3).length);
  await clear();

  await page.getByRole('combobox', { name: 'Type' }).focus();
  await page.keyboard.press('ArrowDown');
  await page.getByRole('option', { name: 'Villa' }).click();
  await page.keyboard.press('Escape');
  await shows(properties.filter((p) => p.type === 'VILLA').length);
  await clear();

  await page.getByRole('textbox', { name: 'Property' }).fill('zephyr flat 03');
  await shows(properties.filter((p) => p.name.includes('Zephyr Flat 03')).length);
  await clear();

  const ownerId = properties.find((p) => p.ownerId)!.ownerId!;
  const owner = await callOk<Person>(page, 'users/get', { id: ownerId });
  await choose(page, 'Owner', owner.lastName, `${owner.firstName} ${owner.lastName} · ${owner.email}`);
  await shows(properties.filter((p) => p.ownerId === ownerId).length);
  await clear();

  const agentId = properties.find((p) => p.agentId)!.agentId!;
  const agent = await callOk<Person>(page, 'users/get', { id: agentId });
  await choose(page, 'Agent', agent.lastName, `${agent.firstName} ${agent.lastName} · ${agent.email}`);
  await shows(properties.filter((p) => p.agentId === agentId).length);
  await clear();

  // A month fits the window: every day is a column, and neither the page nor the grid scrolls
  // sideways. Of two months in a row at least one has 31 days.
  const fits = async (first: string) => {
    const days = Number(addDays(nextMonth(first), -1).slice(8, 10));
    await expect(grid.getByRole('columnheader')).toHaveCount(days + 1);
    expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(1440);
    expect(await grid.evaluate((box) => box.scrollWidth - box.clientWidth)).toBeLessThanOrEqual(0);
  };
  await expect(page.getByRole('radio', { name: 'Month' })).toBeChecked();
  await fits(monthOf(today));
  await page.getByRole('button', { name: 'Next month' }).click();
  await fits(nextMonth(monthOf(today)));
});
