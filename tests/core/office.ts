// A small office built through the core's own operations: an admin, staff of every role signed
// in on their own windows, two locations and properties with different agents and owners.
import type { SignInRole } from '../../db/policy/roles.js';
import { setUpAdmin, STRONG_PASSWORD, type TestCore } from './test-core.js';

export interface Office {
  ids: Record<'manager' | 'agentA' | 'agentB' | 'ownerA' | 'ownerB' | 'cleaner' | 'maintenance' | 'guest', string>;
  lisbon: string;
  london: string;
  /** Agent A's and owner A's property in Lisbon (EUR), and agent B's and owner B's in London (GBP). */
  propertyA: string;
  propertyB: string;
}

export const WINDOW: Record<SignInRole | 'AGENT_B' | 'OWNER_B', string> = {
  ADMIN: 'admin-window',
  MANAGER: 'manager-window',
  AGENT: 'agent-a-window',
  AGENT_B: 'agent-b-window',
  OWNER: 'owner-a-window',
  OWNER_B: 'owner-b-window',
  CLEANER: 'cleaner-window',
  MAINTENANCE_STAFF: 'maintenance-window',
};

type Created = { id: string };

export async function buildOffice(core: TestCore): Promise<Office> {
  await setUpAdmin(core, WINDOW.ADMIN);
  const person = async (role: string, first: string, window?: string): Promise<string> => {
    const email = `${first.toLowerCase()}@example.com`;
    const withPassword = window ? { password: STRONG_PASSWORD } : {};
    const user = await core.ok<Created>(WINDOW.ADMIN, 'users/create', {
      email,
      firstName: first,
      lastName: 'Roomy',
      role,
      ...withPassword,
    });
    if (window) await core.ok(window, 'auth/sign-in', { email, password: STRONG_PASSWORD });
    return user.id;
  };
  const ids = {
    manager: await person('MANAGER', 'Miguel', WINDOW.MANAGER),
    agentA: await person('AGENT', 'Alice', WINDOW.AGENT),
    agentB: await person('AGENT', 'Bruno', WINDOW.AGENT_B),
    ownerA: await person('OWNER', 'Olga', WINDOW.OWNER),
    ownerB: await person('OWNER', 'Oscar', WINDOW.OWNER_B),
    cleaner: await person('CLEANER', 'Clara', WINDOW.CLEANER),
    maintenance: await person('MAINTENANCE_STAFF', 'Mateus', WINDOW.MAINTENANCE_STAFF),
    guest: await person('GUEST', 'Gina'),
  };
  const location = (name: string, timeZone: string, currency: string, country: string) =>
    core.ok<Created>(WINDOW.ADMIN, 'locations/create', { name, city: name, country, timeZone, currency });
  const lisbon = (await location('Lisbon', 'Europe/Lisbon', 'EUR', 'PT')).id;
  const london = (await location('London', 'Europe/London', 'GBP', 'GB')).id;
  const property = (
    name: string,
    locationId: string,
    currency: string,
    agentId: string,
    ownerId: string,
    nickname: string,
  ) =>
    core.ok<Created>(WINDOW.ADMIN, 'properties/create', {
      name,
      nickname,
      type: 'APARTMENT',
      address: `${name} street 1`,
      locationId,
      ownerId,
      agentId,
      capacity: 4,
      bedrooms: 2,
      bathrooms: 1,
      pricePerNightMinor: 10_000,
      currency,
      tags: ['river view'],
      accessNotes: 'Key box 1234',
      houseRules: ['No parties'],
    });
  const propertyA = (await property('Alfama Loft', lisbon, 'EUR', ids.agentA, ids.ownerA, 'ALF')).id;
  const propertyB = (await property('Camden Flat', london, 'GBP', ids.agentB, ids.ownerB, 'CAM')).id;
  return { ids, lisbon, london, propertyA, propertyB };
}

/** The least a new property needs, in Lisbon; tests add what they are about. */
export function propertyInput(office: Office, overrides: Record<string, unknown> = {}) {
  return {
    name: 'Test House',
    type: 'HOUSE',
    address: 'Rua de Teste 1',
    locationId: office.lisbon,
    capacity: 2,
    bedrooms: 1,
    bathrooms: 1,
    pricePerNightMinor: 100,
    currency: 'EUR',
    ...overrides,
  };
}
