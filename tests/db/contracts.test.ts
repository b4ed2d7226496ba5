import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  ledgerEntryCreate,
  locationCreate,
  propertyCreate,
  propertyUpdate,
  reservationCreate,
  reservationUpdate,
  taskCreate,
  userCreate,
} from '../../db/contracts/entities.js';
import { describeFieldErrors, fieldErrors } from '../../db/contracts/errors.js';
import { newId } from '../../db/domain/ids.js';

function errorsOf(schema: z.ZodType, input: unknown): Record<string, string> {
  const result = schema.safeParse(input);
  if (result.success) throw new Error(`expected ${JSON.stringify(input)} to be refused`);
  return fieldErrors(result.error);
}

const validProperty = {
  name: 'Alfama Loft',
  type: 'APARTMENT',
  address: 'Rua dos Remédios 12',
  locationId: newId(),
  capacity: 4,
  bedrooms: 2,
  bathrooms: 1.5,
  pricePerNightMinor: 12000,
  currency: 'EUR',
};

const validReservation = {
  propertyId: newId(),
  guestId: newId(),
  checkIn: '2026-12-01',
  checkOut: '2026-12-05',
  guests: 2,
  totalMinor: 48000,
  currency: 'EUR',
  guestName: 'Ana Silva',
  guestEmail: 'Ana@Example.com',
  source: 'direct',
};

describe('entity contracts', () => {
  it('accept valid input and normalise it', () => {
    expect(propertyCreate.parse(validProperty)).toMatchObject(validProperty);
    expect(reservationCreate.parse(validReservation).guestEmail).toBe('ana@example.com');
  });

  it.each<[string, z.ZodType, unknown, Record<string, RegExp>]>([
    [
      'a missing field',
      userCreate,
      { email: 'a@example.com', lastName: 'Silva', role: 'AGENT' },
      { firstName: /is required/ },
    ],
    [
      'a bad email',
      userCreate,
      { email: 'nope', firstName: 'A', lastName: 'B', role: 'AGENT' },
      { email: /valid email/ },
    ],
    [
      'an unknown role',
      userCreate,
      { email: 'a@example.com', firstName: 'A', lastName: 'B', role: 'KING' },
      { role: /one of ADMIN, MANAGER/ },
    ],
    [
      'an unknown field',
      userCreate,
      { email: 'a@example.com', firstName: 'A', lastName: 'B', role: 'AGENT', passwordHash: 'x' },
      { passwordHash: /not a known field/ },
    ],
    [
      'a made-up time zone',
      locationCreate,
      { name: 'X', city: 'X', country: 'PT', timeZone: 'Mars/Olympus', currency: 'EUR' },
      { timeZone: /IANA time zone/ },
    ],
    [
      'a made-up currency',
      locationCreate,
      { name: 'X', city: 'X', country: 'PT', timeZone: 'Europe/Lisbon', currency: 'EURO' },
      { currency: /ISO 4217/ },
    ],
    [
      'a latitude off the globe',
      locationCreate,
      {
        name: 'X',
        city: 'X',
        country: 'PT',
        timeZone: 'Europe/Lisbon',
        currency: 'EUR',
        coordinates: { lat: 91, lng: 0 },
      },
      { 'coordinates.lat': /between -90 and 90/ },
    ],
    [
      'a price as a decimal',
      propertyCreate,
      { ...validProperty, pricePerNightMinor: 120.5 },
      { pricePerNightMinor: /whole number of minor units/ },
    ],
    [
      'a negative price',
      propertyCreate,
      { ...validProperty, pricePerNightMinor: -1 },
      { pricePerNightMinor: /must not be negative/ },
    ],
    [
      'a price as text',
      propertyCreate,
      { ...validProperty, pricePerNightMinor: '120' },
      { pricePerNightMinor: /must be a whole number/ },
    ],
    ['a third of a bathroom', propertyCreate, { ...validProperty, bathrooms: 1.3 }, { bathrooms: /whole or half/ }],
    ['no capacity', propertyCreate, { ...validProperty, capacity: 0 }, { capacity: /at least 1/ }],
    ['an id that is not a UUIDv7', propertyCreate, { ...validProperty, locationId: '123' }, { locationId: /UUIDv7/ }],
    ['an empty update', propertyUpdate, {}, { '(input)': /nothing to update/ }],
    [
      'a check-out before check-in',
      reservationCreate,
      { ...validReservation, checkOut: '2026-11-30' },
      { checkOut: /after the check-in date/ },
    ],
    [
      'a date that does not exist',
      reservationCreate,
      { ...validReservation, checkIn: '2026-02-30' },
      { checkIn: /real date/ },
    ],
    [
      'a date with a time',
      reservationCreate,
      { ...validReservation, checkIn: '2026-12-01T10:00' },
      { checkIn: /YYYY-MM-DD/ },
    ],
    ['no guests', reservationCreate, { ...validReservation, guests: 0 }, { guests: /at least 1/ }],
    [
      'dates out of order in an update',
      reservationUpdate,
      { checkIn: '2026-12-05', checkOut: '2026-12-01' },
      { checkOut: /after the check-in date/ },
    ],
    [
      'a task cost without currency',
      taskCreate,
      { propertyId: newId(), type: 'CLEANING', title: 'Clean', costMinor: 500 },
      { currency: /required when a cost/ },
    ],
    [
      'a task time without a zone',
      taskCreate,
      { propertyId: newId(), type: 'CLEANING', title: 'Clean', scheduledAt: '2026-12-01 10:00' },
      { scheduledAt: /ISO 8601/ },
    ],
    [
      'a net that is not amount minus fees',
      ledgerEntryCreate,
      {
        userId: newId(),
        type: 'GUEST_PAYMENT',
        category: 'booking',
        amountMinor: 1000,
        currency: 'EUR',
        platformFeeMinor: 30,
        netAmountMinor: 1000,
      },
      { netAmountMinor: /^must be the amount less its channel and payment fees$/ },
    ],
    [
      'deeply nested metadata',
      ledgerEntryCreate,
      {
        userId: newId(),
        type: 'GUEST_PAYMENT',
        category: 'booking',
        amountMinor: 1,
        currency: 'EUR',
        netAmountMinor: 1,
        metadata: { a: { b: { c: 1 } } },
      },
      { 'metadata.a': /./ },
    ],
    [
      'a date-time past the year 9999',
      taskCreate,
      { propertyId: newId(), type: 'CLEANING', title: 'Clean', scheduledAt: '9999-12-31T23:59:59-23:59' },
      { scheduledAt: /between the years/ },
    ],
    [
      'a negative amount reversing nothing',
      ledgerEntryCreate,
      {
        userId: newId(),
        type: 'GUEST_PAYMENT',
        category: 'booking',
        amountMinor: -1000,
        currency: 'EUR',
        netAmountMinor: -1000,
      },
      { amountMinor: /unless the entry reverses another/ },
    ],
  ])('reject %s, naming the field', (_case, schema, input, expected) => {
    const errors = errorsOf(schema, input);
    for (const [field, message] of Object.entries(expected))
      expect(errors[field], `${field} in ${JSON.stringify(errors)}`).toMatch(message);
  });

  it('store instants as UTC, whatever offset they came with', () => {
    const task = taskCreate.parse({
      propertyId: newId(),
      type: 'CLEANING',
      title: 'Clean',
      scheduledAt: '2026-12-01T11:00:00+01:00',
    });
    expect(task.scheduledAt).toBe('2026-12-01T10:00:00.000Z');
  });

  it('describe several problems in one line a person can act on', () => {
    const errors = errorsOf(reservationCreate, { ...validReservation, guests: 0, checkIn: 'soon' });
    expect(describeFieldErrors(errors)).toBe(
      'Check-in must be a real date in the form YYYY-MM-DD; Guests must be at least 1',
    );
  });

  it('name fields in the words of their form, and keep keys that are not form fields as written', () => {
    expect(
      describeFieldErrors({
        'changes.checkOut': 'must be after the check-in date',
        referenceEntryId: 'must be a completed guest payment',
        amountMinor: 'must not be negative',
        PORT: 'must be a whole number',
      }),
    ).toBe(
      'Check-out must be after the check-in date; Referenced entry must be a completed guest payment; ' +
        'Amount must not be negative; PORT: must be a whole number',
    );
  });
});
