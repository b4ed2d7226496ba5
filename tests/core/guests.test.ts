// The guest page through the router on a real SQLite file: stays past and upcoming, what the
// guest has spent per currency, the repeat-guest mark, what the office keeps on them, and who
// may see any of it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutputOf } from '../../main/contract.js';
import { serverRows, settled } from '../sync/devices.js';
import { startSyncedOffice, type SyncedOffice } from '../sync/office.js';
import {
  countRows,
  onlyRefusalsRecorded,
  seedGuest,
  seedLedgerEntry,
  seedLocation,
  seedProperty,
  seedReservation,
  seedStaff,
  signInAs,
  type Reservation,
  type User,
} from './seed.js';
import { createTestCore, setUpAdmin, type TestCore } from './test-core.js';

type Profile = OutputOf<'guests/profile'>;

const ADMIN = 'admin-window';
const MANAGER = 'manager-window';
const AGENT_A = 'agent-a-window';
const AGENT_B = 'agent-b-window';
const OWNER = 'owner-window';
const CLEANER = 'cleaner-window';

let core: TestCore;
let ines: User;
let once: User;
let cleaner: User;
let owner: User;
let october: Reservation;
let cancelled: Reservation;
let december: Reservation;
let underWay: Reservation;

beforeAll(async () => {
  core = createTestCore(new Date('2026-11-24T09:00:00Z'));
  await setUpAdmin(core, ADMIN);
  const lisbon = seedLocation(core, { name: 'Lisbon', timeZone: 'Europe/Lisbon', currency: 'EUR' });
  const london = seedLocation(core, { name: 'London', timeZone: 'Europe/London', currency: 'GBP', country: 'GB' });
  const manager = await seedStaff(core, 'MANAGER', { firstName: 'Miguel' });
  const agentA = await seedStaff(core, 'AGENT', { firstName: 'Alice' });
  const agentB = await seedStaff(core, 'AGENT', { firstName: 'Bruno' });
  owner = await seedStaff(core, 'OWNER', { firstName: 'Olga' });
  cleaner = await seedStaff(core, 'CLEANER', { firstName: 'Clara' });
  for (const [window, user] of [
    [MANAGER, manager],
    [AGENT_A, agentA],
    [AGENT_B, agentB],
    [OWNER, owner],
    [CLEANER, cleaner],
  ] as const)
    await signInAs(core, window, user);
  const alfama = seedProperty(core, lisbon.id, { name: 'Alfama Loft', agentId: agentA.id, ownerId: owner.id });
  const camden = seedProperty(core, london.id, { name: 'Camden Flat', agentId: agentB.id, currency: 'GBP' });
  ines = seedGuest(core, 'Inês', 'Harbour', { email: 'ines@example.com', phone: '+351 912 345 678' });
  once = seedGuest(core, 'Olavo', 'Once', { email: 'olavo@example.com' });

  const stay = (propertyId: string, guest: User, overrides: Record<string, unknown>) =>
    seedReservation(core, propertyId, guest.id, {
      guestName: `${guest.firstName} ${guest.lastName}`,
      guestEmail: guest.email,
      ...overrides,
    });
  october = stay(alfama.id, ines, { checkIn: '2026-10-01', checkOut: '2026-10-05', status: 'CHECKED_OUT' });
  cancelled = stay(alfama.id, ines, { checkIn: '2026-11-01', checkOut: '2026-11-03', status: 'CANCELLED' });
  december = stay(camden.id, ines, {
    checkIn: '2026-12-10',
    checkOut: '2026-12-14',
    status: 'CONFIRMED',
    totalMinor: 60_000,
    currency: 'GBP',
  });
  // Olavo is in the flat today: his stay is upcoming until he checks out.
  underWay = stay(alfama.id, once, { checkIn: '2026-11-22', checkOut: '2026-11-26', status: 'CHECKED_IN' });
  stay(alfama.id, once, { checkIn: '2026-09-01', checkOut: '2026-09-03', status: 'NO_SHOW' });

  const money = (reservation: Reservation, guest: User, amountMinor: number, overrides: Record<string, unknown> = {}) =>
    seedLedgerEntry(core, guest.id, {
      reservationId: reservation.id,
      propertyId: reservation.propertyId,
      amountMinor,
      platformFeeMinor: 0,
      transactionFeeMinor: 0,
      netAmountMinor: amountMinor,
      currency: reservation.currency,
      status: 'COMPLETED',
      ...overrides,
    });
  const paid = money(october, ines, 48_000);
  money(october, ines, 5_000, { type: 'REFUND', referenceEntryId: paid.id });
  money(december, ines, 20_000);
  const mistaken = money(december, ines, 10_000);
  money(december, ines, -10_000, { referenceEntryId: mistaken.id });
  money(december, ines, 30_000, { status: 'PENDING' });
  money(october, ines, 2_000, { type: 'CLEANING_COST', category: 'extra clean' });
  money(underWay, once, 12_000);
});
afterAll(() => core?.dispose());

const profile = (window: string, id: string) => core.ok<Profile>(window, 'guests/profile', { id });
const stayIds = (stays: Profile['past']) => stays.map((s) => s.id);

describe('the guest page', () => {
  it('shows contact, stays upcoming and past, and what the guest spent per currency', async () => {
    const page = await profile(ADMIN, ines.id);
    expect(page.guest).toMatchObject({ firstName: 'Inês', email: 'ines@example.com', phone: '+351 912 345 678' });
    expect(stayIds(page.upcoming)).toEqual([december.id]);
    // Latest first; a cancelled stay is history, not something to come.
    expect(stayIds(page.past)).toEqual([cancelled.id, october.id]);
    expect(page.upcoming[0]).toMatchObject({ propertyName: 'Camden Flat', nights: 4, totalMinor: 60_000 });
    // Payments less refunds, reversals cancelling what they reverse; pending money and costs are not spent.
    expect(page.totalSpent).toEqual([
      { currency: 'EUR', amountMinor: 43_000 },
      { currency: 'GBP', amountMinor: 20_000 },
    ]);
  });

  it('marks a repeat guest: two stays or more that happened', async () => {
    const returning = await profile(MANAGER, ines.id);
    expect({ count: returning.stayCount, repeat: returning.repeatGuest }).toEqual({ count: 2, repeat: true });
    // A stay under way and a no-show: one stay, not a repeat guest.
    const olavo = await profile(MANAGER, once.id);
    expect({ count: olavo.stayCount, repeat: olavo.repeatGuest }).toEqual({ count: 1, repeat: false });
    expect(stayIds(olavo.upcoming)).toEqual([underWay.id]);
  });

  it('shows an agent only the stays and money of their own properties', async () => {
    const a = await profile(AGENT_A, ines.id);
    expect({ upcoming: stayIds(a.upcoming), past: stayIds(a.past) }).toEqual({
      upcoming: [],
      past: [cancelled.id, october.id],
    });
    expect(a.totalSpent).toEqual([{ currency: 'EUR', amountMinor: 43_000 }]);
    expect(a.repeatGuest).toBe(false);
    const b = await profile(AGENT_B, ines.id);
    expect(stayIds(b.upcoming)).toEqual([december.id]);
    expect(b.totalSpent).toEqual([{ currency: 'GBP', amountMinor: 20_000 }]);
    // A guest who never booked one of agent B's properties is not agent B's to see.
    expect((await core.fails(AGENT_B, 'guests/profile', { id: once.id })).code).toBe('not_found');
  });

  it('is a page for guests only', async () => {
    const refused = await core.fails(ADMIN, 'guests/profile', { id: cleaner.id });
    expect(refused.code).toBe('not_found');
    expect(refused.message).toMatch(/That guest was not found/);
  });

  it('refuses owners and field staff, and audits each refusal', async () => {
    const before = countRows(core, 'users', 'reservations', 'ledger_entries', 'audit_log', 'outbox');
    for (const window of [OWNER, CLEANER]) {
      expect((await core.fails(window, 'guests/profile', { id: ines.id })).code).toBe('forbidden');
    }
    onlyRefusalsRecorded(
      core,
      before,
      countRows(core, 'users', 'reservations', 'ledger_entries', 'audit_log', 'outbox'),
    );
    const denials = core.database.sqlite
      .prepare(`SELECT actor_role FROM audit_log WHERE action = 'access.denied' AND entity_id = 'guests/profile'`)
      .pluck()
      .all();
    expect(denials).toEqual(['OWNER', 'CLEANER']);
  });
});

describe('what the office keeps on a guest', () => {
  it('keeps notes, tags and a do-not-rent flag with its reason, shown on the page', async () => {
    await core.ok(AGENT_A, 'users/update', {
      id: ines.id,
      changes: {
        notes: 'Asks for a cot',
        tags: ['Returning', 'Family'],
        doNotRent: true,
        doNotRentReason: 'Party in October: broken chairs',
      },
    });
    const page = await profile(ADMIN, ines.id);
    expect(page.guest).toMatchObject({
      notes: 'Asks for a cot',
      tags: ['Returning', 'Family'],
      doNotRent: true,
      doNotRentReason: 'Party in October: broken chairs',
    });
  });

  it('asks why before a guest is marked do not rent, in words', async () => {
    const refused = await core.fails(MANAGER, 'users/update', { id: once.id, changes: { doNotRent: true } });
    expect(refused.code).toBe('validation');
    expect(refused.fields).toEqual({ doNotRentReason: 'is required to mark the guest “do not rent”' });
    expect(refused.message).toBe('Reason not to rent is required to mark the guest “do not rent”.');
  });

  it('lets a manager lift the flag, not the agent who wants the booking', async () => {
    const lift = { id: ines.id, changes: { doNotRent: false, doNotRentReason: null } };
    const refused = await core.fails(AGENT_A, 'users/update', lift);
    expect({ code: refused.code, fields: Object.keys(refused.fields ?? {}) }).toEqual({
      code: 'forbidden',
      fields: ['doNotRent'],
    });
    await core.ok(MANAGER, 'users/update', lift);
    expect((await profile(ADMIN, ines.id)).guest).toMatchObject({ doNotRent: false, doNotRentReason: null });
  });

  it('keeps guest details off everyone who is not a guest', async () => {
    const refused = await core.fails(ADMIN, 'users/update', { id: owner.id, changes: { tags: ['VIP'] } });
    expect(refused.code).toBe('validation');
    expect(refused.message).toBe('Notes, tags and “do not rent” are kept for guests only.');
  });
});

describe('a guest’s record with a sync server', () => {
  let office: SyncedOffice;
  beforeAll(async () => {
    office = await startSyncedOffice();
  });
  afterAll(() => office?.close());

  it('goes up in a changeset and comes down to another computer', async () => {
    const guest = office.people.guest.id;
    const manager = await office.device('manager', office.people.manager);
    await manager.ok('users/update', {
      id: guest,
      changes: { notes: 'Late arrivals', tags: ['Returning'], doNotRent: true, doNotRentReason: 'Unpaid damage' },
    });
    await settled(manager);
    // As SQLite stores them: the tag list as JSON text, the flag as 1.
    const kept = { notes: 'Late arrivals', tags: '["Returning"]', do_not_rent: 1, do_not_rent_reason: 'Unpaid damage' };
    expect((await serverRows(manager, 'users'))?.get(guest)).toMatchObject(kept);
    const admin = await office.device('admin', office.people.admin);
    expect(admin.rows('users').get(guest)).toMatchObject(kept);
  });
});
