// A cleaner sees their own tasks and the operational side of those properties: no finance, no
// guests' contacts, anywhere; and the core refuses a finance call crafted in their page.
import { ADMIN, callFromPage, choose, expect, field, setUpAdmin, signIn, signOut, test } from './fixtures.js';

const CLEANER = { email: 'rita.cleaner@example.com', password: 'lemon-courtyard-bicycle-42' };
const MONEY = /[€£$¥]/;

test('a cleaner sees only their tasks, no finance anywhere, and a crafted finance call is refused', async ({
  page,
  roomy: _,
}) => {
  await setUpAdmin(page, { sampleData: true });

  // The admin adds the cleaner through the People screen, with a password.
  await page.getByRole('link', { name: 'People' }).click();
  await page.getByRole('button', { name: 'New person' }).click();
  await field(page, 'First name').fill('Rita');
  await field(page, 'Last name').fill('Lopes');
  await field(page, 'Email').fill(CLEANER.email);
  await choose(page, /^Role/, 'Cleaner', 'Cleaner');
  await page.getByLabel(/^Password/).fill(CLEANER.password);
  await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
  // Saved once the dialog has closed and a search finds her (hashing her password takes a moment).
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await page.getByRole('textbox', { name: 'Search' }).fill(CLEANER.email);
  await expect(page.getByRole('table', { name: 'People' }).locator('tbody tr')).toHaveCount(1);
  await expect(page.getByRole('table', { name: 'People' })).toContainText(CLEANER.email);

  // …and gives her one task.
  const properties = (await callFromPage(page, 'properties/list', { limit: 1 })) as unknown as {
    value: { items: { id: string; name: string }[] };
  };
  const property = properties.value.items[0]!;
  const cleaner = (await callFromPage(page, 'users/list', { search: CLEANER.email })) as unknown as {
    value: { items: { id: string }[] };
  };
  const created = await callFromPage(page, 'tasks/create', {
    propertyId: property.id,
    type: 'CLEANING',
    title: 'Deep clean before the winter guests',
    assigneeId: cleaner.value.items[0]!.id,
    estimatedCostMinor: 6000,
    currency: 'EUR',
    scheduledAt: new Date(Date.now() + 86_400_000).toISOString(),
  });
  expect(created.ok).toBe(true);
  await signOut(page);

  await signIn(page, CLEANER.email, CLEANER.password);
  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  await expect(nav.getByRole('link')).toHaveText([
    'Properties',
    'My tasks',
    'Sync',
    'About and backups',
    'Your account',
  ]);
  await expect(page.getByRole('heading', { name: 'My tasks' })).toBeVisible();
  const rows = page.getByRole('table', { name: 'Tasks' }).locator('tbody tr');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('Deep clean before the winter guests');
  await expect(page.locator('main')).not.toContainText(MONEY);

  // She may start and complete it, and nothing else.
  await expect(rows.first().getByRole('button')).toHaveText(['Start', 'Put on hold', 'Complete']);
  await rows.first().getByRole('button', { name: 'Start' }).click();
  await expect(rows.first()).toContainText('In progress');

  await nav.getByRole('link', { name: 'Properties' }).click();
  const propertyRows = page.getByRole('table', { name: 'Properties' }).locator('tbody tr');
  await expect(propertyRows).toHaveCount(1);
  await expect(page.locator('main')).not.toContainText(MONEY);
  await expect(page.getByRole('columnheader', { name: /Price/ })).toHaveCount(0);
  await propertyRows.first().click();
  await expect(page.getByRole('heading', { name: property.name })).toBeVisible();
  await expect(page.getByRole('tab')).toHaveText(['Overview', 'Tasks']);
  await expect(page.locator('main')).not.toContainText(MONEY);

  // A screen she may not use sends her back to her tasks.
  await page.goto(`${new URL(page.url()).origin}/#/ledger`);
  await expect(page.getByRole('heading', { name: 'My tasks' })).toBeVisible();

  // Whatever the page sends, the core checks her role.
  for (const [name, input] of [
    ['finance/summary', { from: '2026-01-01', to: '2027-01-01' }],
    ['ledger/list', {}],
    ['reservations/list', {}],
    [
      'ledger/record',
      {
        userId: cleaner.value.items[0]!.id,
        type: 'TASK_COST',
        category: 'x',
        amountMinor: 1,
        currency: 'EUR',
        netAmountMinor: 1,
      },
    ],
  ] as const) {
    const refused = await callFromPage(page, name, input);
    expect(refused, name).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  }
  expect(ADMIN.email).not.toBe(CLEANER.email);
});
