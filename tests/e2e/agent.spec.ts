// An agent books a stay for a brand-new guest at one of their properties: the guest they just
// created is theirs to book, though their scope cannot find guests without a booking yet.
import { addDays } from '../../db/domain/dates.js';
import { callFromPage, choose, expect, field, setUpAdmin, signIn, signOut, test } from './fixtures.js';

const AGENT = { email: 'nuno.agent@example.com', password: 'quiet-harbour-lantern-77' };
const today = new Date().toISOString().slice(0, 10);

test('an agent books one of their properties for a guest they have just added', async ({ page, roomy: _ }) => {
  await setUpAdmin(page, { sampleData: false });
  const ok = async (name: string, input: unknown) => {
    const result = (await callFromPage(page, name, input)) as { ok: boolean; value?: { id: string } };
    expect(result.ok, name).toBe(true);
    return result.value!;
  };
  const agent = await ok('users/create', { ...AGENT, firstName: 'Nuno', lastName: 'Dias', role: 'AGENT' });
  const location = await ok('locations/create', {
    name: 'Lagos',
    city: 'Lagos',
    country: 'PT',
    timeZone: 'Europe/Lisbon',
    currency: 'EUR',
  });
  await ok('properties/create', {
    name: 'Meia Praia House',
    type: 'HOUSE',
    address: 'Rua da Praia 3',
    locationId: location.id,
    agentId: agent.id,
    capacity: 6,
    bedrooms: 3,
    bathrooms: 2,
    pricePerNightMinor: 20000,
    currency: 'EUR',
  });
  await signOut(page);

  await signIn(page, AGENT.email, AGENT.password);
  await page.getByRole('link', { name: 'Reservations' }).click();
  await page.getByTestId('new-reservation').click();
  await choose(page, /^Property/, 'Meia', 'Meia Praia House');
  await page.getByRole('button', { name: 'New guest' }).click();
  const guestDialog = page.getByRole('dialog', { name: 'New guest' });
  await guestDialog.getByRole('textbox', { name: /^First name/ }).fill('Clara');
  await guestDialog.getByRole('textbox', { name: /^Last name/ }).fill('Matos');
  await guestDialog.getByRole('textbox', { name: /^Email/ }).fill('clara.matos@example.com');
  await guestDialog.getByRole('button', { name: 'Add guest' }).click();
  await expect(page.getByRole('combobox', { name: /^Guest/ })).toHaveValue('Clara Matos · clara.matos@example.com');
  await expect(page.getByTestId('guest-contact')).toContainText('Booked under Clara Matos');
  await field(page, 'Check-in').fill(addDays(today, 5));
  await field(page, 'Check-out').fill(addDays(today, 8));
  await page.getByRole('button', { name: 'Book' }).click();
  await expect(page.getByRole('heading', { name: 'Clara Matos at Meia Praia House' })).toBeVisible();
  await expect(page.getByTestId('outstanding')).toHaveText('€600.00');
});
