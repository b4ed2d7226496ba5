// Each constraint of the data model rejects a violating row, in both databases, with an error
// that names the constraint.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newId } from '../../db/domain/ids.js';
import { ledgerRow, locationRow, propertyRow, reservationRow, taskRow, userRow } from './fixtures.js';
import { DIALECTS, rejection, type Dialect, type SharedTable } from './dialects.js';

interface World {
  userId: string;
  locationId: string;
  propertyId: string;
  reservationId: string;
  location: ReturnType<typeof locationRow>;
  user: ReturnType<typeof userRow>;
}

type Case = [name: string, table: SharedTable, row: (w: World) => Record<string, unknown>, error: RegExp];

const FOREIGN_KEY = /foreign key/i;
const UNIQUE = /unique/i;

const cases: Case[] = [
  ['a property in a location that does not exist', 'properties', () => propertyRow(newId()), FOREIGN_KEY],
  [
    'a property owned by a user who does not exist',
    'properties',
    (w) => propertyRow(w.locationId, { ownerId: newId() }),
    FOREIGN_KEY,
  ],
  [
    'a reservation of a property that does not exist',
    'reservations',
    (w) => reservationRow(newId(), w.userId),
    FOREIGN_KEY,
  ],
  [
    'a task for a reservation that does not exist',
    'tasks',
    (w) => taskRow(w.propertyId, { reservationId: newId() }),
    FOREIGN_KEY,
  ],
  ['a ledger entry for a user who does not exist', 'ledgerEntries', () => ledgerRow(newId()), FOREIGN_KEY],
  ['a second user with the same email', 'users', (w) => userRow({ email: w.user.email }), UNIQUE],
  ['a second location with the same name', 'locations', (w) => locationRow({ name: w.location.name }), UNIQUE],
  [
    'a second property with the same nickname',
    'properties',
    (w) => propertyRow(w.locationId, { nickname: 'ALF-1' }),
    UNIQUE,
  ],
  [
    'a check-out on the check-in day',
    'reservations',
    (w) => reservationRow(w.propertyId, w.userId, { checkIn: '2027-01-10', checkOut: '2027-01-10' }),
    /reservations_dates_check/,
  ],
  [
    'a check-out before check-in',
    'reservations',
    (w) => reservationRow(w.propertyId, w.userId, { checkIn: '2027-01-10', checkOut: '2027-01-08' }),
    /reservations_dates_check/,
  ],
  [
    'a reservation for no guests',
    'reservations',
    (w) => reservationRow(w.propertyId, w.userId, { checkIn: '2027-02-01', checkOut: '2027-02-03', guests: 0 }),
    /reservations_guests_check/,
  ],
  [
    'a negative reservation total',
    'reservations',
    (w) => reservationRow(w.propertyId, w.userId, { checkIn: '2027-02-01', checkOut: '2027-02-03', totalMinor: -1 }),
    /reservations_total_check/,
  ],
  [
    'a property for nobody',
    'properties',
    (w) => propertyRow(w.locationId, { capacity: 0 }),
    /properties_capacity_check/,
  ],
  ['negative bedrooms', 'properties', (w) => propertyRow(w.locationId, { bedrooms: -1 }), /properties_bedrooms_check/],
  [
    'a negative nightly price',
    'properties',
    (w) => propertyRow(w.locationId, { pricePerNightMinor: -100 }),
    /properties_price_check/,
  ],
  [
    'an unknown property type',
    'properties',
    (w) => propertyRow(w.locationId, { type: 'CASTLE' }),
    /properties_type_check/,
  ],
  ['an unknown role', 'users', () => userRow({ role: 'SUPERUSER' }), /users_role_check/],
  [
    'an unknown reservation status',
    'reservations',
    (w) => reservationRow(w.propertyId, w.userId, { checkIn: '2027-03-01', checkOut: '2027-03-02', status: 'MAYBE' }),
    /reservations_status_check/,
  ],
  [
    'a negative task cost',
    'tasks',
    (w) => taskRow(w.propertyId, { costMinor: -5, currency: 'EUR' }),
    /tasks_cost_check/,
  ],
  ['a task cost without a currency', 'tasks', (w) => taskRow(w.propertyId, { costMinor: 500 }), /tasks_currency_check/],
  [
    'a negative ledger amount that reverses nothing',
    'ledgerEntries',
    (w) => ledgerRow(w.userId, { amountMinor: -100, platformFeeMinor: 0, netAmountMinor: -100 }),
    /ledger_amount_check/,
  ],
  [
    'a ledger entry whose net is not amount minus fees',
    'ledgerEntries',
    (w) => ledgerRow(w.userId, { netAmountMinor: 48_000 }),
    /ledger_net_check/,
  ],
  ['an unknown ledger entry type', 'ledgerEntries', (w) => ledgerRow(w.userId, { type: 'BRIBE' }), /ledger_type_check/],
  ['a missing required field', 'users', () => ({ ...userRow(), firstName: null }), /first_name|not null|NOT NULL/i],
];

describe.each(DIALECTS)('constraints in %s', (_name, open) => {
  let d: Dialect;
  let world: World;

  beforeEach(async () => {
    d = await open();
    const user = userRow();
    const location = locationRow();
    const property = propertyRow(location.id, { nickname: 'ALF-1' });
    const reservation = reservationRow(property.id, user.id);
    await d.insert('users', user);
    await d.insert('locations', location);
    await d.insert('properties', property);
    await d.insert('reservations', reservation);
    world = {
      userId: user.id,
      locationId: location.id,
      propertyId: property.id,
      reservationId: reservation.id,
      location,
      user,
    };
  });
  afterEach(() => d.dispose());

  it.each(cases)('rejects %s', async (_case, table, row, error) => {
    const before = await d.count(table);
    expect(await rejection(d.insert(table, row(world)))).toMatch(error);
    expect(await d.count(table)).toBe(before);
  });

  it('accepts the valid rows the cases were made from', async () => {
    await d.insert(
      'tasks',
      taskRow(world.propertyId, { reservationId: world.reservationId, costMinor: 500, currency: 'EUR' }),
    );
    await d.insert(
      'ledgerEntries',
      ledgerRow(world.userId, { reservationId: world.reservationId, propertyId: world.propertyId }),
    );
    await d.insert('properties', propertyRow(world.locationId, { nickname: null }));
    await d.insert('properties', propertyRow(world.locationId, { nickname: null }));
    expect(await d.count('properties')).toBe(3);
  });
});
