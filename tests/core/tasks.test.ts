import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
    for (const assignee of [mario, agentA, manager]) {
      await core.ok(ADMIN, 'tasks/create', newTask({ assigneeId: assignee.id }));
    }
    expect(countRows(core, 'tasks').tasks).toBe(3);
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
