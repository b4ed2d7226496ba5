// A small office for the guard-rail specs, made through the page's own calls: a location in
// Lisbon, a property with an owner, a guest, and (on request) a stay.
import type { Page } from '@playwright/test';
import { addDays } from '../../db/domain/dates.js';
import { callOk, expect } from './fixtures.js';

export const today = new Date().toISOString().slice(0, 10);

export interface Office {
  propertyId: string;
  ownerId: string;
  guestId: string;
}

/** Ribeira Studio at €100 a night, owned by Olga Pires; João Alves as a guest. */
export async function smallOffice(page: Page): Promise<Office> {
  const location = await callOk(page, 'locations/create', {
    name: 'Porto',
    city: 'Porto',
    country: 'PT',
    timeZone: 'Europe/Lisbon',
    currency: 'EUR',
  });
  const owner = await callOk(page, 'users/create', {
    email: 'olga@example.com',
    firstName: 'Olga',
    lastName: 'Pires',
    role: 'OWNER',
  });
  const property = await callOk(page, 'properties/create', {
    name: 'Ribeira Studio',
    type: 'STUDIO',
    address: 'Cais da Ribeira 5',
    locationId: location.id,
    ownerId: owner.id,
    capacity: 2,
    bedrooms: 1,
    bathrooms: 1,
    pricePerNightMinor: 10_000,
    currency: 'EUR',
  });
  const guest = await callOk(page, 'users/create', {
    email: 'joao@example.com',
    firstName: 'João',
    lastName: 'Alves',
    role: 'GUEST',
  });
  return { propertyId: property.id, ownerId: owner.id, guestId: guest.id };
}

/** A confirmed stay of João Alves, `from` days from today for `nights` nights at €100. */
export async function stayOf(page: Page, office: Office, from: number, nights: number): Promise<string> {
  const reservation = await callOk(page, 'reservations/create', {
    propertyId: office.propertyId,
    guestId: office.guestId,
    checkIn: addDays(today, from),
    checkOut: addDays(today, from + nights),
    guests: 2,
    status: 'CONFIRMED',
    totalMinor: 10_000 * nights,
    currency: 'EUR',
    guestName: 'João Alves',
    guestEmail: 'joao@example.com',
    source: 'direct',
  });
  return reservation.id;
}

export async function openTheStay(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Reservations' }).click();
  await page.getByRole('table', { name: 'Reservations' }).getByText('João Alves').first().click();
  await expect(page.getByRole('heading', { name: 'João Alves at Ribeira Studio' })).toBeVisible();
}

export const statusOf = async (page: Page, id: string) =>
  (await callOk<{ status: string }>(page, 'reservations/get', { id })).status;

/** What the audit log kept for a stay's status moves of one kind. */
export const auditedMoves = async (page: Page, id: string, action: string) =>
  (
    await callOk<{ items: { after: { from: string; to: string; reason: string } }[] }>(page, 'audit/list', {
      action,
      entityId: id,
    })
  ).items.map((row) => row.after);
