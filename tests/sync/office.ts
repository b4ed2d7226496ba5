// A synced office: a sync server on the run's Postgres, its people made on the server (as
// `sync-server:create-admin` and staff would), and desktops that sign in to it.
import { addUser, startSyncServer, type TestSyncServer } from '../sync-server/sync-harness.js';
import { createDevice, settled, type TestDevice } from './devices.js';

export interface SyncedOffice {
  server: TestSyncServer;
  people: Record<
    'admin' | 'manager' | 'agentA' | 'agentB' | 'owner' | 'cleaner' | 'guest',
    { id: string; email: string }
  >;
  devices: TestDevice[];
  /** A new desktop, signed in as `who` and settled (its first sync done). */
  device(name: string, who: { email: string }): Promise<TestDevice>;
  close(): Promise<void>;
}

export async function startSyncedOffice(): Promise<SyncedOffice> {
  const server = await startSyncServer();
  const people = {
    admin: await addUser(server.central, 'ADMIN'),
    manager: await addUser(server.central, 'MANAGER'),
    agentA: await addUser(server.central, 'AGENT'),
    agentB: await addUser(server.central, 'AGENT'),
    owner: await addUser(server.central, 'OWNER'),
    cleaner: await addUser(server.central, 'CLEANER'),
    guest: await addUser(server.central, 'GUEST'),
  };
  const devices: TestDevice[] = [];
  return {
    server,
    people,
    devices,
    async device(name, who) {
      const device = createDevice(name, server.url);
      devices.push(device);
      await device.signIn(who.email);
      await settled(device);
      return device;
    },
    async close() {
      for (const device of devices) device.dispose();
      await server.close();
    },
  };
}

let made = 0;

/** A location and a property (agent A's, the owner's) made on `device` through the app's operations. */
export async function makeProperty(
  device: TestDevice,
  office: { people: { owner: { id: string }; agentA: { id: string } } },
  overrides: Record<string, unknown> = {},
): Promise<{ locationId: string; propertyId: string }> {
  const location = await device.ok<{ id: string }>('locations/create', {
    name: `Lisbon ${++made}`,
    city: 'Lisbon',
    country: 'PT',
    timeZone: 'Europe/Lisbon',
    currency: 'EUR',
  });
  const property = await device.ok<{ id: string }>('properties/create', {
    name: 'Rua Augusta 12',
    type: 'APARTMENT',
    address: 'Rua Augusta 12, Lisbon',
    locationId: location.id,
    ownerId: office.people.owner.id,
    agentId: office.people.agentA.id,
    capacity: 4,
    bedrooms: 2,
    bathrooms: 1,
    pricePerNightMinor: 12_000,
    currency: 'EUR',
    accessNotes: 'Key box 1234',
    ...overrides,
  });
  return { locationId: location.id, propertyId: property.id };
}
