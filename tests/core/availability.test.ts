// Availability search and the booking calendar, through the router on a real SQLite file, as
// each role: free nights are those no active stay takes, and nobody finds a property or a stay
// outside their scope.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  seedGuest,
  seedLocation,
  seedProperty,
  seedReservation,
  seedStaff,
  seedTask,
  signInAs,
  type Location,
  type Property,
  type User,
} from './seed.js';
import { createTestCore, setUpAdmin, type TestCore } from './test-core.js';

interface Found {
  nights: number;
  more: boolean;
  items: { id: string; name: string; totalMinor: number; currency: string; pricePerNightMinor: number }[];
}
interface Calendar {
  properties: { id: string; name: string; stays: { id: string; guestName: string; status: string }[] }[];
}
const staysOf = (calendar: Calendar) =>
  calendar.properties.flatMap((p) => p.stays.map((stay) => ({ ...stay, propertyId: p.id })));

const ADMIN = 'admin-window';
const AGENT = 'agent-window';
const OWNER = 'owner-window';
const CLEANER = 'cleaner-window';

let core: TestCore;
let lisbon: Location;
let london: Location;
let agent: User;
let owner: User;
let alfama: Property; // agent's, 4 guests, EUR, booked 12–15 March
let graca: Property; // agent's, 6 guests, EUR, free
let camden: Property; // another agent's, 4 guests, GBP, free
let archived: Property;
let resting: Property; // not being let
const week = { checkIn: '2027-03-12', checkOut: '2027-03-15', guests: 4 };

beforeAll(async () => {
  core = createTestCore();
  await setUpAdmin(core, ADMIN);
  lisbon = seedLocation(core, { name: 'Lisbon', currency: 'EUR' });
  london = seedLocation(core, { name: 'London', timeZone: 'Europe/London', currency: 'GBP' });
  agent = await seedStaff(core, 'AGENT', { firstName: 'Alice' });
  const otherAgent = await seedStaff(core, 'AGENT', { firstName: 'Bruno' });
  owner = await seedStaff(core, 'OWNER', { firstName: 'Olga' });
  const cleaner = await seedStaff(core, 'CLEANER', { firstName: 'Clara' });
  const mine = { agentId: agent.id, ownerId: owner.id };
  alfama = seedProperty(core, lisbon.id, { name: 'Alfama Loft', capacity: 4, pricePerNightMinor: 12_000, ...mine });
  graca = seedProperty(core, lisbon.id, {
    name: 'Graça House',
    type: 'HOUSE',
    capacity: 6,
    bedrooms: 3,
    pricePerNightMinor: 20_000,
    ...mine,
  });
  camden = seedProperty(core, london.id, {
    name: 'Camden Flat',
    capacity: 4,
    pricePerNightMinor: 9_500,
    currency: 'GBP',
    agentId: otherAgent.id,
  });
  seedProperty(core, lisbon.id, { name: 'Tiny Studio', capacity: 2, agentId: agent.id });
  archived = seedProperty(core, lisbon.id, {
    name: 'Old Villa',
    capacity: 8,
    agentId: agent.id,
    archivedAt: '2026-01-01T00:00:00.000Z',
    status: 'INACTIVE',
  });
  resting = seedProperty(core, lisbon.id, { name: 'Resting Flat', capacity: 4, status: 'MAINTENANCE' });
  const ana = seedGuest(core, 'Ana', 'Silva');
  seedReservation(core, alfama.id, ana.id, { checkIn: '2027-03-10', checkOut: '2027-03-13' });
  // Stays that take none of the nights: cancelled, a no-show, and ones ending or starting at the edges.
  seedReservation(core, graca.id, ana.id, { checkIn: '2027-03-12', checkOut: '2027-03-15', status: 'CANCELLED' });
  seedReservation(core, graca.id, ana.id, { checkIn: '2027-03-08', checkOut: '2027-03-12' });
  seedReservation(core, graca.id, ana.id, { checkIn: '2027-03-15', checkOut: '2027-03-18', status: 'PENDING' });
  seedReservation(core, camden.id, ana.id, {
    checkIn: '2027-03-11',
    checkOut: '2027-03-14',
    status: 'NO_SHOW',
    currency: 'GBP',
    guestName: 'Nuno Reis',
  });
  seedReservation(core, archived.id, ana.id, { checkIn: '2027-03-20', checkOut: '2027-03-22', guestName: 'Old Guest' });
  seedTask(core, camden.id, { assigneeId: cleaner.id });
  await signInAs(core, AGENT, agent);
  await signInAs(core, OWNER, owner);
  await signInAs(core, CLEANER, cleaner);
});
afterAll(() => core.dispose());

const search = (window: string, input: Record<string, unknown>) => core.ok<Found>(window, 'availability/search', input);
const names = (found: Found) => found.items.map((p) => p.name);

describe('availability search', () => {
  it('finds the properties free on every night that hold the party, the smallest first', async () => {
    const found = await search(ADMIN, week);
    expect(names(found)).toEqual(['Camden Flat', 'Graça House']);
    expect(found.nights).toBe(3);
  });

  it('prices the nights at each nightly rate, in the property’s own currency', async () => {
    const found = await search(ADMIN, week);
    expect(found.items.map((p) => [p.name, p.totalMinor, p.currency])).toEqual([
      ['Camden Flat', 28_500, 'GBP'],
      ['Graça House', 60_000, 'EUR'],
    ]);
  });

  it('offers a property again once its stay has left, and never one that is booked for any night', async () => {
    expect(names(await search(ADMIN, { ...week, checkIn: '2027-03-13' }))).toContain('Alfama Loft');
    expect(names(await search(ADMIN, { ...week, checkIn: '2027-03-12', checkOut: '2027-03-13' }))).not.toContain(
      'Alfama Loft',
    );
    expect(names(await search(ADMIN, { ...week, checkIn: '2027-03-01', checkOut: '2027-03-31' }))).toEqual([
      'Camden Flat',
    ]);
  });

  it('leaves out archived properties, those not being let, and those too small', async () => {
    const found = names(await search(ADMIN, { ...week, guests: 2, checkIn: '2027-04-01', checkOut: '2027-04-02' }));
    expect(found).toEqual(['Tiny Studio', 'Alfama Loft', 'Camden Flat', 'Graça House']);
    expect(found).not.toContain(archived.name);
    expect(found).not.toContain(resting.name);
  });

  it('narrows by location, type and bedrooms', async () => {
    expect(names(await search(ADMIN, { ...week, locationId: london.id }))).toEqual(['Camden Flat']);
    expect(names(await search(ADMIN, { ...week, type: ['HOUSE'] }))).toEqual(['Graça House']);
    expect(names(await search(ADMIN, { ...week, minBedrooms: 3 }))).toEqual(['Graça House']);
    expect(names(await search(ADMIN, { ...week, guests: 7 }))).toEqual([]);
  });

  it('gives an agent only the properties they look after', async () => {
    expect(names(await search(AGENT, week))).toEqual(['Graça House']);
    expect(names(await search(AGENT, { ...week, checkIn: '2027-04-01', checkOut: '2027-04-03', guests: 1 }))).toEqual([
      'Tiny Studio',
      'Alfama Loft',
      'Graça House',
    ]);
  });

  it('is for the office: owners and cleaners are refused', async () => {
    expect((await core.fails(OWNER, 'availability/search', week)).code).toBe('forbidden');
    expect((await core.fails(CLEANER, 'availability/search', week)).code).toBe('forbidden');
  });

  it('says which date is wrong, in words', async () => {
    const backwards = await core.fails(ADMIN, 'availability/search', { ...week, checkOut: '2027-03-12' });
    expect(backwards.code).toBe('validation');
    expect(backwards.fields).toEqual({ checkOut: 'must be after the check-in date' });
    const tooLong = await core.fails(ADMIN, 'availability/search', { ...week, checkOut: '2028-04-01' });
    expect(tooLong.fields?.checkOut).toMatch(/at most 365 nights/);
  });

  it('pages: says when there are more than the limit', async () => {
    const first = await search(ADMIN, { ...week, guests: 1, checkIn: '2027-04-01', checkOut: '2027-04-02', limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.more).toBe(true);
  });
});

describe('the booking calendar', () => {
  const month = { from: '2027-03-01', to: '2027-04-01' };

  it('gives every property not archived and every active stay in the window', async () => {
    const calendar = await core.ok<Calendar>(ADMIN, 'availability/calendar', month);
    expect(calendar.properties.map((p) => p.name)).toEqual([
      'Alfama Loft',
      'Camden Flat',
      'Graça House',
      'Resting Flat',
      'Tiny Studio',
    ]);
    // The cancelled stay and the no-show take no nights, so they are not drawn; nor is the archived property's.
    expect(
      staysOf(calendar)
        .map((s) => s.status)
        .sort(),
    ).toEqual(['CONFIRMED', 'CONFIRMED', 'PENDING']);
  });

  it('leaves out stays outside the window', async () => {
    const calendar = await core.ok<Calendar>(ADMIN, 'availability/calendar', { from: '2027-03-15', to: '2027-03-16' });
    expect(staysOf(calendar).map((s) => s.propertyId)).toEqual([graca.id]);
  });

  it('shows agents and owners only their own properties and stays', async () => {
    const forAgent = await core.ok<Calendar>(AGENT, 'availability/calendar', month);
    expect(forAgent.properties.map((p) => p.name)).toEqual(['Alfama Loft', 'Graça House', 'Tiny Studio']);
    expect(
      staysOf(forAgent)
        .map((s) => s.propertyId)
        .sort(),
    ).toEqual([alfama.id, graca.id, graca.id].sort());
    const forOwner = await core.ok<Calendar>(OWNER, 'availability/calendar', month);
    expect(forOwner.properties.map((p) => p.name)).toEqual(['Alfama Loft', 'Graça House']);
    expect(staysOf(forOwner)).toHaveLength(3);
  });

  it('is refused to cleaners, and to windows too wide', async () => {
    expect((await core.fails(CLEANER, 'availability/calendar', month)).code).toBe('forbidden');
    const wide = await core.fails(ADMIN, 'availability/calendar', { from: '2027-01-01', to: '2027-06-01' });
    expect(wide.fields?.to).toMatch(/at most 62 days/);
  });
});
