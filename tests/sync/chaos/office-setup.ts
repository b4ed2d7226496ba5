// The office a chaos run starts from: its people made on the server (as create-admin and the
// office would), then locations, properties (some the agent's), stays, payments and tasks made
// by the admin's desktop through the app's own operations.
import type { CentralDatabase } from '../../../db/central-database.js';
import { addUser } from '../../sync-server/sync-client.js';
import type { DesktopProcess } from './desktop-client.js';
import type { People, Person } from './operations.js';

export type DeviceName = 'admin' | 'manager' | 'agent';

export async function makePeople(central: CentralDatabase): Promise<People & Record<DeviceName, Person>> {
  const named = (role: Parameters<typeof addUser>[1], firstName: string, lastName: string) =>
    addUser(central, role, { firstName, lastName });
  return {
    admin: await named('ADMIN', 'Ada', 'Admin'),
    manager: await named('MANAGER', 'Mia', 'Manager'),
    agent: await named('AGENT', 'Aldo', 'Agent'),
    otherAgent: await named('AGENT', 'Olga', 'Agent'),
    owner: await named('OWNER', 'Otto', 'Owner'),
    cleaner: await named('CLEANER', 'Cleo', 'Cleaner'),
    guests: [
      await named('GUEST', 'Gina', 'Guest'),
      await named('GUEST', 'Gus', 'Guest'),
      await named('GUEST', 'Greta', 'Guest'),
    ],
  };
}

/** Made on the admin's desktop; `remember` learns every id, `log` every call. */
export async function setUpOffice(
  admin: DesktopProcess,
  people: People,
  remember: (table: string, id: unknown) => void,
  log: (line: string) => void,
): Promise<void> {
  const made = async (name: Parameters<DesktopProcess['call']>[0], input: unknown): Promise<string> => {
    const result = await admin.call<{ id: string }>(name, input);
    if (!result.ok) throw new Error(`setting up: ${name} failed: ${result.error.code}: ${result.error.message}`);
    log(`setup   ${name} ${JSON.stringify(input)} → ${result.value.id}`);
    return result.value.id;
  };
  const location = (name: string, city: string) =>
    made('locations/create', { name, city, country: 'PT', timeZone: 'Europe/Lisbon', currency: 'EUR' });
  const lisbon = await location('Lisbon centre', 'Lisbon');
  const porto = await location('Porto riverside', 'Porto');
  const agents = [people.agent.id, people.agent.id, people.otherAgent.id, null, people.agent.id];
  const properties: string[] = [];
  for (const [i, agentId] of agents.entries()) {
    const id = await made('properties/create', {
      name: ['Alfama Loft', 'Baixa Studio', 'Ribeira House', 'Foz Villa', 'Graça Terrace'][i],
      type: 'APARTMENT',
      address: `Rua ${i + 1}`,
      locationId: i % 2 === 0 ? lisbon : porto,
      ownerId: people.owner.id,
      agentId,
      capacity: 2 + i,
      bedrooms: 1 + (i % 3),
      bathrooms: 1,
      pricePerNightMinor: 9_000 + i * 1_500,
      currency: 'EUR',
      accessNotes: `Key box ${1000 + i}`,
    });
    remember('properties', id);
    properties.push(id);
  }
  // Stays in May, before the month the run books in: each guest is the agent's through one.
  for (const [i, propertyId] of properties.entries()) {
    const guest = people.guests[i % people.guests.length]!;
    const stay = await made('reservations/create', {
      propertyId,
      guestId: guest.id,
      checkIn: `2027-05-0${1 + i}`,
      checkOut: `2027-05-1${1 + i}`,
      guests: 1,
      totalMinor: 10 * (9_000 + i * 1_500),
      currency: 'EUR',
      guestName: `Guest ${i + 1}`,
      guestEmail: guest.email,
      source: 'direct',
      status: 'CONFIRMED',
    });
    remember('reservations', stay);
    const payment = await made('ledger/record', {
      userId: guest.id,
      reservationId: stay,
      type: 'GUEST_PAYMENT',
      category: 'booking',
      amountMinor: 20_000,
      currency: 'EUR',
      netAmountMinor: 20_000,
    });
    remember('ledger_entries', payment);
    const task = await made('tasks/create', {
      propertyId,
      reservationId: stay,
      type: 'CLEANING',
      title: `Turnover ${i + 1}`,
      scheduledAt: `2027-05-1${1 + i}T11:00:00.000Z`,
      assigneeId: people.cleaner.id,
    });
    remember('tasks', task);
  }
}
