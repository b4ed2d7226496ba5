// Minimal valid rows, in the schema's field names. The same objects insert into SQLite and
// Postgres: drizzle maps lists and JSON to each dialect's storage.
import { newId } from '../../db/domain/ids.js';

const NOW = '2026-11-24T09:00:00.000Z';
let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

export function userRow(overrides: Record<string, unknown> = {}) {
  return {
    id: newId(),
    email: `person-${unique()}@example.com`,
    firstName: 'Ana',
    lastName: 'Silva',
    role: 'GUEST',
    createdAt: NOW,
    updatedAt: NOW,
    ...overrides,
  } as const;
}

export function locationRow(overrides: Record<string, unknown> = {}) {
  return {
    id: newId(),
    name: `Lisbon ${unique()}`,
    city: 'Lisbon',
    country: 'PT',
    timeZone: 'Europe/Lisbon',
    currency: 'EUR',
    coordinates: { lat: 38.72, lng: -9.14 },
    createdAt: NOW,
    updatedAt: NOW,
    ...overrides,
  };
}

export function propertyRow(locationId: string, overrides: Record<string, unknown> = {}) {
  return {
    id: newId(),
    name: 'Alfama Loft',
    type: 'APARTMENT',
    address: 'Rua dos Remédios 12, Lisboa',
    locationId,
    capacity: 4,
    bedrooms: 2,
    bathrooms: 1.5,
    pricePerNightMinor: 12_000,
    currency: 'EUR',
    tags: ['river view'],
    amenities: ['wifi', 'washer'],
    houseRules: ['no smoking'],
    createdAt: NOW,
    updatedAt: NOW,
    ...overrides,
  };
}

export function reservationRow(propertyId: string, guestId: string, overrides: Record<string, unknown> = {}) {
  return {
    id: newId(),
    propertyId,
    guestId,
    checkIn: '2026-12-01',
    checkOut: '2026-12-05',
    guests: 2,
    status: 'CONFIRMED',
    totalMinor: 48_000,
    currency: 'EUR',
    guestName: 'Ana Silva',
    guestEmail: 'ana@example.com',
    source: 'direct',
    createdAt: NOW,
    updatedAt: NOW,
    ...overrides,
  };
}

export function taskRow(propertyId: string, overrides: Record<string, unknown> = {}) {
  return {
    id: newId(),
    propertyId,
    type: 'CLEANING',
    title: 'Turnover clean',
    createdAt: NOW,
    updatedAt: NOW,
    ...overrides,
  };
}

export function ledgerRow(userId: string, overrides: Record<string, unknown> = {}) {
  return {
    id: newId(),
    userId,
    type: 'GUEST_PAYMENT',
    category: 'booking',
    amountMinor: 48_000,
    currency: 'EUR',
    platformFeeMinor: 1_440,
    transactionFeeMinor: 0,
    netAmountMinor: 46_560,
    createdAt: NOW,
    ...overrides,
  };
}

export function auditRow(overrides: Record<string, unknown> = {}) {
  return {
    id: newId(),
    deviceId: 'device-1',
    seq: 1,
    action: 'test',
    at: NOW,
    prevHash: '0'.repeat(64),
    hash: 'f'.repeat(64),
    ...overrides,
  };
}
