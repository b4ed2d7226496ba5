import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TASK_CHECKLISTS } from '../../db/domain/task-checklists.js';
import { statusWords } from '../../db/rules/words.js';
import type { TaskStatus } from '../../db/domain/enums.js';
import {
  countRows,
  rowsWrittenBy,
  seedGuest,
  seedLocation,
  seedProperty,
  seedReservation,
  seedStaff,
  seedTask,
  seedUser,
  signInAs,
  taskRowById,
  type Property,
  type Reservation,
  type Task,
  type User,
  onlyRefusalsRecorded,
} from './seed.js';
import { createTestCore, setUpAdmin, type TestCore } from './test-core.js';

interface Page {
  items: (Task & { propertyName: string; assigneeName: string | null })[];
  nextCursor: string | null;
}

let core: TestCore;
let agentA: User;
let carla: User;
let duarte: User;
let mario: User;
let alfama: Property;
let graca: Property;
let stayAtAlfama: Reservation;
let stayAtGraca: Reservation;

const ADMIN = 'admin-window';
const WRITES = ['tasks', 'audit_log', 'outbox'];

beforeEach(async () => {
  core = createTestCore();
  await setUpAdmin(core, ADMIN);
  const lisbon = seedLocation(core, { timeZone: 'Europe/Lisbon' });
  agentA = await seedStaff(core, 'AGENT', { firstName: 'Alice' });
  const agentB = await seedStaff(core, 'AGENT', { firstName: 'Bernardo' });
  carla = await seedStaff(core, 'CLEANER', { firstName: 'Carla' });
  duarte = await seedStaff(core, 'CLEANER', { firstName: 'Duarte' });
  mario = await seedStaff(core, 'MAINTENANCE_STAFF', { firstName: 'Mário' });
  alfama = seedProperty(core, lisbon.id, { name: 'Alfama Loft', agentId: agentA.id });
  graca = seedProperty(core, lisbon.id, { name: 'Graça Studio', agentId: agentB.id });
  const ana = seedGuest(core);
  stayAtAlfama = seedReservation(core, alfama.id, ana.id);
  stayAtGraca = seedReservation(core, graca.id, ana.id);
});
afterEach(() => core.dispose());

const newTask = (overrides: Record<string, unknown> = {}) => ({
  propertyId: alfama.id,
  type: 'CLEANING',
  title: 'Turnover clean',
  scheduledAt: '2026-12-05T11:00:00Z',
  ...overrides,
});

const setStatus = (callerId: string, id: string, status: TaskStatus) =>
  core.ok<Task>(callerId, 'tasks/set-status', { id, status });

describe('creating and changing tasks', () => {
  it('creates a task with its assignee and reservation, as one audited change', async () => {
    let created: Task | undefined;
    const written = await rowsWrittenBy(core, WRITES, async () => {
      created = await core.ok<Task>(
        ADMIN,
        'tasks/create',
        newTask({ assigneeId: carla.id, reservationId: stayAtAlfama.id, scheduledAt: '2026-12-05T12:00:00+01:00' }),
      );
    });
    expect(created).toMatchObject({
      assigneeId: carla.id,
      reservationId: stayAtAlfama.id,
      status: 'PENDING',
      priority: 'MEDIUM',
      // Stored in UTC, so instants sort as text.
      scheduledAt: '2026-12-05T11:00:00.000Z',
      completedAt: null,
    });
    expect(written).toEqual({ tasks: 1, audit_log: 1, outbox: 1 });
  });

  it.each<[string, () => string]>([
    ['a guest', () => seedGuest(core, 'Gil', 'Neves').id],
    ['an owner', () => seedUser(core, { role: 'OWNER' }).id],
    ['an administrator', () => seedUser(core, { role: 'ADMIN' }).id],
    ['nobody', () => '01950000-0000-7000-8000-000000000000'],
  ])('refuses %s as assignee, naming assigneeId, and writes nothing', async (_who, assignee) => {
    const assigneeId = assignee();
    const before = countRows(core, ...WRITES);
    const error = await core.fails(ADMIN, 'tasks/create', newTask({ assigneeId }));
    expect(error).toMatchObject({ code: 'validation', fields: { assigneeId: expect.any(String) } });
    onlyRefusalsRecorded(core, before, countRows(core, ...WRITES));
  });

  it('refuses someone deactivated as assignee as a conflict, saying so, and writes nothing', async () => {
    const former = seedUser(core, { role: 'CLEANER', status: 'INACTIVE', firstName: 'Rita', lastName: 'Lopes' });
    const before = countRows(core, ...WRITES);
    const error = await core.fails(ADMIN, 'tasks/create', newTask({ assigneeId: former.id }));
    expect(error).toMatchObject({ code: 'conflict', fields: { assigneeId: expect.any(String) } });
    expect(error.message).toBe('Rita Lopes is deactivated, so the task cannot go to them: choose someone else.');
    onlyRefusalsRecorded(core, before, countRows(core, ...WRITES));
  });

  it.each<[string, () => Record<string, unknown>]>([
    ['reservationId', () => ({ reservationId: stayAtGraca.id })],
    ['status', () => ({ status: 'CANCELLED' })],
    ['completedAt', () => ({ completedAt: '2026-12-05T12:00:00Z' })],
    ['dueAt', () => ({ dueAt: '2026-12-05T10:00:00Z' })],
    ['currency', () => ({ costMinor: 3_000 })],
    ['type', () => ({ type: 'GARDENING' })],
  ])('refuses bad input naming %s, and writes nothing', async (field, overrides) => {
    const before = countRows(core, ...WRITES);
    const error = await core.fails(ADMIN, 'tasks/create', newTask(overrides()));
    expect(error.code).toBe('validation');
    expect(error.fields).toHaveProperty([field]);
    onlyRefusalsRecorded(core, before, countRows(core, ...WRITES));
  });

  it('accepts maintenance staff, agents and managers as assignees', async () => {
    const manager = await seedStaff(core, 'MANAGER');
    await core.ok(ADMIN, 'tasks/create', newTask({ type: 'MAINTENANCE', assigneeId: mario.id }));
    for (const assignee of [agentA, manager]) {
      await core.ok(ADMIN, 'tasks/create', newTask({ assigneeId: assignee.id }));
    }
    expect(countRows(core, 'tasks').tasks).toBe(3);
  });

  it('gives field staff only the work of their trade, saying who may take it, and writes nothing else', async () => {
    await core.ok(ADMIN, 'tasks/create', newTask({ type: 'INSPECTION', assigneeId: carla.id }));
    const before = countRows(core, ...WRITES);
    const repair = await core.fails(ADMIN, 'tasks/create', newTask({ type: 'MAINTENANCE', assigneeId: carla.id }));
    expect(repair).toMatchObject({ code: 'validation', fields: { assigneeId: expect.any(String) } });
    expect(repair.message).toBe(
      `Assignee must be a maintenance staff member, an agent or a manager for maintenance: ${carla.firstName} ${carla.lastName} is a cleaner.`,
    );
    const clean = await core.fails(ADMIN, 'tasks/create', newTask({ assigneeId: mario.id }));
    expect(clean.message).toMatch(
      /^Assignee must be a cleaner, an agent or a manager for cleaning: .+ is a maintenance staff member\.$/,
    );
    const checkIn = await core.fails(ADMIN, 'tasks/create', newTask({ type: 'CHECK_IN', assigneeId: carla.id }));
    expect(checkIn.message).toMatch(/^Assignee must be an agent or a manager for a check-in:/);
    onlyRefusalsRecorded(core, before, countRows(core, ...WRITES));
    // Changing the type of a task someone has is the same question.
    const mine = await core.ok<Task>(ADMIN, 'tasks/create', newTask({ assigneeId: duarte.id }));
    const moved = await core.fails(ADMIN, 'tasks/update', { id: mine.id, changes: { type: 'MAINTENANCE' } });
    expect(moved.fields).toHaveProperty('assigneeId');
    const assigned = await core.fails(ADMIN, 'tasks/assign', {
      id: (await core.ok<Task>(ADMIN, 'tasks/create', newTask({ type: 'MAINTENANCE' }))).id,
      assigneeId: carla.id,
    });
    expect(assigned.fields).toHaveProperty('assigneeId');
    expect(taskRowById(core, mine.id).type).toBe('CLEANING');
  });

  it('updates a task, keeping to the status flow and naming the merged field that is wrong', async () => {
    const task = await core.ok<Task>(ADMIN, 'tasks/create', newTask());
    const updated = await core.ok<Task>(ADMIN, 'tasks/update', {
      id: task.id,
      changes: { title: 'Deep clean', priority: 'HIGH', dueAt: '2026-12-05T15:00:00Z' },
    });
    expect(updated).toMatchObject({ title: 'Deep clean', priority: 'HIGH', dueAt: '2026-12-05T15:00:00.000Z' });

    const before = countRows(core, ...WRITES);
    const early = await core.fails(ADMIN, 'tasks/update', { id: task.id, changes: { dueAt: '2026-12-05T09:00:00Z' } });
    expect(early.fields).toHaveProperty(['dueAt']);
    const cost = await core.fails(ADMIN, 'tasks/update', { id: task.id, changes: { costMinor: 2_500 } });
    expect(cost.fields).toHaveProperty(['currency']);
    const stay = await core.fails(ADMIN, 'tasks/update', { id: task.id, changes: { reservationId: stayAtGraca.id } });
    expect(stay.fields).toHaveProperty(['reservationId']);
    onlyRefusalsRecorded(core, before, countRows(core, ...WRITES));
  });

  it('completing through update stamps completedAt; a completed task cannot be reopened', async () => {
    const task = await core.ok<Task>(ADMIN, 'tasks/create', newTask());
    const done = await core.ok<Task>(ADMIN, 'tasks/update', { id: task.id, changes: { status: 'COMPLETED' } });
    expect(done.completedAt).toBe(core.clock.now.toISOString());
    const error = await core.fails(ADMIN, 'tasks/update', { id: task.id, changes: { status: 'PENDING' } });
    expect(error.code).toBe('conflict');
  });

  it('assigns and unassigns, with the same rule for who may be assigned', async () => {
    const task = await core.ok<Task>(ADMIN, 'tasks/create', newTask());
    expect((await core.ok<Task>(ADMIN, 'tasks/assign', { id: task.id, assigneeId: duarte.id })).assigneeId).toBe(
      duarte.id,
    );
    expect((await core.ok<Task>(ADMIN, 'tasks/assign', { id: task.id, assigneeId: null })).assigneeId).toBeNull();
    const guest = seedGuest(core, 'Gil', 'Neves');
    const error = await core.fails(ADMIN, 'tasks/assign', { id: task.id, assigneeId: guest.id });
    expect(error.fields).toHaveProperty('assigneeId');
    await setStatus(ADMIN, task.id, 'CANCELLED');
    expect((await core.fails(ADMIN, 'tasks/assign', { id: task.id, assigneeId: carla.id })).code).toBe('conflict');
  });
});

describe('the status of a task', () => {
  it('moves along the flow and stamps completedAt when completed', async () => {
    const task = seedTask(core, alfama.id);
    await setStatus(ADMIN, task.id, 'ON_HOLD');
    await setStatus(ADMIN, task.id, 'PENDING');
    await setStatus(ADMIN, task.id, 'IN_PROGRESS');
    core.clock.advance(60_000);
    const written = await rowsWrittenBy(core, WRITES, () => setStatus(ADMIN, task.id, 'COMPLETED'));
    expect(written).toEqual({ tasks: 0, audit_log: 1, outbox: 1 });
    expect(taskRowById(core, task.id)).toMatchObject({ status: 'COMPLETED', completedAt: '2026-11-24T09:01:00.000Z' });
  });

  it.each<[TaskStatus, TaskStatus]>([
    ['PENDING', 'PENDING'],
    ['IN_PROGRESS', 'PENDING'],
    ['ON_HOLD', 'COMPLETED'],
    ['COMPLETED', 'IN_PROGRESS'],
    ['CANCELLED', 'PENDING'],
  ])('refuses %s → %s as a conflict, changing nothing', async (from, to) => {
    const task = seedTask(core, alfama.id, { status: from });
    const before = countRows(core, ...WRITES);
    const error = await core.fails(ADMIN, 'tasks/set-status', { id: task.id, status: to });
    expect(error.code).toBe('conflict');
    expect(error.message).toMatch(
      new RegExp(`^A task that is ${statusWords(from)} cannot become ${statusWords(to)}[;.]`),
    );
    onlyRefusalsRecorded(core, before, countRows(core, ...WRITES));
  });
});

describe('field staff and agents', () => {
  it('a cleaner sees only their own tasks, completes them, and cannot touch anyone else’s', async () => {
    const mine = seedTask(core, alfama.id, { assigneeId: carla.id, scheduledAt: '2026-12-05T11:00:00.000Z' });
    const hers = seedTask(core, alfama.id, { assigneeId: duarte.id, scheduledAt: '2026-12-05T11:00:00.000Z' });
    seedTask(core, graca.id, { title: 'Unassigned' });
    await signInAs(core, 'carla', carla);

    const page = await core.ok<Page>('carla', 'tasks/list', {});
    expect(page.items.map((t) => t.id)).toEqual([mine.id]);
    expect(page.items[0]?.propertyName).toBe('Alfama Loft');
    expect(page.items[0]?.assigneeName).toBe(`${carla.firstName} ${carla.lastName}`);
    expect((await core.ok<Task>('carla', 'tasks/get', { id: mine.id })).id).toBe(mine.id);

    const before = countRows(core, ...WRITES);
    expect((await core.fails('carla', 'tasks/get', { id: hers.id })).code).toBe('not_found');
    expect((await core.fails('carla', 'tasks/set-status', { id: hers.id, status: 'COMPLETED' })).code).toBe(
      'not_found',
    );
    expect((await core.fails('carla', 'tasks/set-status', { id: mine.id, status: 'CANCELLED' })).code).toBe(
      'forbidden',
    );
    onlyRefusalsRecorded(core, before, countRows(core, ...WRITES));
    expect(taskRowById(core, hers.id).status).toBe('PENDING');

    await setStatus('carla', mine.id, 'IN_PROGRESS');
    await setStatus('carla', mine.id, 'ON_HOLD');
    // Back to PENDING is the office's call.
    expect((await core.fails('carla', 'tasks/set-status', { id: mine.id, status: 'PENDING' })).code).toBe('forbidden');
    await setStatus('carla', mine.id, 'IN_PROGRESS');
    const done = await setStatus('carla', mine.id, 'COMPLETED');
    expect(done).toMatchObject({ status: 'COMPLETED', completedAt: core.clock.now.toISOString() });
  });

  it('field staff may not create, change or assign tasks', async () => {
    const mine = seedTask(core, alfama.id, { assigneeId: mario.id });
    await signInAs(core, 'mario', mario);
    for (const [name, input] of [
      ['tasks/create', newTask()],
      ['tasks/update', { id: mine.id, changes: { title: 'Easier' } }],
      ['tasks/assign', { id: mine.id, assigneeId: null }],
    ] as const) {
      expect((await core.fails('mario', name, input)).code, name).toBe('forbidden');
    }
    expect((await core.ok<Page>('mario', 'tasks/list', { mine: true })).items.map((t) => t.id)).toEqual([mine.id]);
  });

  it('an agent works only on the tasks of their own properties', async () => {
    const mine = seedTask(core, alfama.id);
    const theirs = seedTask(core, graca.id);
    await signInAs(core, 'agent-a', agentA);

    expect((await core.ok<Page>('agent-a', 'tasks/list', {})).items.map((t) => t.id)).toEqual([mine.id]);
    const before = countRows(core, ...WRITES);
    for (const [name, input] of [
      ['tasks/get', { id: theirs.id }],
      ['tasks/update', { id: theirs.id, changes: { title: 'Mine now' } }],
      ['tasks/assign', { id: theirs.id, assigneeId: carla.id }],
      ['tasks/set-status', { id: theirs.id, status: 'CANCELLED' }],
      ['tasks/create', newTask({ propertyId: graca.id })],
    ] as const) {
      expect((await core.fails('agent-a', name, input)).code, name).toBe('not_found');
    }
    onlyRefusalsRecorded(core, before, countRows(core, ...WRITES));
    await core.ok('agent-a', 'tasks/assign', { id: mine.id, assigneeId: carla.id });
    await core.ok('agent-a', 'tasks/create', newTask({ assigneeId: agentA.id }));
    expect((await core.ok<Page>('agent-a', 'tasks/list', { mine: true })).items).toHaveLength(1);
  });
});

describe('listing tasks', () => {
  it('sorts by scheduled time, unscheduled last, and pages with a cursor', async () => {
    const at = (scheduledAt: string | null) => seedTask(core, alfama.id, { scheduledAt }).id;
    const expected = [
      at('2026-12-01T09:00:00.000Z'),
      at('2026-12-01T09:00:00.000Z'),
      at('2026-12-02T09:00:00.000Z'),
      at(null),
      at(null),
    ];
    // Ties break on id, which is time-ordered: creation order here.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await core.ok<Page>(ADMIN, 'tasks/list', { limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((t) => t.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(expected);
  });

  it('filters by time range, status, type, property, reservation and assignee', async () => {
    const seed = (overrides: Record<string, unknown>, property = alfama) => seedTask(core, property.id, overrides).id;
    const first = seed({ scheduledAt: '2026-12-01T09:00:00.000Z', assigneeId: carla.id });
    const second = seed({ scheduledAt: '2026-12-02T09:00:00.000Z', type: 'MAINTENANCE', status: 'ON_HOLD' });
    const third = seed({ scheduledAt: '2026-12-03T09:00:00.000Z', reservationId: stayAtGraca.id }, graca);
    seed({ scheduledAt: null });
    const ids = async (input: Record<string, unknown>) =>
      (await core.ok<Page>(ADMIN, 'tasks/list', input)).items.map((t) => t.id);

    expect(await ids({ from: '2026-12-02', to: '2026-12-03' })).toEqual([second]);
    expect(await ids({ from: '2026-12-01T10:00:00+01:00' })).toEqual([first, second, third]);
    expect(await ids({ to: '2026-12-02T09:00:00Z' })).toEqual([first]);
    expect(await ids({ status: ['ON_HOLD'] })).toEqual([second]);
    expect(await ids({ type: 'MAINTENANCE' })).toEqual([second]);
    expect(await ids({ propertyId: graca.id })).toEqual([third]);
    expect(await ids({ reservationId: stayAtGraca.id })).toEqual([third]);
    expect(await ids({ assigneeId: carla.id })).toEqual([first]);
    const bad = await core.fails(ADMIN, 'tasks/list', { from: 'tomorrow' });
    expect(bad.fields).toHaveProperty('from');
  });
});

describe('today’s tasks where the properties are', () => {
  it('reads a calendar date as that day on each property’s local clocks, not in UTC', async () => {
    const tokyo = seedProperty(core, seedLocation(core, { timeZone: 'Asia/Tokyo', currency: 'JPY' }).id, {
      name: 'Shibuya Flat',
      currency: 'JPY',
    });
    const newYork = seedProperty(core, seedLocation(core, { timeZone: 'America/New_York', currency: 'USD' }).id, {
      name: 'Chelsea Walk-up',
      currency: 'USD',
    });
    const at = (property: Property, scheduledAt: string) => seedTask(core, property.id, { scheduledAt }).id;
    // 5 December in Tokyo (UTC+9) runs from 4 Dec 15:00 to 5 Dec 15:00 UTC; in New York (UTC−5)
    // from 5 Dec 05:00 to 6 Dec 05:00 UTC.
    const tokyoEarly = at(tokyo, '2026-12-04T15:30:00.000Z');
    const tokyoLate = at(tokyo, '2026-12-05T14:30:00.000Z');
    at(tokyo, '2026-12-05T23:00:00.000Z'); // the 6th in Tokyo
    at(newYork, '2026-12-05T03:00:00.000Z'); // still the 4th in New York
    const newYorkEvening = at(newYork, '2026-12-06T01:00:00.000Z');
    const lisbonNoon = at(alfama, '2026-12-05T12:00:00.000Z');

    const today = await core.ok<Page>(ADMIN, 'tasks/list', { from: '2026-12-05', to: '2026-12-06' });
    expect(today.items.map((t) => t.id)).toEqual([tokyoEarly, lisbonNoon, tokyoLate, newYorkEvening]);
    expect(today).toMatchObject({ total: 4 });
    // An instant is one moment everywhere.
    const since = await core.ok<Page>(ADMIN, 'tasks/list', {
      from: '2026-12-05T14:00:00Z',
      to: '2026-12-05T15:00:00Z',
    });
    expect(since.items.map((t) => t.id)).toEqual([tokyoLate]);
    const reversed = await core.fails(ADMIN, 'tasks/list', { from: '2026-12-06', to: '2026-12-05' });
    expect(reversed.fields).toHaveProperty('to');
  });
});

describe('who a task goes to', () => {
  type Assignee = {
    id: string;
    firstName: string;
    role: string;
    locationName: string | null;
    eligible: boolean;
    suited: boolean;
  };
  const assignees = async (input: Record<string, unknown>) =>
    (await core.ok<{ items: Assignee[] }>(ADMIN, 'tasks/assignees', input)).items;

  it('shows each person’s role and where they work, those whose work it is first, and who may not take it', async () => {
    const porto = seedLocation(core, { name: 'Porto', timeZone: 'Europe/Lisbon' });
    const ribeira = seedProperty(core, porto.id, { name: 'Ribeira Duplex' });
    seedTask(core, alfama.id, { assigneeId: carla.id });
    seedTask(core, ribeira.id, { assigneeId: duarte.id });
    seedTask(core, ribeira.id, { assigneeId: mario.id, type: 'MAINTENANCE' });

    const clean = await assignees({ type: 'CLEANING', propertyId: alfama.id });
    expect(clean.slice(0, 2).map((p) => [p.firstName, p.role, p.locationName])).toEqual([
      ['Carla', 'CLEANER', expect.stringMatching(/^Lisbon/)],
      ['Duarte', 'CLEANER', 'Porto'],
    ]);
    expect(clean.find((p) => p.firstName === 'Mário')).toMatchObject({ eligible: false, suited: false });
    expect(clean.find((p) => p.firstName === 'Alice')).toMatchObject({ role: 'AGENT', eligible: true, suited: false });

    const repair = await assignees({ type: 'MAINTENANCE' });
    expect(repair[0]).toMatchObject({ firstName: 'Mário', role: 'MAINTENANCE_STAFF', locationName: 'Porto' });
    expect(repair.filter((p) => p.role === 'CLEANER').every((p) => !p.eligible)).toBe(true);
    expect(
      (await assignees({ type: 'CHECK_IN' }))
        .filter((p) => p.eligible)
        .map((p) => p.role)
        .sort(),
    ).toEqual(['AGENT', 'AGENT']);
    expect((await assignees({ search: 'Duarte' })).map((p) => p.firstName)).toEqual(['Duarte']);
  });

  it('is for the office: field staff are refused', async () => {
    await signInAs(core, 'carla', carla);
    expect((await core.fails('carla', 'tasks/assignees', { type: 'CLEANING' })).code).toBe('forbidden');
  });
});

describe('a task’s page for the person doing it', () => {
  it('gives a cleaner the address, access notes, the next arrival’s day and guest count, and a checklist: no guest’s name, contact or money', async () => {
    core.database.sqlite
      .prepare('UPDATE properties SET access_notes = ? WHERE id = ?')
      .run('Key box by the door, code 4821', alfama.id);
    const ana = seedGuest(core, 'Beatriz', 'Lopes', { email: 'beatriz@example.com', phone: '+351 912 000 111' });
    seedReservation(core, alfama.id, ana.id, { checkIn: '2026-12-05', checkOut: '2026-12-07', status: 'CANCELLED' });
    seedReservation(core, alfama.id, ana.id, { checkIn: '2026-12-07', checkOut: '2026-12-09', guests: 3 });
    const clean = seedTask(core, alfama.id, {
      assigneeId: carla.id,
      reservationId: stayAtAlfama.id,
      scheduledAt: '2026-12-05T11:00:00.000Z',
      estimatedCostMinor: 4_000,
      currency: 'EUR',
      notes: 'Extra towels for the sofa bed',
    });
    await signInAs(core, 'carla', carla);

    const page = await core.ok<Record<string, unknown>>('carla', 'tasks/get', { id: clean.id });
    expect(page).toMatchObject({
      id: clean.id,
      propertyName: 'Alfama Loft',
      assigneeName: `${carla.firstName} ${carla.lastName}`,
      notes: 'Extra towels for the sofa bed',
      property: {
        address: 'Rua dos Remédios 12, Lisboa',
        accessNotes: 'Key box by the door, code 4821',
        houseRules: ['no smoking'],
        timeZone: 'Europe/Lisbon',
      },
      nextArrival: { checkIn: '2026-12-07', guests: 3 },
      checklist: expect.arrayContaining(['Make the beds with fresh linen']),
    });
    expect(Object.keys(page.nextArrival as object).sort()).toEqual(['checkIn', 'guests']);
    const text = JSON.stringify(page);
    for (const secret of ['Beatriz', 'beatriz@example.com', '+351', 'Ana Silva', 'ana@example.com']) {
      expect(text).not.toContain(secret);
    }
    expect(page).not.toHaveProperty('estimatedCostMinor');
    expect(page).not.toHaveProperty('currency');

    // With no stay ahead, there is no next arrival.
    const later = seedTask(core, alfama.id, { assigneeId: carla.id, scheduledAt: '2027-01-10T10:00:00.000Z' });
    expect((await core.ok<{ nextArrival: unknown }>('carla', 'tasks/get', { id: later.id })).nextArrival).toBeNull();
  });
  it('keeps the checklist on the task: the cleaner ticks steps, the office sees them, nothing else is accepted', async () => {
    const clean = seedTask(core, alfama.id, { assigneeId: carla.id });
    const [strip, kitchen, , beds] = TASK_CHECKLISTS.CLEANING;
    await signInAs(core, 'carla', carla);
    await core.ok('carla', 'tasks/check-step', { id: clean.id, step: beds, done: true });
    await core.ok('carla', 'tasks/check-step', { id: clean.id, step: strip, done: true });
    await core.ok('carla', 'tasks/check-step', { id: clean.id, step: kitchen, done: true });
    await core.ok('carla', 'tasks/check-step', { id: clean.id, step: kitchen, done: false });
    // In the checklist's order, whatever order they were ticked in; the office reads the same.
    const seen = await core.ok<{ checklistDone: string[] }>(ADMIN, 'tasks/get', { id: clean.id });
    expect(seen.checklistDone).toEqual([strip, beds]);
    // A tick that changes nothing writes nothing: no audit row, nothing to send.
    const unchanged = countRows(core, ...WRITES);
    await core.ok('carla', 'tasks/check-step', { id: clean.id, step: beds, done: true });
    expect(countRows(core, ...WRITES)).toEqual(unchanged);

    const other = seedTask(core, graca.id, { assigneeId: duarte.id });
    const before = countRows(core, ...WRITES);
    const unknown = await core.fails('carla', 'tasks/check-step', {
      id: clean.id,
      step: 'Paint the walls',
      done: true,
    });
    expect(unknown).toMatchObject({
      code: 'validation',
      fields: { checklistDone: expect.stringContaining('Paint the walls') },
    });
    // Someone else's task is not there for her.
    expect((await core.fails('carla', 'tasks/check-step', { id: other.id, step: strip, done: true })).code).toBe(
      'not_found',
    );
    onlyRefusalsRecorded(core, before, countRows(core, ...WRITES));

    // Once the task is complete, its checklist is closed.
    await core.ok('carla', 'tasks/set-status', { id: clean.id, status: 'IN_PROGRESS' });
    await core.ok('carla', 'tasks/set-status', { id: clean.id, status: 'COMPLETED' });
    const closed = await core.fails('carla', 'tasks/check-step', { id: clean.id, step: kitchen, done: true });
    expect(closed).toMatchObject({ code: 'conflict' });
    expect(closed.message).toBe('This task is completed: its checklist can no longer change.');
    // Its type can still be corrected: the old type's ticks go with it.
    await core.ok(ADMIN, 'tasks/update', { id: clean.id, changes: { type: 'INSPECTION' } });
    expect((await core.ok<{ checklistDone: string[] }>(ADMIN, 'tasks/get', { id: clean.id })).checklistDone).toEqual(
      [],
    );

    // Another type of task has other steps: changing the type clears the ticks.
    const visit = seedTask(core, alfama.id, { assigneeId: carla.id });
    await core.ok('carla', 'tasks/check-step', { id: visit.id, step: strip, done: true });
    await core.ok(ADMIN, 'tasks/update', { id: visit.id, changes: { type: 'INSPECTION' } });
    expect((await core.ok<{ checklistDone: string[] }>(ADMIN, 'tasks/get', { id: visit.id })).checklistDone).toEqual(
      [],
    );
  });
});
