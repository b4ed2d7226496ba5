// The global search through the router on a real SQLite file: each role finds only what its own
// lists would show, and never by a column it may not see.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  seedGuest,
  seedLocation,
  seedProperty,
  seedReservation,
  seedStaff,
  seedTask,
  signInAs,
  type Property,
  type Reservation,
  type User,
} from './seed.js';
import { createTestCore, setUpAdmin, type TestCore } from './test-core.js';

interface Found {
  properties: { id: string; name: string }[] | null;
  guests: { id: string; firstName: string; lastName: string; email: string }[] | null;
  reservations: { id: string; guestName: string; propertyName: string; checkIn: string }[] | null;
  tasks: { id: string; title: string; propertyName: string }[] | null;
}

const ADMIN = 'admin-window';
const AGENT = 'agent-window';
const OWNER = 'owner-window';
const CLEANER = 'cleaner-window';

let core: TestCore;
let alfama: Property;
let camden: Property;
let ines: User;
let zeca: User;
let inesAtAlfama: Reservation;
let inesLastYear: Reservation;
let zecaAtCamden: Reservation;

beforeAll(async () => {
  core = createTestCore(new Date('2026-11-24T09:00:00Z'));
  await setUpAdmin(core, ADMIN);
  const lisbon = seedLocation(core, { name: 'Lisbon' });
  const agent = await seedStaff(core, 'AGENT', { firstName: 'Alice' });
  const otherAgent = await seedStaff(core, 'AGENT', { firstName: 'Bruno' });
  const owner = await seedStaff(core, 'OWNER', { firstName: 'Olga' });
  const cleaner = await seedStaff(core, 'CLEANER', { firstName: 'Clara' });
  alfama = seedProperty(core, lisbon.id, {
    name: 'Alfama Loft',
    agentId: agent.id,
    ownerId: owner.id,
    tags: ['harbour view'],
  });
  camden = seedProperty(core, lisbon.id, { name: 'Camden Flat', agentId: otherAgent.id, address: 'Harbour Road 3' });
  ines = seedGuest(core, 'Inês', 'Harbour', { email: 'ines.h@example.com' });
  zeca = seedGuest(core, 'Zeca', 'Harbour', { email: 'zeca@example.com' });
  seedGuest(core, 'Nobody', 'Harbour', { email: 'nobody@example.com' });
  inesLastYear = seedReservation(core, alfama.id, ines.id, {
    guestName: 'Inês Harbour',
    guestEmail: 'ines.h@example.com',
    checkIn: '2025-11-01',
    checkOut: '2025-11-04',
    status: 'CHECKED_OUT',
  });
  inesAtAlfama = seedReservation(core, alfama.id, ines.id, {
    guestName: 'Inês Harbour',
    guestEmail: 'ines.h@example.com',
    checkIn: '2026-11-28',
    checkOut: '2026-12-02',
    sourceId: 'HMQX42',
  });
  zecaAtCamden = seedReservation(core, camden.id, zeca.id, {
    guestName: 'Zeca Harbour',
    guestEmail: 'zeca@example.com',
    checkIn: '2026-12-10',
    checkOut: '2026-12-12',
  });
  seedTask(core, alfama.id, { title: 'Fix the harbour-side shutter', type: 'MAINTENANCE' });
  seedTask(core, camden.id, { title: 'Harbour flat deep clean', assigneeId: cleaner.id });
  await signInAs(core, AGENT, agent);
  await signInAs(core, OWNER, owner);
  await signInAs(core, CLEANER, cleaner);
});
afterAll(() => core.dispose());

const search = (window: string, query: string) => core.ok<Found>(window, 'search/everything', { query });
const ids = (hits: { id: string }[] | null) => hits?.map((h) => h.id) ?? null;

describe('search everything', () => {
  it('finds properties, guests, reservations and tasks for an admin', async () => {
    const found = await search(ADMIN, 'harbour');
    // A property by its tags or its address.
    expect(found.properties?.map((p) => p.name)).toEqual(['Alfama Loft', 'Camden Flat']);
    expect(found.guests?.map((g) => g.firstName)).toEqual(['Inês', 'Nobody', 'Zeca']);
    expect(found.tasks?.map((t) => t.title).sort()).toEqual([
      'Fix the harbour-side shutter',
      'Harbour flat deep clean',
    ]);
    // The stay nearest today comes first; last year's last.
    expect(ids(found.reservations)).toEqual([inesAtAlfama.id, zecaAtCamden.id, inesLastYear.id]);
  });

  it('finds a guest by full name and email, and a booking by its channel reference', async () => {
    expect(ids((await search(ADMIN, 'Inês Harbour')).guests)).toEqual([ines.id]);
    expect(ids((await search(ADMIN, 'zeca@')).guests)).toEqual([zeca.id]);
    expect(ids((await search(ADMIN, 'hmqx')).reservations)).toEqual([inesAtAlfama.id]);
  });

  it('gives an agent only their own properties, stays, tasks and guests', async () => {
    const found = await search(AGENT, 'harbour');
    expect(ids(found.properties)).toEqual([alfama.id]);
    expect(ids(found.reservations)).toEqual([inesAtAlfama.id, inesLastYear.id]);
    // Guests who booked one of the agent's properties, no one else.
    expect(ids(found.guests)).toEqual([ines.id]);
    expect(found.tasks?.map((t) => t.propertyName)).toEqual(['Alfama Loft']);
  });

  it('never lets an owner find a stay by the guest email they may not see', async () => {
    expect(ids((await search(ADMIN, 'ines.h@')).reservations)).toHaveLength(2);
    const found = await search(OWNER, 'ines.h@');
    expect(found.reservations).toEqual([]);
    // By the guest's name, which owners see, they do find their own stays.
    expect(ids((await search(OWNER, 'Inês')).reservations)).toEqual([inesAtAlfama.id, inesLastYear.id]);
    // Owners list no guests and no tasks.
    expect(found.guests).toEqual([]);
    expect(found.tasks).toBeNull();
  });

  it('gives a cleaner their own tasks and properties, and no reservations or guests at all', async () => {
    const found = await search(CLEANER, 'harbour');
    expect(found.reservations).toBeNull();
    expect(found.guests).toBeNull();
    expect(found.tasks?.map((t) => t.title)).toEqual(['Harbour flat deep clean']);
    // Camden by its address; Alfama's tag would match, but tags are not shown to cleaners and it is not theirs.
    expect(ids(found.properties)).toEqual([camden.id]);
  });

  it('does not match a cleaner on property tags they may not see', async () => {
    // A task on Alfama for the cleaner puts Alfama in their scope: still not found by its tag.
    const cleanerId = (await core.ok<{ userId: string }>(CLEANER, 'auth/me')).userId;
    seedTask(core, alfama.id, { title: 'Window clean', assigneeId: cleanerId });
    expect(ids((await search(CLEANER, 'harbour view')).properties)).toEqual([]);
    expect(ids((await search(ADMIN, 'harbour view')).properties)).toEqual([alfama.id]);
    expect(ids((await search(CLEANER, 'Alfama')).properties)).toEqual([alfama.id]);
  });

  it('asks for at least two letters', async () => {
    const error = await core.fails(ADMIN, 'search/everything', { query: ' a ' });
    expect(error.fields).toEqual({ query: 'must be at least 2 characters' });
  });
});
