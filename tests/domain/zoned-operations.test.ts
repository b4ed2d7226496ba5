// The zone rules as the office meets them: a property's month so far, and the tasks that follow
// a stay when its dates move, on a real core and SQLite file. Expected instants are worked out
// by hand (see time-zones.test.ts for the 2026 changes they rest on).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCore, setUpAdmin, type TestCore } from '../core/test-core.js';

const ADMIN = 'admin-window';
type Created = { id: string };

let core: TestCore;
let guestId: string;

beforeAll(async () => {
  core = createTestCore(new Date('2026-08-20T12:00:00Z'));
  await setUpAdmin(core, ADMIN);
  guestId = (
    await core.ok<Created>(ADMIN, 'users/create', {
      email: 'gina@example.com',
      firstName: 'Gina',
      lastName: 'Roomy',
      role: 'GUEST',
    })
  ).id;
});
afterAll(() => core.dispose());

let places = 0;
async function propertyIn(timeZone: string, currency: string, country: string): Promise<string> {
  const city = `${timeZone.split('/')[1]!} ${++places}`;
  const location = await core.ok<Created>(ADMIN, 'locations/create', { name: city, city, country, timeZone, currency });
  const property = await core.ok<Created>(ADMIN, 'properties/create', {
    name: `${city} House`,
    type: 'HOUSE',
    address: `${city} street 1`,
    locationId: location.id,
    capacity: 4,
    bedrooms: 2,
    bathrooms: 1,
    pricePerNightMinor: 50_000,
    currency,
  });
  return property.id;
}

async function stay(propertyId: string, checkIn: string, checkOut: string, currency: string): Promise<string> {
  const reservation = await core.ok<Created>(ADMIN, 'reservations/create', {
    propertyId,
    guestId,
    checkIn,
    checkOut,
    guests: 2,
    status: 'CONFIRMED',
    totalMinor: 100_000,
    currency,
    guestName: 'Gina Roomy',
    guestEmail: 'gina@example.com',
    source: 'direct',
  });
  return reservation.id;
}

async function payAt(instant: string, reservationId: string, amountMinor: number, currency: string): Promise<void> {
  core.clock.now = new Date(instant);
  await core.ok(ADMIN, 'ledger/record', {
    userId: guestId,
    reservationId,
    type: 'GUEST_PAYMENT',
    category: 'booking',
    amountMinor,
    currency,
    netAmountMinor: amountMinor,
  });
}

describe('a property’s month so far, in its own zone', () => {
  it('counts a payment made late on the eve of Santiago’s missing midnight', async () => {
    const house = await propertyIn('America/Santiago', 'CLP', 'CL');
    const reservation = await stay(house, '2026-09-02', '2026-09-04', 'CLP');
    await payAt('2026-09-01T03:59:00.000Z', reservation, 1, 'CLP'); // 31 Aug 23:59 -04: August
    await payAt('2026-09-01T04:00:00.000Z', reservation, 20, 'CLP'); // 1 Sep 00:00 -04: September
    await payAt('2026-09-06T03:30:00.000Z', reservation, 300, 'CLP'); // 5 Sep 23:30 -04: September, today
    core.clock.now = new Date('2026-09-06T03:45:00.000Z'); // 5 Sep 23:45 -04
    const overview = await core.ok<{ today: string; monthToDate: Record<string, unknown> }>(
      ADMIN,
      'properties/overview',
      { id: house },
    );
    expect(overview.today).toBe('2026-09-05');
    expect(overview.monthToDate).toMatchObject({ from: '2026-09-01', revenueMinor: 320, availableNights: 5 });
  });

  it('leaves out what was paid after a Lisbon month ended at 23:00 UTC', async () => {
    const house = await propertyIn('Europe/Lisbon', 'EUR', 'PT');
    const reservation = await stay(house, '2026-03-10', '2026-03-12', 'EUR');
    await payAt('2026-03-01T00:00:00.000Z', reservation, 20, 'EUR'); // 1 Mar 00:00 +00: March
    await payAt('2026-03-31T22:59:00.000Z', reservation, 300, 'EUR'); // 31 Mar 23:59 +01: March
    await payAt('2026-03-31T23:00:00.000Z', reservation, 4_000, 'EUR'); // 1 Apr 00:00 +01: April
    core.clock.now = new Date('2026-03-31T22:59:30.000Z'); // 31 Mar 23:59:30 +01
    const overview = await core.ok<{ today: string; monthToDate: Record<string, unknown> }>(
      ADMIN,
      'properties/overview',
      { id: house },
    );
    expect(overview.today).toBe('2026-03-31');
    expect(overview.monthToDate).toMatchObject({ from: '2026-03-01', revenueMinor: 320, availableNights: 31 });
  });
});

describe('tasks follow a stay that moves, on the property’s clocks', () => {
  async function taskMovesWith(
    timeZone: string,
    [currency, country]: [string, string],
    dates: { checkIn: string; checkOut: string; movedCheckIn: string },
    scheduledAt: string,
  ): Promise<string> {
    core.clock.now = new Date('2026-08-20T12:00:00Z');
    const house = await propertyIn(timeZone, currency, country);
    const reservation = await stay(house, dates.checkIn, dates.checkOut, currency);
    const task = await core.ok<Created>(ADMIN, 'tasks/create', {
      propertyId: house,
      reservationId: reservation,
      type: 'CHECK_IN',
      title: 'Late arrival: meet the guest',
      scheduledAt,
    });
    await core.ok(ADMIN, 'reservations/update', { id: reservation, changes: { checkIn: dates.movedCheckIn } });
    return (await core.ok<{ scheduledAt: string }>(ADMIN, 'tasks/get', { id: task.id })).scheduledAt;
  }

  it('moves a 00:30 meeting onto the day Santiago skips midnight: 01:30 that day, not 23:30 the day before', async () => {
    const moved = await taskMovesWith(
      'America/Santiago',
      ['CLP', 'CL'],
      { checkIn: '2026-09-05', checkOut: '2026-09-09', movedCheckIn: '2026-09-06' },
      '2026-09-05T04:30:00.000Z', // 5 Sep 00:30 -04
    );
    expect(moved).toBe('2026-09-06T04:30:00.000Z'); // 6 Sep 01:30 -03
  });

  it('moves a 01:30 meeting onto the night Lisbon repeats that hour: the first 01:30', async () => {
    const moved = await taskMovesWith(
      'Europe/Lisbon',
      ['EUR', 'PT'],
      { checkIn: '2026-10-24', checkOut: '2026-10-28', movedCheckIn: '2026-10-25' },
      '2026-10-24T00:30:00.000Z', // 24 Oct 01:30 +01
    );
    expect(moved).toBe('2026-10-25T00:30:00.000Z'); // 25 Oct 01:30 +01
  });
});
