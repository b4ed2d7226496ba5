// Every screen is checked by axe-core, in light and in dark mode: no serious or critical
// violations (names for every control, contrast, landmarks, labels). Besides the screens of the
// main navigation: a reservation, its printable confirmation, a guest, a task, the availability
// search with results, the search palette and an open dialog. Dialogs open on their first field,
// so a keyboard user can type straight away.
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { addDays } from '../../db/domain/dates.js';
import { callOk, expect, setUpAdmin, test } from './fixtures.js';

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({
      rule: violation.id,
      help: violation.help,
      // Where, and for contrast the colours found, so a failure says what to fix.
      where: violation.nodes.slice(0, 6).map((node) => {
        const data = node.any[0]?.data as { fgColor?: string; bgColor?: string; contrastRatio?: number } | undefined;
        const colours = data?.fgColor ? ` (${data.fgColor} on ${data.bgColor}: ${data.contrastRatio})` : '';
        return `${node.target.join(' ')}${colours}`;
      }),
      more: Math.max(0, violation.nodes.length - 6),
    }));
}

/** Waits until the screen has drawn its data: nothing is still loading. */
async function settled(page: Page) {
  await expect(page.locator('[role=status]:visible:not([data-testid="sync-status"])')).toHaveCount(0, {
    timeout: 20_000,
  });
}

const open = (page: Page, path: string) => page.evaluate((hash) => (location.hash = hash), `#${path}`);

for (const scheme of ['light', 'dark'] as const) {
  test(`every screen has no serious accessibility violations (${scheme})`, async ({ page, roomy: _ }) => {
    // A full axe pass over each of a score of screens is long work, not a wait.
    test.setTimeout(420_000);
    await page.emulateMedia({ colorScheme: scheme });
    const found: Record<string, unknown> = {};
    const check = async (name: string) => {
      await settled(page);
      const violations = await seriousViolations(page);
      if (violations.length > 0) found[name] = violations;
    };
    // The first screen of a new office.
    await expect(page.getByRole('heading', { name: 'Welcome to Roomy CRM' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', scheme);
    await check('the first run');
    await setUpAdmin(page, { sampleData: true });

    const links = page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link');
    const names = await links.allInnerTexts();
    expect(names.length).toBeGreaterThan(8);
    for (const name of names) {
      await links.filter({ hasText: name }).first().click();
      await check(name);
    }

    // A reservation, and its confirmation to print.
    await page.getByRole('link', { name: 'Reservations' }).click();
    await page.getByRole('table', { name: 'Reservations' }).getByRole('row').nth(1).click();
    await expect(page.getByTestId('balance')).toBeVisible();
    await check('a reservation');
    await page.getByRole('link', { name: 'Confirmation (print)' }).click();
    await expect(page.getByRole('article', { name: 'Reservation confirmation' })).toBeVisible();
    await check('a reservation confirmation');

    // A guest, opened from People.
    const guest = (
      await callOk<{ items: { firstName: string; lastName: string }[] }>(page, 'users/list', {
        role: ['GUEST'],
        limit: 1,
      })
    ).items[0]!;
    await page.getByRole('link', { name: 'People' }).click();
    await page.getByRole('textbox', { name: 'Search' }).fill(guest.lastName);
    const people = page.getByRole('table', { name: 'People' });
    await people
      .getByRole('row')
      .filter({ hasText: `${guest.firstName} ${guest.lastName}` })
      .first()
      .click();
    await expect(page.getByRole('heading', { name: `${guest.firstName} ${guest.lastName}` })).toBeVisible();
    await check('a guest');

    // A task's own page.
    await page.getByRole('link', { name: 'Tasks' }).click();
    await page.locator('a[href*="#/tasks/"]').first().click();
    await expect(page).toHaveURL(/#\/tasks\/[0-9a-f-]+$/);
    await check('a task');

    // The availability search with results.
    const checkIn = addDays(new Date().toISOString().slice(0, 10), 60);
    await open(page, `/availability?checkIn=${checkIn}&checkOut=${addDays(checkIn, 3)}&guests=2`);
    await expect(page.getByRole('table', { name: 'Free properties' }).locator('tbody tr').first()).toBeVisible();
    await check('the availability search');

    // The search palette, open with results.
    await page.keyboard.press('Control+K');
    const palette = page.getByRole('dialog', { name: 'Search' });
    await palette.getByRole('combobox').fill(guest.lastName);
    await expect(palette.getByRole('option').first()).toBeVisible();
    await check('the search palette');
    await page.keyboard.press('Escape');
    await expect(palette).toBeHidden();

    // A dialog with a form.
    await page.getByRole('link', { name: 'Locations' }).click();
    await page.getByRole('button', { name: /new location/i }).click();
    await expect(page.getByRole('dialog', { name: 'New location' })).toBeVisible();
    await check('the new location dialog');

    expect(found).toEqual({});
  });
}

test('a dialog opens with the focus on its first field', async ({ page, roomy: _ }) => {
  await setUpAdmin(page, { sampleData: true });
  const firstField = (dialog: ReturnType<Page['getByRole']>) =>
    dialog.locator('input:not([type=hidden]), textarea, select').first();

  await page.getByRole('link', { name: 'Locations' }).click();
  await page.getByRole('button', { name: /new location/i }).click();
  const location = page.getByRole('dialog', { name: 'New location' });
  await expect(firstField(location)).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(location).toBeHidden();

  await page.getByRole('link', { name: 'People' }).click();
  await page.getByRole('button', { name: 'New person' }).click();
  const person = page.getByRole('dialog', { name: 'New person' });
  await expect(firstField(person)).toBeFocused();
  await page.keyboard.press('Escape');

  await page.getByRole('link', { name: 'Tasks' }).click();
  await page.getByRole('button', { name: 'New task' }).click();
  await expect(firstField(page.getByRole('dialog', { name: 'New task' }))).toBeFocused();
  await page.keyboard.press('Escape');

  // A searchable list as the first field takes the focus, and keeps its options closed until
  // asked, so they do not cover the rest of the form.
  await page.getByRole('link', { name: 'Reservations' }).click();
  await page.getByRole('button', { name: 'New reservation' }).click();
  const property = firstField(page.getByRole('dialog', { name: 'New reservation' }));
  await expect(property).toBeFocused();
  await expect(property).toHaveAttribute('aria-expanded', 'false');
  await page.keyboard.type('a');
  await expect(property).toHaveAttribute('aria-expanded', 'true');
});
