import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOffice, propertyInput, WINDOW, type Office } from './office.js';
import { createTestCore, type TestCore } from './test-core.js';

let core: TestCore;
let office: Office;
type Page = { items: Record<string, unknown>[]; nextCursor: string | null };

beforeAll(async () => {
  core = createTestCore();
  office = await buildOffice(core);
  // Thirty more properties in Lisbon for agent A, for search, filters and paging.
  for (let i = 0; i < 30; i++) {
    await core.ok(WINDOW.ADMIN, 'properties/create', {
      name: `Baixa Studio ${String(i).padStart(2, '0')}`,
      type: i % 2 ? 'STUDIO' : 'APARTMENT',
      address: `Rua Augusta ${i}`,
      locationId: office.lisbon,
      agentId: office.ids.agentA,
      ownerId: office.ids.ownerA,
      capacity: 1 + (i % 5),
      bedrooms: i % 3,
      bathrooms: 1,
      pricePerNightMinor: 5_000 + i * 100,
      currency: 'EUR',
      tags: i % 10 === 0 ? ['rooftop'] : [],
    });
  }
});
afterAll(() => core.dispose());

const list = (window: string, input: Record<string, unknown> = {}) => core.ok<Page>(window, 'properties/list', input);

describe('property list', () => {
  it('pages through every row exactly once with keyset cursors, in order', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await list(WINDOW.ADMIN, {
        limit: 7,
        sort: 'price',
        order: 'desc',
        ...(cursor ? { cursor } : {}),
      });
      seen.push(...page.items.map((p) => p.id as string));
      const prices = page.items.map((p) => p.pricePerNightMinor as number);
      expect([...prices].sort((a, b) => b - a)).toEqual(prices);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(32);
    expect(new Set(seen).size).toBe(32);
  });

  it('searches name, nickname, address and tags', async () => {
    expect((await list(WINDOW.ADMIN, { search: 'camden' })).items.map((p) => p.name)).toEqual(['Camden Flat']);
    expect((await list(WINDOW.ADMIN, { search: 'ALF' })).items.map((p) => p.name)).toEqual(['Alfama Loft']);
    expect((await list(WINDOW.ADMIN, { search: 'Augusta 1' })).items).toHaveLength(11); // 1, 10–19
    expect((await list(WINDOW.ADMIN, { search: 'rooftop' })).items).toHaveLength(3);
    expect((await list(WINDOW.ADMIN, { search: '100%' })).items).toHaveLength(0);
  });

  it('filters by location, type, bedrooms, capacity, price, owner and agent', async () => {
    const studios = await list(WINDOW.ADMIN, {
      type: ['STUDIO'],
      minCapacity: 3,
      minPriceMinor: 5_500,
      maxPriceMinor: 7_000,
      limit: 200,
    });
    expect(studios.items.length).toBeGreaterThan(0);
    for (const p of studios.items) {
      expect(p).toMatchObject({ type: 'STUDIO' });
      expect(p.capacity as number).toBeGreaterThanOrEqual(3);
      expect(p.pricePerNightMinor as number).toBeGreaterThanOrEqual(5_500);
      expect(p.pricePerNightMinor as number).toBeLessThanOrEqual(7_000);
    }
    expect((await list(WINDOW.ADMIN, { locationId: office.london })).items).toHaveLength(1);
    expect((await list(WINDOW.ADMIN, { ownerId: office.ids.ownerB })).items).toHaveLength(1);
    expect((await list(WINDOW.ADMIN, { agentId: office.ids.agentA, limit: 200 })).items).toHaveLength(31);
    expect(
      (await list(WINDOW.ADMIN, { minBedrooms: 2, limit: 200 })).items.every((p) => (p.bedrooms as number) >= 2),
    ).toBe(true);
  });

  it('refuses bad filters naming the field', async () => {
    expect((await core.fails(WINDOW.ADMIN, 'properties/list', { sort: 'colour' })).fields).toHaveProperty('sort');
    expect((await core.fails(WINDOW.ADMIN, 'properties/list', { limit: 0 })).fields).toHaveProperty('limit');
    expect((await core.fails(WINDOW.ADMIN, 'properties/list', { cursor: 'garbage' })).fields).toHaveProperty('cursor');
  });
});

describe('property scopes', () => {
  it('shows an agent only their properties, and hides the others as not found', async () => {
    const mine = await list(WINDOW.AGENT_B);
    expect(mine.items.map((p) => p.id)).toEqual([office.propertyB]);
    expect((await core.fails(WINDOW.AGENT_B, 'properties/get', { id: office.propertyA })).code).toBe('not_found');
    expect(
      (await core.fails(WINDOW.AGENT_B, 'properties/update', { id: office.propertyA, changes: { name: 'Mine now' } }))
        .code,
    ).toBe('not_found');
  });

  it('lets an agent edit their property, but not its owner, agent or status', async () => {
    await core.ok(WINDOW.AGENT_B, 'properties/update', {
      id: office.propertyB,
      changes: { description: 'Bright and quiet' },
    });
    const error = await core.fails(WINDOW.AGENT_B, 'properties/update', {
      id: office.propertyB,
      changes: { agentId: office.ids.agentA },
    });
    expect(error.code).toBe('forbidden');
  });

  it('shows an owner only their own properties, read-only', async () => {
    expect((await list(WINDOW.OWNER_B)).items.map((p) => p.id)).toEqual([office.propertyB]);
    expect(
      (await core.fails(WINDOW.OWNER_B, 'properties/update', { id: office.propertyB, changes: { name: 'x' } })).code,
    ).toBe('forbidden');
  });

  it('shows a cleaner only the properties of their tasks, and only the operational fields', async () => {
    expect((await list(WINDOW.CLEANER)).items).toEqual([]);
    core.database.sqlite
      .prepare(
        `INSERT INTO tasks (id, property_id, assignee_id, type, title, created_at, updated_at) VALUES (?, ?, ?, 'CLEANING', 'Clean', ?, ?)`,
      )
      .run(
        '0192f000-0000-7000-8000-000000000001',
        office.propertyB,
        office.ids.cleaner,
        '2026-11-24T09:00:00.000Z',
        '2026-11-24T09:00:00.000Z',
      );
    const [property] = (await list(WINDOW.CLEANER)).items;
    expect(property).toMatchObject({
      id: office.propertyB,
      address: 'Camden Flat street 1',
      accessNotes: 'Key box 1234',
      houseRules: ['No parties'],
    });
    for (const hidden of ['pricePerNightMinor', 'ownerId', 'agentId', 'airbnbId', 'description'])
      expect(property).not.toHaveProperty(hidden);
    const fetched = await core.ok<Record<string, unknown>>(WINDOW.CLEANER, 'properties/get', { id: office.propertyB });
    expect(fetched).not.toHaveProperty('pricePerNightMinor');
    expect((await core.fails(WINDOW.CLEANER, 'properties/get', { id: office.propertyA })).code).toBe('not_found');
  });
});

describe('what field staff cannot probe', () => {
  it('refuses sorting or filtering by hidden columns, and does not search tags', async () => {
    expect((await core.fails(WINDOW.CLEANER, 'properties/list', { sort: 'price' })).fields).toHaveProperty('sort');
    expect((await core.fails(WINDOW.CLEANER, 'properties/list', { ownerId: office.ids.ownerB })).fields).toHaveProperty(
      'ownerId',
    );
    expect((await core.fails(WINDOW.CLEANER, 'properties/list', { minPriceMinor: 1 })).fields).toHaveProperty(
      'minPriceMinor',
    );
    expect((await list(WINDOW.CLEANER, { search: 'river view' })).items).toEqual([]);
  });

  it('shows an owner the overview of their property without its tasks', async () => {
    const overview = await core.ok<Record<string, unknown>>(WINDOW.OWNER_B, 'properties/overview', {
      id: office.propertyB,
    });
    expect(overview.openTasks).toBeNull();
  });
});

describe('property changes', () => {
  it('checks that owner and agent have those roles, naming the field', async () => {
    const error = await core.fails(
      WINDOW.ADMIN,
      'properties/create',
      propertyInput(office, { name: 'Wrong', ownerId: office.ids.agentA }),
    );
    expect(error).toMatchObject({ code: 'validation', fields: { ownerId: 'must be an owner' } });
  });

  it('archives a property without upcoming stays, and hides it from the default list', async () => {
    const created = await core.ok<{ id: string }>(
      WINDOW.ADMIN,
      'properties/create',
      propertyInput(office, { name: 'To Archive' }),
    );
    await core.ok(WINDOW.ADMIN, 'properties/archive', { id: created.id });
    expect((await list(WINDOW.ADMIN, { search: 'To Archive' })).items).toHaveLength(0);
    expect((await list(WINDOW.ADMIN, { search: 'To Archive', includeArchived: true })).items).toHaveLength(1);
    expect((await core.fails(WINDOW.ADMIN, 'properties/archive', { id: created.id })).code).toBe('conflict');
  });

  it('gives an overview with upcoming stays, open tasks and the month so far', async () => {
    const stay = await core.ok<{ id: string }>(WINDOW.ADMIN, 'reservations/create', {
      propertyId: office.propertyB,
      guestId: office.ids.guest,
      checkIn: '2026-11-20',
      checkOut: '2026-11-23',
      guests: 2,
      status: 'CONFIRMED',
      totalMinor: 30_000,
      currency: 'GBP',
      guestName: 'Gina Roomy',
      guestEmail: 'gina@example.com',
      source: 'direct',
    });
    await core.ok(WINDOW.ADMIN, 'ledger/record', {
      userId: office.ids.guest,
      reservationId: stay.id,
      type: 'GUEST_PAYMENT',
      category: 'booking',
      amountMinor: 30_000,
      currency: 'GBP',
      netAmountMinor: 30_000,
    });
    const overview = await core.ok<Record<string, unknown>>(WINDOW.ADMIN, 'properties/overview', {
      id: office.propertyB,
    });
    // 3 booked nights of the 24 days so far this month; the payment recorded today counts.
    expect(overview.monthToDate).toMatchObject({ bookedNights: 3, revenueMinor: 30_000, occupancy: 3 / 24 });
    expect(overview).toMatchObject({
      today: '2026-11-24',
      monthToDate: { from: '2026-11-01', currency: 'GBP', availableNights: 24 },
    });
    expect((overview.openTasks as unknown[]).length).toBe(1);
  });

  it('names the property’s owner in its overview, for the office and for the owner', async () => {
    for (const window of [WINDOW.ADMIN, WINDOW.AGENT_B, WINDOW.OWNER_B]) {
      const overview = await core.ok<Record<string, unknown>>(window, 'properties/overview', { id: office.propertyB });
      expect(overview.owner, window).toEqual({ id: office.ids.ownerB, name: 'Oscar Roomy' });
    }
  });
});
