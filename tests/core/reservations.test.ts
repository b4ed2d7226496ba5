import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { statusWords } from '../../db/rules/words.js';
import type { ReservationStatus } from '../../db/domain/enums.js';
import type { ReservationBalance } from '../../db/domain/reservation-balance.js';
import { verifyAuditChain } from '../../main/core/audit-chain.js';
import type { reservations } from '../../db/schema/sqlite.js';

/** A reservation as an operation returns it (fields a role may not see are absent). */
type ReservationView = Partial<typeof reservations.$inferSelect> & { id: string };
import {
  countRows,
  reservationRowById,
  rowsWrittenBy,
  seedGuest,
  seedLedgerEntry,
  seedLocation,
  seedProperty,
  seedStaff,
  seedTask,
  signInAs,
  taskRowById,
  type Location,
  type Property,
  type User,
  onlyRefusalsRecorded,
} from './seed.js';
import { createTestCore, setUpAdmin, type TestCore } from './test-core.js';

type Listed = ReservationView & { propertyName: string };
interface Page {
  items: Listed[];
  nextCursor: string | null;
}

let core: TestCore;
let lisbon: Location;
let agentA: User;
let agentB: User;
let owner: User;
let cleaner: User;
let alfama: Property;
let graca: Property;
let ana: User;
let bruno: User;

const ADMIN = 'admin-window';
const WRITES = ['reservations', 'tasks', 'audit_log', 'outbox'];

beforeEach(async () => {
  core = createTestCore();
  await setUpAdmin(core, ADMIN);
  lisbon = seedLocation(core, { name: 'Lisbon', timeZone: 'Europe/Lisbon' });
  agentA = await seedStaff(core, 'AGENT', { firstName: 'Alice' });
  agentB = await seedStaff(core, 'AGENT', { firstName: 'Bernardo' });
  owner = await seedStaff(core, 'OWNER', { firstName: 'Olga' });
  cleaner = await seedStaff(core, 'CLEANER', { firstName: 'Carla' });
  alfama = seedProperty(core, lisbon.id, { name: 'Alfama Loft', agentId: agentA.id, ownerId: owner.id, capacity: 4 });
  graca = seedProperty(core, lisbon.id, { name: 'Graça Studio', agentId: agentB.id, capacity: 2 });
  ana = seedGuest(core, 'Ana', 'Silva', { email: 'ana@example.com' });
  bruno = seedGuest(core, 'Bruno', 'Reis', { email: 'bruno@example.com' });
});
afterEach(() => core.dispose());

function stay(overrides: Record<string, unknown> = {}) {
  return {
    propertyId: alfama.id,
    guestId: ana.id,
    checkIn: '2026-12-01',
    checkOut: '2026-12-05',
    guests: 2,
    totalMinor: 48_000,
    currency: 'EUR',
    guestName: 'Ana Silva',
    guestEmail: 'ana@example.com',
    guestPhone: '+351 912 345 678',
    source: 'direct',
    notes: 'Arrives late; key in the lockbox',
    ...overrides,
  };
}

const create = (overrides: Record<string, unknown> = {}, callerId = ADMIN) =>
  core.ok<ReservationView>(callerId, 'reservations/create', stay(overrides));

const setStatus = (id: string, status: ReservationStatus, callerId = ADMIN) =>
  core.ok<ReservationView>(callerId, 'reservations/set-status', { id, status });

const PATH_TO: Record<ReservationStatus, ReservationStatus[]> = {
  PENDING: [],
  CONFIRMED: ['CONFIRMED'],
  CHECKED_IN: ['CONFIRMED', 'CHECKED_IN'],
  CHECKED_OUT: ['CONFIRMED', 'CHECKED_IN', 'CHECKED_OUT'],
  CANCELLED: ['CANCELLED'],
  NO_SHOW: ['CONFIRMED', 'NO_SHOW'],
};

async function reservationIn(status: ReservationStatus, overrides: Record<string, unknown> = {}) {
  const reservation = await create(overrides);
  for (const next of PATH_TO[status]) await setStatus(reservation.id, next);
  return reservationRowById(core, reservation.id);
}

const cleaningTasksOf = (reservationId: string) =>
  core.database.sqlite
    .prepare(`SELECT * FROM tasks WHERE reservation_id = ? AND type = 'CLEANING'`)
    .all(reservationId) as { scheduled_at: string; title: string; status: string; priority: string }[];

describe('creating a reservation', () => {
  it('books the stay as PENDING, with the property’s agent, and records it once', async () => {
    let created: ReservationView | undefined;
    const written = await rowsWrittenBy(core, WRITES, async () => {
      created = await create();
    });
    expect(created).toMatchObject({
      propertyId: alfama.id,
      guestId: ana.id,
      agentId: agentA.id,
      status: 'PENDING',
      checkIn: '2026-12-01',
      checkOut: '2026-12-05',
      guestEmail: 'ana@example.com',
    });
    expect(written).toEqual({ reservations: 1, tasks: 0, audit_log: 1, outbox: 1 });
    const audit = core.database.sqlite
      .prepare('SELECT action, entity_type, entity_id FROM audit_log ORDER BY seq DESC LIMIT 1')
      .get();
    expect(audit).toEqual({ action: 'reservations/create', entity_type: 'reservations', entity_id: created!.id });
  });

  it('keeps an explicit agent, and may start CONFIRMED', async () => {
    const created = await create({ agentId: agentB.id, status: 'CONFIRMED' });
    expect(created).toMatchObject({ agentId: agentB.id, status: 'CONFIRMED' });
  });

  it('refuses an overlapping stay, naming the booking it clashes with, and writes nothing', async () => {
    const first = await create();
    const before = countRows(core, ...WRITES);
    const error = await core.fails(
      ADMIN,
      'reservations/create',
      stay({ checkIn: '2026-12-03', checkOut: '2026-12-07' }),
    );
    expect(error.code).toBe('conflict');
    // The clash in words: the property, the dates, the guest and how things stand; no ids, no ISO dates.
    expect(error.message).toBe(
      'Alfama Loft is already booked 1–5 December 2026 by Ana Silva (pending). Choose other dates.',
    );
    expect(error.message).not.toContain(first.id);
    onlyRefusalsRecorded(core, before, countRows(core, ...WRITES));
  });

  it('accepts back-to-back stays and the same nights at another property', async () => {
    await create();
    await create({ checkIn: '2026-12-05', checkOut: '2026-12-07' });
    await create({ checkIn: '2026-11-28', checkOut: '2026-12-01' });
    await create({ propertyId: graca.id, guestId: bruno.id, guests: 1 });
    expect(countRows(core, 'reservations').reservations).toBe(4);
  });

  it.each(['CANCELLED', 'NO_SHOW'] as const)('lets a new stay take the nights of a %s one', async (status) => {
    await reservationIn(status);
    const replacement = await create({ guestId: bruno.id, guestName: 'Bruno Reis', checkIn: '2026-12-02' });
    expect(replacement.status).toBe('PENDING');
    expect(countRows(core, 'reservations').reservations).toBe(2);
  });

  it.each<[string, (w: { cleaner: User; archived: Property }) => Record<string, unknown>]>([
    ['guests', () => ({ guests: 5 })],
    ['currency', () => ({ currency: 'USD' })],
    ['checkOut', () => ({ checkOut: '2026-11-30' })],
    ['status', () => ({ status: 'CHECKED_IN' })],
    ['guestId', (w) => ({ guestId: w.cleaner.id })],
    ['propertyId', (w) => ({ propertyId: w.archived.id })],
    ['guestEmail', () => ({ guestEmail: 'not-an-email' })],
    ['totalMinor', () => ({ totalMinor: 12.5 })],
    ['guestName', () => ({ guestName: undefined })],
    ['discount', () => ({ discount: 10 })],
  ])('refuses bad input naming %s, and writes nothing', async (field, overrides) => {
    const archived = seedProperty(core, lisbon.id, { name: 'Old Flat', archivedAt: '2026-01-01T00:00:00.000Z' });
    const before = countRows(core, ...WRITES);
    const error = await core.fails(ADMIN, 'reservations/create', stay(overrides({ cleaner, archived })));
    expect(error.code).toBe('validation');
    expect(error.fields).toHaveProperty([field]);
    expect(error.message).toContain(error.fields![field]);
    onlyRefusalsRecorded(core, before, countRows(core, ...WRITES));
  });
});

describe('malformed calls', () => {
  it('answers validation, not an internal error, when the input is not an object', async () => {
    expect(await core.fails(ADMIN, 'reservations/create')).toMatchObject({
      code: 'validation',
      fields: { '(input)': 'is required' },
    });
    const reservation = await create();
    for (const changes of [undefined, 'checkOut=2026-12-06']) {
      const error = await core.fails(ADMIN, 'reservations/update', { id: reservation.id, changes });
      expect(error).toMatchObject({ code: 'validation', fields: { changes: expect.any(String) } });
    }
  });
});

describe('the status of a reservation', () => {
  it.each<[ReservationStatus, ReservationStatus]>([
    ['PENDING', 'CHECKED_IN'],
    ['PENDING', 'NO_SHOW'],
    ['PENDING', 'PENDING'],
    ['CONFIRMED', 'PENDING'],
    ['CONFIRMED', 'CHECKED_OUT'],
    ['CHECKED_IN', 'CANCELLED'],
    ['CHECKED_IN', 'NO_SHOW'],
    ['CHECKED_OUT', 'PENDING'],
    ['CHECKED_OUT', 'CONFIRMED'],
    ['CANCELLED', 'CONFIRMED'],
    ['NO_SHOW', 'CHECKED_IN'],
  ])('refuses %s → %s as a conflict, changing nothing', async (from, to) => {
    const reservation = await reservationIn(from);
    const before = countRows(core, ...WRITES);
    const error = await core.fails(ADMIN, 'reservations/set-status', { id: reservation.id, status: to });
    expect(error.code).toBe('conflict');
    expect(error.message).toMatch(
      new RegExp(`^A reservation that is ${statusWords(from)} cannot become ${statusWords(to)}[;.]`),
    );
    expect(reservationRowById(core, reservation.id).status).toBe(from);
    onlyRefusalsRecorded(core, before, countRows(core, ...WRITES));
  });

  it('says what may come next, or that the status is final', async () => {
    const confirmed = await reservationIn('CONFIRMED');
    expect((await core.fails(ADMIN, 'reservations/set-status', { id: confirmed.id, status: 'PENDING' })).message).toBe(
      'A reservation that is confirmed cannot become pending; it can become checked in or cancelled or a no-show.',
    );
    const done = await reservationIn('CHECKED_OUT', { checkIn: '2027-01-01', checkOut: '2027-01-03' });
    expect((await core.fails(ADMIN, 'reservations/set-status', { id: done.id, status: 'PENDING' })).message).toBe(
      'A reservation that is checked out cannot become pending; it can go back to checked in if that was a mistake, giving a reason.',
    );
    const cancelled = await reservationIn('CANCELLED', { checkIn: '2027-02-01', checkOut: '2027-02-03' });
    expect((await core.fails(ADMIN, 'reservations/set-status', { id: cancelled.id, status: 'PENDING' })).message).toBe(
      'A reservation that is cancelled cannot become pending.',
    );
  });

  it('goes PENDING → CONFIRMED → CHECKED_IN → CHECKED_OUT, each step one audited change', async () => {
    const reservation = await create();
    for (const status of ['CONFIRMED', 'CHECKED_IN'] as const) {
      const written = await rowsWrittenBy(core, WRITES, () => setStatus(reservation.id, status));
      expect(written).toEqual({ reservations: 0, tasks: 0, audit_log: 1, outbox: 1 });
    }
    const written = await rowsWrittenBy(core, WRITES, () => setStatus(reservation.id, 'CHECKED_OUT'));
    // The status change and the turnover clean: two audit rows, one changeset.
    expect(written).toEqual({ reservations: 0, tasks: 1, audit_log: 2, outbox: 1 });
    expect(reservationRowById(core, reservation.id).status).toBe('CHECKED_OUT');
    const ops = core.database.sqlite
      .prepare('SELECT ops FROM outbox ORDER BY position DESC LIMIT 1')
      .pluck()
      .get() as string;
    expect((JSON.parse(ops) as { table: string; op: string }[]).map((o) => `${o.table}.${o.op}`)).toEqual([
      'reservations.update',
      'tasks.insert',
      'audit_log.insert',
      'audit_log.insert',
    ]);
    expect(verifyAuditChain(core.database.sqlite)).toMatchObject({ intact: true });
  });

  it('plans exactly one turnover clean at 11:00 on the check-out day, property time', async () => {
    const reservation = await reservationIn('CHECKED_OUT');
    expect(cleaningTasksOf(reservation.id)).toEqual([
      expect.objectContaining({
        title: 'Turnover clean after Ana Silva',
        status: 'PENDING',
        priority: 'MEDIUM',
        // Lisbon is on UTC in December.
        scheduled_at: '2026-12-05T11:00:00.000Z',
      }),
    ]);

    const madrid = seedLocation(core, { name: 'Madrid', city: 'Madrid', country: 'ES', timeZone: 'Europe/Madrid' });
    const sol = seedProperty(core, madrid.id, { name: 'Sol Apartment' });
    const there = await reservationIn('CHECKED_OUT', { propertyId: sol.id });
    expect(cleaningTasksOf(there.id)[0]?.scheduled_at).toBe('2026-12-05T10:00:00.000Z');
  });

  it('does not plan a second clean when the reservation already has one', async () => {
    const reservation = await reservationIn('CHECKED_IN');
    seedTask(core, alfama.id, { reservationId: reservation.id, type: 'CLEANING', title: 'Deep clean' });
    const written = await rowsWrittenBy(core, WRITES, () => setStatus(reservation.id, 'CHECKED_OUT'));
    expect(written.tasks).toBe(0);
    expect(cleaningTasksOf(reservation.id)).toHaveLength(1);
  });

  it('cancelling cancels its open tasks, and only those, in the same change', async () => {
    const reservation = await reservationIn('CONFIRMED');
    const other = await reservationIn('CONFIRMED', { checkIn: '2027-02-01', checkOut: '2027-02-03' });
    const task = (status: string, reservationId = reservation.id) =>
      seedTask(core, alfama.id, { reservationId, status, type: 'CHECK_IN', title: `Task ${status}` }).id;
    const open = [task('PENDING'), task('IN_PROGRESS'), task('ON_HOLD')];
    const completed = task('COMPLETED');
    const elsewhere = task('PENDING', other.id);

    const written = await rowsWrittenBy(core, WRITES, () =>
      core.ok(ADMIN, 'reservations/set-status', { id: reservation.id, status: 'CANCELLED', reason: 'Guest asked' }),
    );
    expect(open.map((id) => taskRowById(core, id).status)).toEqual(['CANCELLED', 'CANCELLED', 'CANCELLED']);
    expect(taskRowById(core, completed).status).toBe('COMPLETED');
    expect(taskRowById(core, elsewhere).status).toBe('PENDING');
    // The reservation, three tasks and the reason: five audit rows in one changeset.
    expect(written).toEqual({ reservations: 0, tasks: 0, audit_log: 5, outbox: 1 });
    const reason = core.database.sqlite
      .prepare(`SELECT after FROM audit_log WHERE action = 'reservations.status-reason'`)
      .pluck()
      .get() as string;
    expect(JSON.parse(reason)).toEqual({ from: 'CONFIRMED', to: 'CANCELLED', reason: 'Guest asked' });
  });
});

describe('changing a reservation', () => {
  it('moves its pending and on-hold tasks with the dates, each by its own end of the stay', async () => {
    const reservation = await reservationIn('CONFIRMED');
    const seed = (type: string, status: string, scheduledAt: string, dueAt: string | null = null) =>
      seedTask(core, alfama.id, { reservationId: reservation.id, type, status, title: type, scheduledAt, dueAt }).id;
    const clean = seed('CLEANING', 'PENDING', '2026-12-05T11:00:00.000Z', '2026-12-05T15:00:00.000Z');
    const checkOut = seed('CHECK_OUT', 'ON_HOLD', '2026-12-05T10:00:00.000Z');
    const welcome = seed('CHECK_IN', 'PENDING', '2026-12-01T15:00:00.000Z');
    const started = seed('DELIVERY', 'IN_PROGRESS', '2026-12-01T09:00:00.000Z');
    const done = seed('INSPECTION', 'COMPLETED', '2026-11-30T10:00:00.000Z');

    const written = await rowsWrittenBy(core, WRITES, () =>
      core.ok(ADMIN, 'reservations/update', {
        id: reservation.id,
        changes: { checkIn: '2026-12-03', checkOut: '2026-12-08' },
      }),
    );
    expect(reservationRowById(core, reservation.id)).toMatchObject({ checkIn: '2026-12-03', checkOut: '2026-12-08' });
    expect(taskRowById(core, clean)).toMatchObject({
      scheduledAt: '2026-12-08T11:00:00.000Z',
      dueAt: '2026-12-08T15:00:00.000Z',
    });
    expect(taskRowById(core, checkOut).scheduledAt).toBe('2026-12-08T10:00:00.000Z');
    expect(taskRowById(core, welcome).scheduledAt).toBe('2026-12-03T15:00:00.000Z');
    expect(taskRowById(core, started).scheduledAt).toBe('2026-12-01T09:00:00.000Z');
    expect(taskRowById(core, done).scheduledAt).toBe('2026-11-30T10:00:00.000Z');
    expect(written).toEqual({ reservations: 0, tasks: 0, audit_log: 4, outbox: 1 });
  });

  it('keeps a task’s local hour when the move crosses a daylight-saving change', async () => {
    const reservation = await reservationIn('CONFIRMED', { checkIn: '2027-03-24', checkOut: '2027-03-27' });
    // 11:00 in Lisbon: UTC before 28 March 2027, UTC+1 after.
    const clean = seedTask(core, alfama.id, {
      reservationId: reservation.id,
      scheduledAt: '2027-03-27T11:00:00.000Z',
    }).id;
    await core.ok(ADMIN, 'reservations/update', { id: reservation.id, changes: { checkOut: '2027-03-30' } });
    expect(taskRowById(core, clean).scheduledAt).toBe('2027-03-30T10:00:00.000Z');
  });

  it('refuses new dates that clash with another stay, naming it, and changes nothing', async () => {
    const reservation = await create();
    const later = await create({
      guestId: bruno.id,
      guestName: 'Bruno Reis',
      checkIn: '2026-12-10',
      checkOut: '2026-12-12',
    });
    const before = countRows(core, ...WRITES);
    const error = await core.fails(ADMIN, 'reservations/update', {
      id: reservation.id,
      changes: { checkOut: '2026-12-11' },
    });
    expect(error.code).toBe('conflict');
    expect(error.message).toBe(
      'Alfama Loft is already booked 10–12 December 2026 by Bruno Reis (pending). Choose other dates.',
    );
    expect(error.message).not.toContain(later.id);
    onlyRefusalsRecorded(core, before, countRows(core, ...WRITES));
    // Its own nights never clash with itself.
    await core.ok(ADMIN, 'reservations/update', { id: reservation.id, changes: { checkOut: '2026-12-06' } });
  });

  it('names checkOut when the merged dates are out of order', async () => {
    const reservation = await create();
    const before = countRows(core, ...WRITES);
    const error = await core.fails(ADMIN, 'reservations/update', {
      id: reservation.id,
      changes: { checkIn: '2026-12-06' },
    });
    expect(error).toMatchObject({ code: 'validation', fields: { checkOut: 'must be after the check-in date' } });
    const guests = await core.fails(ADMIN, 'reservations/update', { id: reservation.id, changes: { guests: 9 } });
    expect(guests.fields).toHaveProperty(['guests']);
    onlyRefusalsRecorded(core, before, countRows(core, ...WRITES));
  });

  it('refuses to move the dates of a finished stay but still takes a note', async () => {
    const reservation = await reservationIn('CHECKED_OUT');
    const error = await core.fails(ADMIN, 'reservations/update', {
      id: reservation.id,
      changes: { checkOut: '2026-12-06' },
    });
    expect(error.code).toBe('conflict');
    const updated = await core.ok<ReservationView>(ADMIN, 'reservations/update', {
      id: reservation.id,
      changes: { notes: 'Left a jacket' },
    });
    expect(updated.notes).toBe('Left a jacket');
  });
});

describe('listing and reading reservations', () => {
  async function bookings() {
    const a = await create({ checkIn: '2026-12-01', checkOut: '2026-12-03' });
    const b = await create({ checkIn: '2026-12-03', checkOut: '2026-12-05' });
    const c = await create({
      guestId: bruno.id,
      guestName: 'Bruno Reis',
      guestEmail: 'bruno@example.com',
      checkIn: '2026-12-10',
      checkOut: '2026-12-12',
      source: 'airbnb',
    });
    const d = await reservationIn('CANCELLED', { checkIn: '2026-12-20', checkOut: '2026-12-22' });
    const e = await create({
      propertyId: graca.id,
      guestId: bruno.id,
      guestName: 'Bruno Reis',
      guestEmail: 'bruno@example.com',
      guests: 1,
      checkIn: '2026-12-15',
      checkOut: '2026-12-17',
    });
    return { a, b, c, d, e };
  }

  const list = (input: Record<string, unknown> = {}, callerId = ADMIN) =>
    core.ok<Page>(callerId, 'reservations/list', input);

  it('pages through every stay by check-in, newest first or oldest first', async () => {
    const { a, b, c, d, e } = await bookings();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await list({ limit: 2, ...(cursor ? { cursor } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((r) => r.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([d.id, e.id, c.id, b.id, a.id]);
    const oldest = await list({ order: 'asc', limit: 3 });
    expect(oldest.items.map((r) => r.id)).toEqual([a.id, b.id, c.id]);
    const rest = await list({ order: 'asc', limit: 3, cursor: oldest.nextCursor });
    expect(rest.items.map((r) => r.id)).toEqual([e.id, d.id]);
    expect(rest.nextCursor).toBeNull();
    expect((await list()).items[0]?.propertyName).toBe('Alfama Loft');
  });

  it('filters by dates, status, property, guest, source and search', async () => {
    const { a, b, c, d, e } = await bookings();
    const ids = async (input: Record<string, unknown>) => (await list(input)).items.map((r) => r.id).sort();
    expect(await ids({ from: '2026-12-04', to: '2026-12-11' })).toEqual([b.id, c.id].sort());
    expect(await ids({ status: ['CANCELLED'] })).toEqual([d.id]);
    expect(await ids({ propertyId: graca.id })).toEqual([e.id]);
    expect(await ids({ guestId: bruno.id })).toEqual([c.id, e.id].sort());
    expect(await ids({ source: 'airbnb' })).toEqual([c.id]);
    expect(await ids({ search: 'bruno@' })).toEqual([c.id, e.id].sort());
    expect(await ids({ search: 'SILVA', status: ['PENDING'], propertyId: alfama.id })).toEqual([a.id, b.id].sort());
    expect(await ids({ search: '100%' })).toEqual([]);
  });

  it('names the field of a bad filter', async () => {
    expect((await core.fails(ADMIN, 'reservations/list', { cursor: 'nonsense' })).fields).toHaveProperty('cursor');
    expect(
      (await core.fails(ADMIN, 'reservations/list', { from: '2026-12-05', to: '2026-12-01' })).fields,
    ).toHaveProperty('to');
    expect((await core.fails(ADMIN, 'reservations/list', { status: ['LOST'] })).fields).toHaveProperty(['status.0']);
  });

  it('reads one reservation with its property and its balance from the ledger', async () => {
    const reservation = await create();
    seedLedgerEntry(core, ana.id, {
      reservationId: reservation.id,
      propertyId: alfama.id,
      amountMinor: 20_000,
      platformFeeMinor: 0,
      netAmountMinor: 20_000,
    });
    seedLedgerEntry(core, ana.id, {
      reservationId: reservation.id,
      amountMinor: 10_000,
      platformFeeMinor: 0,
      netAmountMinor: 10_000,
      status: 'PENDING',
    });
    const read = await core.ok<ReservationView & { propertyName: string; balance: ReservationBalance }>(
      ADMIN,
      'reservations/get',
      { id: reservation.id },
    );
    expect(read).toMatchObject({ id: reservation.id, propertyName: 'Alfama Loft', guestEmail: 'ana@example.com' });
    expect(read.balance).toEqual({
      totalMinor: 48_000,
      paidMinor: 20_000,
      refundedMinor: 0,
      outstandingMinor: 28_000,
      paymentStatus: 'PARTIAL',
    });
    // Once the stay has begun (in Lisbon), an unpaid balance is overdue.
    core.clock.now = new Date('2026-12-01T00:30:00Z');
    expect(await core.ok(ADMIN, 'reservations/balance', { id: reservation.id })).toMatchObject({
      paymentStatus: 'OVERDUE',
    });
  });
});

describe('who sees which reservations', () => {
  it('an agent sees and changes only the stays of their own properties', async () => {
    const mine = await create();
    const theirs = await create({ propertyId: graca.id, guestId: bruno.id, guests: 1 });
    await signInAs(core, 'agent-a', agentA);

    const page = await core.ok<Page>('agent-a', 'reservations/list', {});
    expect(page.items.map((r) => r.id)).toEqual([mine.id]);
    expect((await core.ok<ReservationView>('agent-a', 'reservations/get', { id: mine.id })).id).toBe(mine.id);

    const before = countRows(core, ...WRITES);
    for (const [name, input] of [
      ['reservations/get', { id: theirs.id }],
      ['reservations/balance', { id: theirs.id }],
      ['reservations/update', { id: theirs.id, changes: { notes: 'Mine now' } }],
      ['reservations/set-status', { id: theirs.id, status: 'CONFIRMED' }],
      ['reservations/create', stay({ propertyId: graca.id, guests: 1, checkIn: '2027-01-01', checkOut: '2027-01-02' })],
    ] as const) {
      expect((await core.fails('agent-a', name, input)).code, name).toBe('not_found');
    }
    onlyRefusalsRecorded(core, before, countRows(core, ...WRITES));
    expect(reservationRowById(core, theirs.id)).toMatchObject({ status: 'PENDING', notes: stay().notes });

    await core.ok('agent-a', 'reservations/set-status', { id: mine.id, status: 'CONFIRMED' });
    await create({ checkIn: '2027-01-01', checkOut: '2027-01-03' }, 'agent-a');
  });

  it('an owner sees their property’s stays without the guest’s contacts or the notes', async () => {
    const mine = await create();
    await create({ propertyId: graca.id, guestId: bruno.id, guests: 1 });
    await signInAs(core, 'owner', owner);

    const page = await core.ok<Page>('owner', 'reservations/list', {});
    expect(page.items.map((r) => r.id)).toEqual([mine.id]);
    const [item] = page.items;
    expect(item).toMatchObject({ guestName: 'Ana Silva', propertyName: 'Alfama Loft' });
    for (const hidden of ['guestEmail', 'guestPhone', 'notes']) expect(item).not.toHaveProperty(hidden);

    const read = await core.ok<Record<string, unknown>>('owner', 'reservations/get', { id: mine.id });
    expect(read).toHaveProperty('balance');
    for (const hidden of ['guestEmail', 'guestPhone', 'notes']) expect(read).not.toHaveProperty(hidden);

    // A hidden column cannot be probed through search either.
    expect((await core.ok<Page>('owner', 'reservations/list', { search: 'ana@example' })).items).toEqual([]);
    expect((await core.ok<Page>('owner', 'reservations/list', { search: 'Ana' })).items).toHaveLength(1);
    expect((await core.fails('owner', 'reservations/create', stay())).code).toBe('forbidden');
  });

  it('a cleaner may not list reservations at all', async () => {
    await create();
    await signInAs(core, 'cleaner', cleaner);
    const error = await core.fails('cleaner', 'reservations/list', {});
    expect(error.code).toBe('forbidden');
  });
});
