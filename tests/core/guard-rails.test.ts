// Guard rails where edits, money and guests are at stake: two windows on one record lose nothing,
// a mistaken check-in or check-out can be undone with a reason, money received is plausible, the
// ledger names what it reverses, tasks go to the right people, and every message is in words.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  countRows,
  onlyRefusalsRecorded,
  reservationRowById,
  seedGuest,
  seedLocation,
  seedProperty,
  seedReservation,
  seedStaff,
  seedTask,
  signInAs,
  taskRowById,
  type Location,
  type Property,
  type Reservation,
  type User,
} from './seed.js';
import { createTestCore, setUpAdmin, type TestCore } from './test-core.js';

const ADMIN = 'admin-window';
const MANAGER = 'manager-window';
const AGENT = 'agent-window';
const WRITES = ['reservations', 'tasks', 'properties', 'users', 'ledger_entries', 'audit_log', 'outbox'];
const ISO_DATE = /\d{4}-\d{2}-\d{2}/;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-/i;

let core: TestCore;
let lisbon: Location;
let porto: Location;
let manager: User;
let agent: User;
let owner: User;
let carla: User;
let celia: User;
let mateus: User;
let ana: User;
let alfama: Property;
let ribeira: Property;

beforeEach(async () => {
  core = createTestCore();
  await setUpAdmin(core, ADMIN);
  lisbon = seedLocation(core, { name: 'Lisbon', timeZone: 'Europe/Lisbon', currency: 'EUR' });
  porto = seedLocation(core, { name: 'Porto', timeZone: 'Europe/Lisbon', currency: 'EUR' });
  manager = await seedStaff(core, 'MANAGER', { firstName: 'Miguel', lastName: 'Sousa' });
  agent = await seedStaff(core, 'AGENT', { firstName: 'Alice', lastName: 'Matos' });
  owner = await seedStaff(core, 'OWNER', { firstName: 'Olga', lastName: 'Pires' });
  carla = await seedStaff(core, 'CLEANER', { firstName: 'Carla', lastName: 'Dias' });
  celia = await seedStaff(core, 'CLEANER', { firstName: 'Célia', lastName: 'Nunes' });
  mateus = await seedStaff(core, 'MAINTENANCE_STAFF', { firstName: 'Mateus', lastName: 'Reis' });
  ana = seedGuest(core, 'Ana', 'Silva', { email: 'ana@example.com' });
  alfama = seedProperty(core, lisbon.id, {
    name: 'Alfama Loft',
    agentId: agent.id,
    ownerId: owner.id,
    capacity: 4,
    pricePerNightMinor: 12_000,
    currency: 'EUR',
  });
  ribeira = seedProperty(core, porto.id, { name: 'Ribeira Studio', capacity: 2, currency: 'EUR' });
  await signInAs(core, MANAGER, manager);
  await signInAs(core, AGENT, agent);
});
afterEach(() => core.dispose());

const stay = (overrides: Record<string, unknown> = {}): Reservation =>
  seedReservation(core, alfama.id, ana.id, {
    checkIn: '2026-12-10',
    checkOut: '2026-12-14',
    status: 'CONFIRMED',
    totalMinor: 48_000,
    guestName: 'Ana Silva',
    specialRequests: null,
    notes: null,
    ...overrides,
  });

describe('two windows on one record', () => {
  it('keeps both edits when each window changes its own field, the older form sending only what it changed', async () => {
    const r = stay();
    // Window A saves the special requests; window B, opened before, saves the notes.
    await core.ok(ADMIN, 'reservations/update', {
      id: r.id,
      changes: { specialRequests: 'Late arrival, around 23:00' },
      expected: { specialRequests: null },
    });
    await core.ok(MANAGER, 'reservations/update', {
      id: r.id,
      changes: { notes: 'Pays by transfer' },
      expected: { notes: null },
    });
    expect(reservationRowById(core, r.id)).toMatchObject({
      specialRequests: 'Late arrival, around 23:00',
      notes: 'Pays by transfer',
    });
  });

  it('refuses an edit of a field changed meanwhile, naming who changed it to what, and writes nothing', async () => {
    const r = stay();
    await core.ok(ADMIN, 'reservations/update', {
      id: r.id,
      changes: { specialRequests: 'Late arrival' },
      expected: { specialRequests: null },
    });
    const before = countRows(core, ...WRITES);
    const error = await core.fails(MANAGER, 'reservations/update', {
      id: r.id,
      changes: { specialRequests: 'A baby cot' },
      expected: { specialRequests: null },
    });
    expect(error.code).toBe('conflict');
    expect(error.message).toMatch(
      /^Marta Costa changed this reservation after you opened it \(24 November.*\): Special requests is now “Late arrival”, where you wrote “A baby cot”\. Your change was not saved: compare the two and save again\.$/,
    );
    expect(error.fields).toEqual({ specialRequests: 'was changed meanwhile to “Late arrival”' });
    expect(reservationRowById(core, r.id).specialRequests).toBe('Late arrival');
    onlyRefusalsRecorded(core, before, countRows(core, ...WRITES));

    // Merged, it is saved against what the window now knows.
    await core.ok(MANAGER, 'reservations/update', {
      id: r.id,
      changes: { specialRequests: 'Late arrival; a baby cot' },
      expected: { specialRequests: 'Late arrival' },
    });
    expect(reservationRowById(core, r.id).specialRequests).toBe('Late arrival; a baby cot');
  });

  it('speaks of dates, amounts and people in words, never as codes or ids', async () => {
    const r = stay();
    await core.ok(ADMIN, 'reservations/update', {
      id: r.id,
      changes: { checkOut: '2026-12-15', totalMinor: 60_000 },
      expected: { checkOut: '2026-12-14', totalMinor: 48_000 },
    });
    const dates = await core.fails(MANAGER, 'reservations/update', {
      id: r.id,
      changes: { checkOut: '2026-12-16', totalMinor: 72_000 },
      expected: { checkOut: '2026-12-14', totalMinor: 48_000 },
    });
    expect(dates.message).toContain('Check-out is now 15 December 2026, where you wrote 16 December 2026');
    expect(dates.message).toContain('Total is now €600.00, where you wrote €720.00');
    expect(dates.message.replace(/\(24 November.*?\)/, '')).not.toMatch(ISO_DATE);

    const task = seedTask(core, alfama.id, { type: 'CLEANING', title: 'Turnover clean' });
    await core.ok(ADMIN, 'tasks/update', {
      id: task.id,
      changes: { assigneeId: carla.id },
      expected: { assigneeId: null },
    });
    const assignee = await core.fails(MANAGER, 'tasks/update', {
      id: task.id,
      changes: { assigneeId: celia.id },
      expected: { assigneeId: null },
    });
    expect(assignee.code).toBe('conflict');
    expect(assignee.message).toContain('Assignee is now “Carla Dias”, where you wrote “Célia Nunes”');
    expect(assignee.fields).toEqual({ assigneeId: 'was changed meanwhile to “Carla Dias”' });
    expect(`${assignee.message} ${JSON.stringify(assignee.fields)}`).not.toMatch(UUID);
    expect(taskRowById(core, task.id).assigneeId).toBe(carla.id);
  });

  it('holds for properties and people as for stays and tasks', async () => {
    await core.ok(ADMIN, 'properties/update', {
      id: alfama.id,
      changes: { accessNotes: 'Key box 1234' },
      expected: { accessNotes: alfama.accessNotes ?? null },
    });
    const property = await core.fails(MANAGER, 'properties/update', {
      id: alfama.id,
      changes: { accessNotes: 'Key with the neighbour' },
      expected: { accessNotes: alfama.accessNotes ?? null },
    });
    expect(property).toMatchObject({
      code: 'conflict',
      fields: { accessNotes: 'was changed meanwhile to “Key box 1234”' },
    });

    await core.ok(ADMIN, 'users/update', {
      id: carla.id,
      changes: { phone: '+351 912 000 001' },
      expected: { phone: null },
    });
    const person = await core.fails(MANAGER, 'users/update', {
      id: carla.id,
      changes: { phone: '+351 912 000 002' },
      expected: { phone: null },
    });
    expect(person.code).toBe('conflict');
    expect(person.message).toMatch(/^Marta Costa changed this person after you opened it/);
  });
});

describe('undoing a check-in or check-out made by mistake', () => {
  const reasons = (id: string, action: string) =>
    core.database.sqlite
      .prepare(`SELECT "after" FROM audit_log WHERE action = ? AND entity_id = ? ORDER BY rowid`)
      .pluck()
      .all(action, id)
      .map((row) => JSON.parse(row as string) as unknown);

  it('asks for a reason, and keeps it in the audit log', async () => {
    const r = stay({ status: 'CHECKED_IN' });
    const before = countRows(core, ...WRITES);
    const refused = await core.fails(AGENT, 'reservations/set-status', { id: r.id, status: 'CONFIRMED' });
    expect(refused.code).toBe('validation');
    expect(Object.keys(refused.fields ?? {})).toEqual(['reason']);
    expect(refused.fields?.reason).toBe(
      'is required to take a stay that is checked in back to confirmed: say what went wrong',
    );
    onlyRefusalsRecorded(core, before, countRows(core, ...WRITES));

    await core.ok(AGENT, 'reservations/set-status', {
      id: r.id,
      status: 'CONFIRMED',
      reason: 'Checked in the wrong stay',
    });
    expect(reservationRowById(core, r.id).status).toBe('CONFIRMED');
    expect(reasons(r.id, 'reservations.status-undone')).toEqual([
      { from: 'CHECKED_IN', to: 'CONFIRMED', reason: 'Checked in the wrong stay' },
    ]);
  });

  it('an undone check-out cancels the turnover clean it planned; checking out again plans one anew', async () => {
    const r = stay({ status: 'CHECKED_IN' });
    await core.ok(ADMIN, 'reservations/set-status', { id: r.id, status: 'CHECKED_OUT' });
    const cleans = () =>
      core.database.sqlite
        .prepare(`SELECT status FROM tasks WHERE reservation_id = ? AND type = 'CLEANING' ORDER BY rowid`)
        .pluck()
        .all(r.id);
    expect(cleans()).toEqual(['PENDING']);
    await core.ok(ADMIN, 'reservations/set-status', {
      id: r.id,
      status: 'CHECKED_IN',
      reason: 'The guest is staying one more night',
    });
    expect(reservationRowById(core, r.id).status).toBe('CHECKED_IN');
    expect(cleans()).toEqual(['CANCELLED']);
    await core.ok(ADMIN, 'reservations/set-status', { id: r.id, status: 'CHECKED_OUT' });
    expect(cleans()).toEqual(['CANCELLED', 'PENDING']);
  });

  it('goes back one step only, and says which', async () => {
    const r = stay({ status: 'CHECKED_OUT', checkIn: '2026-11-01', checkOut: '2026-11-03' });
    const error = await core.fails(ADMIN, 'reservations/set-status', { id: r.id, status: 'CONFIRMED', reason: 'oops' });
    expect(error.code).toBe('conflict');
    expect(error.message).toBe(
      'A reservation that is checked out cannot become confirmed; it can go back to checked in if that was a mistake, giving a reason.',
    );
    expect(reservationRowById(core, r.id).status).toBe('CHECKED_OUT');
  });
});

describe('what the booking form is told before anything is booked', () => {
  it('whether the nights are free, in the rulebook’s words, and what they cost at the nightly rate', async () => {
    const booked = stay();
    const free = await core.ok(AGENT, 'reservations/check-dates', {
      propertyId: alfama.id,
      checkIn: '2026-12-14',
      checkOut: '2026-12-18',
    });
    expect(free).toEqual({
      free: true,
      problems: [],
      nights: 4,
      currency: 'EUR',
      pricePerNightMinor: 12_000,
      totalMinor: 48_000,
    });
    const taken = await core.ok<{ free: boolean; problems: string[] }>(AGENT, 'reservations/check-dates', {
      propertyId: alfama.id,
      checkIn: '2026-12-12',
      checkOut: '2026-12-16',
    });
    expect(taken.free).toBe(false);
    expect(taken.problems).toEqual([
      'Alfama Loft is already booked 10–14 December 2026 by Ana Silva (confirmed). Choose other dates.',
    ]);
    // A stay being changed does not stand in its own way.
    const own = await core.ok<{ free: boolean }>(AGENT, 'reservations/check-dates', {
      propertyId: alfama.id,
      checkIn: '2026-12-12',
      checkOut: '2026-12-16',
      reservationId: booked.id,
    });
    expect(own.free).toBe(true);
  });

  it('that stays are taken at most three years ahead', async () => {
    const far = await core.ok<{ free: boolean; problems: string[] }>(AGENT, 'reservations/check-dates', {
      propertyId: alfama.id,
      checkIn: '2029-12-20',
      checkOut: '2029-12-27',
    });
    expect(far).toMatchObject({
      free: false,
      problems: ['Check-out is too far ahead: stays are taken at most three years in advance.'],
    });
  });

  it('the property’s today, which decides whether a check-in is early', async () => {
    const tokyo = seedLocation(core, { name: 'Tokyo', timeZone: 'Asia/Tokyo', currency: 'JPY', country: 'JP' });
    const shinjuku = seedProperty(core, tokyo.id, { name: 'Shinjuku Flat', currency: 'JPY' });
    const r = seedReservation(core, shinjuku.id, ana.id, { currency: 'JPY', totalMinor: 40_000 });
    core.clock.now = new Date('2026-11-24T20:00:00Z');
    const read = await core.ok<{ today: string; timeZone: string }>(ADMIN, 'reservations/get', { id: r.id });
    expect(read).toMatchObject({ today: '2026-11-25', timeZone: 'Asia/Tokyo' });
  });
});

describe('money received: when, and how much', () => {
  const payment = (r: Reservation, overrides: Record<string, unknown> = {}) => ({
    userId: ana.id,
    reservationId: r.id,
    type: 'GUEST_PAYMENT',
    category: 'booking',
    amountMinor: 10_000,
    currency: 'EUR',
    netAmountMinor: 10_000,
    paymentMethod: 'bank transfer',
    ...overrides,
  });

  it('may be recorded as received up to a year back, never ahead', async () => {
    const r = stay();
    const back = await core.ok<{ processedAt: string }>(
      AGENT,
      'ledger/record',
      payment(r, { processedAt: '2026-08-20T12:00:00Z' }),
    );
    expect(back.processedAt).toBe('2026-08-20T12:00:00.000Z');

    const before = countRows(core, ...WRITES);
    const ahead = await core.fails(AGENT, 'ledger/record', payment(r, { processedAt: '2026-11-26T12:00:00Z' }));
    expect(ahead).toMatchObject({
      code: 'validation',
      message: 'Received on cannot be in the future: record money once it has been received.',
      fields: { processedAt: 'cannot be in the future: record money once it has been received' },
    });
    const old = await core.fails(AGENT, 'ledger/record', payment(r, { processedAt: '2025-10-01T12:00:00Z' }));
    expect(old.code).toBe('validation');
    expect(old.message).toMatch(/^Received on must be within the last year, on or after 24 November 2025: /);
    onlyRefusalsRecorded(core, before, countRows(core, ...WRITES));
  });

  it('beyond what is owed only as the guest’s credit, knowingly', async () => {
    const r = stay();
    const refused = await core.fails(
      AGENT,
      'ledger/record',
      payment(r, { amountMinor: 500_000_00, netAmountMinor: 500_000_00 }),
    );
    expect(refused).toMatchObject({ code: 'validation', fields: { amountMinor: expect.stringContaining('€480.00') } });
    await core.ok(AGENT, 'ledger/record', payment(r, { amountMinor: 50_000, netAmountMinor: 50_000, isCredit: true }));
  });
});

describe('the ledger reads like a ledger', () => {
  it('names who and where, marks a reversed entry with the reason, and a reversal with what it undoes', async () => {
    const r = stay();
    const paid = await core.ok<{ id: string }>(ADMIN, 'ledger/record', {
      userId: ana.id,
      reservationId: r.id,
      type: 'GUEST_PAYMENT',
      category: 'booking',
      amountMinor: 10_000,
      currency: 'EUR',
      netAmountMinor: 10_000,
    });
    const reversal = await core.ok<{ id: string; description: string }>(ADMIN, 'ledger/reverse', {
      id: paid.id,
      reason: 'Recorded on the wrong stay',
    });
    expect(reversal.description).toBe(
      'Reversal of the guest payment of €100.00 from Ana Silva, Alfama Loft 10–14 December 2026',
    );
    const list = await core.ok<{
      items: Array<Record<string, unknown> & { id: string }>;
      total: number;
    }>(MANAGER, 'ledger/list', { reservationId: r.id });
    expect(list.total).toBe(2);
    const original = list.items.find((e) => e.id === paid.id)!;
    const undo = list.items.find((e) => e.id === reversal.id)!;
    expect(original).toMatchObject({
      personName: 'Ana Silva',
      propertyName: 'Alfama Loft',
      stay: { guestName: 'Ana Silva', checkIn: '2026-12-10', checkOut: '2026-12-14' },
      reversed: { reason: 'Recorded on the wrong stay' },
      refersTo: null,
    });
    expect(undo).toMatchObject({
      reversed: null,
      refersTo: { type: 'GUEST_PAYMENT', amountMinor: 10_000 },
      notes: 'Recorded on the wrong stay',
    });
  });
});

describe('who a task goes to', () => {
  it('offers the people whose work it is first, those working where the property is before others, with role and location', async () => {
    // Carla cleans in Lisbon, Célia in Porto.
    seedTask(core, alfama.id, { assigneeId: carla.id, status: 'COMPLETED', completedAt: '2026-11-01T10:00:00.000Z' });
    seedTask(core, ribeira.id, { assigneeId: celia.id });
    seedTask(core, ribeira.id, { assigneeId: mateus.id, type: 'MAINTENANCE' });
    type Assignee = {
      firstName: string;
      role: string;
      locationName: string | null;
      suited: boolean;
      nearby: boolean;
      openTasks: number;
    };
    const cleaning = await core.ok<{ items: Assignee[] }>(ADMIN, 'tasks/assignees', {
      type: 'CLEANING',
      propertyId: alfama.id,
    });
    expect(cleaning.items.map((p) => `${p.firstName} ${p.role} ${p.locationName ?? '—'}`)).toEqual([
      'Carla CLEANER Lisbon',
      'Célia CLEANER Porto',
      'Alice AGENT Lisbon',
      'Mateus MAINTENANCE_STAFF Porto',
      'Miguel MANAGER —',
    ]);
    expect(cleaning.items[0]).toMatchObject({ suited: true, nearby: true, openTasks: 0 });
    expect(cleaning.items[1]).toMatchObject({ suited: true, nearby: false, openTasks: 1 });

    const repair = await core.ok<{ items: Assignee[] }>(ADMIN, 'tasks/assignees', { type: 'MAINTENANCE' });
    expect(repair.items[0]).toMatchObject({ firstName: 'Mateus', suited: true });
    // An agent chooses among the people they may see: field staff and themself.
    const forAgent = await core.ok<{ items: Assignee[] }>(AGENT, 'tasks/assignees', { type: 'CLEANING' });
    expect(forAgent.items.map((p) => p.firstName).sort()).toEqual(['Alice', 'Carla', 'Célia', 'Mateus']);
  });
});

describe('words for people', () => {
  it('names a wrong field as its form does, never by its code', async () => {
    const error = await core.fails(ADMIN, 'reservations/create', {
      propertyId: alfama.id,
      guestId: ana.id,
      checkIn: '2026-12-10',
      checkOut: '2026-12-08',
      guests: 0,
      totalMinor: 100,
      currency: 'EUR',
      guestName: 'Ana Silva',
      guestEmail: 'ana@example.com',
      source: 'direct',
    });
    expect(error.message).toBe('Guests must be at least 1; Check-out must be after the check-in date');
    const ledger = await core.fails(ADMIN, 'ledger/record', {
      userId: ana.id,
      type: 'GUEST_PAYMENT',
      category: 'booking',
      amountMinor: -100,
      currency: 'EUR',
      netAmountMinor: -90,
    });
    expect(ledger.message).toBe(
      'Amount must not be negative unless the entry reverses another: to undo an entry, reverse it; ' +
        'Net amount must be the amount less its channel and payment fees',
    );
  });
});

describe('every list says how many it holds', () => {
  it('counts all that match the filters, whatever the page', async () => {
    for (const day of [11, 15, 19]) stay({ checkIn: `2027-01-${day}`, checkOut: `2027-01-${day + 2}` });
    stay({ checkIn: '2027-02-01', checkOut: '2027-02-03', status: 'CANCELLED' });
    const reservations = await core.ok<{ items: unknown[]; total: number }>(ADMIN, 'reservations/list', {
      status: ['CONFIRMED'],
      limit: 2,
    });
    expect([reservations.items.length, reservations.total]).toEqual([2, 3]);
    seedTask(core, alfama.id);
    seedTask(core, ribeira.id);
    const tasks = await core.ok<{ items: unknown[]; total: number }>(ADMIN, 'tasks/list', { limit: 1 });
    expect([tasks.items.length, tasks.total]).toEqual([1, 2]);
    const properties = await core.ok<{ items: unknown[]; total: number }>(AGENT, 'properties/list', { limit: 1 });
    expect([properties.items.length, properties.total]).toEqual([1, 1]);
  });
});
