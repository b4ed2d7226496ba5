// The shape endpoint, through the official @electric-sql/client: each table syncs, live changes
// arrive, a reset log is survived, and a role sees only its scope.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locationRow, propertyRow, reservationRow, taskRow, userRow } from '../db/fixtures.js';
import {
  addUser,
  ApiClient,
  changeset,
  insert,
  rowsById,
  startSyncServer,
  until,
  update,
  type Json,
  type TestSyncServer,
} from './sync-harness.js';

let env: TestSyncServer;
let admin: ApiClient;
let agentA: { id: string; email: string };
let agentB: { id: string; email: string };
let cleaner: { id: string; email: string };
const location = locationRow();
let guest: ReturnType<typeof userRow>;
let propertyA: ReturnType<typeof propertyRow>;
let propertyB: ReturnType<typeof propertyRow>;

beforeAll(async () => {
  env = await startSyncServer();
  const adminUser = await addUser(env.central, 'ADMIN');
  agentA = await addUser(env.central, 'AGENT');
  agentB = await addUser(env.central, 'AGENT');
  cleaner = await addUser(env.central, 'CLEANER');
  admin = await ApiClient.signIn(env.url, adminUser.email);
  guest = userRow({ role: 'GUEST', email: 'guest.private@example.com' });
  propertyA = propertyRow(location.id, { agentId: agentA.id, nickname: 'A1' });
  propertyB = propertyRow(location.id, { agentId: agentB.id, nickname: 'B1' });
  const results = await admin.push(
    changeset([
      insert('locations', location),
      insert('users', guest),
      insert('properties', propertyA),
      insert('properties', propertyB),
    ]),
  );
  expect(results[0]).toMatchObject({ status: 'applied' });
});

afterAll(async () => {
  await env?.close();
});

describe('each table syncs through ShapeStream', () => {
  it.each(['users', 'locations', 'properties', 'reservations', 'tasks', 'ledger_entries', 'audit_log'] as const)(
    '%s: the initial rows arrive and the stream is up to date',
    async (table) => {
      const { shape, stream } = admin.shape(table);
      const rows = await shape.rows;
      expect(stream.isUpToDate).toBe(true);
      const expected = {
        users: 5,
        locations: 1,
        properties: 2,
        reservations: 0,
        tasks: 0,
        ledger_entries: 0,
        audit_log: 0,
      }[table];
      expect(rows.length).toBeGreaterThanOrEqual(expected);
      stream.unsubscribeAll();
    },
  );

  it('a live insert, update and delete made through /v1/changesets arrive, with the txid that wrote them', async () => {
    const { shape, stream } = admin.shape('users');
    await shape.rows;
    const person = userRow({ role: 'GUEST', firstName: 'Live' });
    const [inserted] = await admin.push(changeset([insert('users', person)]));
    await until(shape, (rows) => rows.get(person.id)?.first_name === 'Live');
    await admin.push(
      changeset([update('users', person.id, { first_name: 'Changed', updated_at: new Date().toISOString() })]),
    );
    await until(shape, (rows) => rows.get(person.id)?.first_name === 'Changed');
    await admin.push(changeset([{ table: 'users', op: 'delete', id: person.id }]));
    await until(shape, (rows) => !rows.has(person.id));
    expect(inserted.txid).toBeGreaterThan(0);
    stream.unsubscribeAll();
  });

  it('values arrive typed by the schema header: integers, booleans, lists, json', async () => {
    const { shape, stream } = admin.shape('properties');
    const rows = await shape.rows;
    const a = rows.find((r) => r.id === propertyA.id)!;
    expect(a.capacity).toBe(4);
    expect(a.bathrooms).toBe(1.5);
    expect(a.price_per_night_minor).toBe(12_000n);
    expect(a.amenities).toEqual(['wifi', 'washer']);
    stream.unsubscribeAll();
  });
});

describe('scoping', () => {
  it('an agent never receives another agent’s property, and a reassigned property is deleted from the old agent’s shape', async () => {
    const agent = await ApiClient.signIn(env.url, agentA.email);
    const { shape, stream } = agent.shape('properties');
    const ids = (await shape.rows).map((r) => r.id);
    expect(ids).toContain(propertyA.id);
    expect(ids).not.toContain(propertyB.id);

    await admin.push(
      changeset([update('properties', propertyA.id, { agent_id: agentB.id, updated_at: new Date().toISOString() })]),
    );
    await until(shape, (rows) => !rows.has(propertyA.id));

    await admin.push(
      changeset([update('properties', propertyB.id, { agent_id: agentA.id, updated_at: new Date().toISOString() })]),
    );
    await until(shape, (rows) => rows.has(propertyB.id));
    expect(rowsById(shape).get(propertyB.id)?.name).toBe(propertyB.name);
    stream.unsubscribeAll();
  });

  it('a cleaner never receives a ledger row or a guest’s email', async () => {
    const c = await ApiClient.signIn(env.url, cleaner.email);
    const ledger = await c.request('GET', '/v1/shape?table=ledger_entries&offset=-1');
    expect(ledger.status).toBe(403);
    // Of the users, only their own row: their device signs them in and names them from it.
    const users = await c.request('GET', '/v1/shape?table=users&offset=-1');
    expect(users.status).toBe(200);
    const userIds = (users.body as Json[]).filter((m) => m.key).map((m) => m.value.id);
    expect(userIds).toEqual([cleaner.id]);
    // Stays, only once they work at the property (the test below).
    const reservations = await c.request('GET', '/v1/shape?table=reservations&offset=-1');
    expect(reservations.status).toBe(200);
    expect((reservations.body as Json[]).filter((m) => m.key)).toEqual([]);
  });

  it('a cleaner receives their tasks and only the operational columns of those properties', async () => {
    const task = taskRow(propertyA.id, { assigneeId: cleaner.id });
    const other = taskRow(propertyB.id);
    await admin.push(changeset([insert('tasks', task), insert('tasks', other)]));
    const c = await ApiClient.signIn(env.url, cleaner.email);
    const tasks = c.shape('tasks');
    expect((await tasks.shape.rows).map((r) => r.id)).toEqual([task.id]);
    expect(Object.keys((await tasks.shape.rows)[0]!)).not.toContain('cost_minor');
    const props = c.shape('properties');
    const rows = await props.shape.rows;
    expect(rows.map((r) => r.id)).toEqual([propertyA.id]);
    expect(Object.keys(rows[0]!)).not.toContain('price_per_night_minor');
    expect(Object.keys(rows[0]!)).not.toContain('owner_id');
    tasks.stream.unsubscribeAll();
    props.stream.unsubscribeAll();
  });

  it('a cleaner receives the stays where they work: the days and the party size, not the guest or the money', async () => {
    const here = reservationRow(propertyA.id, guest.id, { checkIn: '2027-05-01', checkOut: '2027-05-04', guests: 3 });
    const elsewhere = reservationRow(propertyB.id, guest.id, { checkIn: '2027-05-01', checkOut: '2027-05-04' });
    expect(
      await admin.push(changeset([insert('reservations', here), insert('reservations', elsewhere)])),
    ).toMatchObject([{ status: 'applied' }]);
    const c = await ApiClient.signIn(env.url, cleaner.email);
    const { shape, stream } = c.shape('reservations');
    const rows = await shape.rows;
    expect(rows.map((r) => r.id)).toEqual([here.id]);
    expect(rows[0]).toMatchObject({ check_in: '2027-05-01', check_out: '2027-05-04', guests: 3 });
    expect(Object.keys(rows[0]!).sort()).toEqual([
      'check_in',
      'check_out',
      'created_at',
      'guests',
      'id',
      'property_id',
      'status',
      'updated_at',
    ]);
    // Asking for more columns, or filtering on a hidden one, is refused: nothing leaks through a where.
    const wider = await c.request('GET', '/v1/shape?table=reservations&offset=-1&columns=id,guest_email');
    expect(wider.status).toBe(400);
    const probe = await c.request(
      'GET',
      `/v1/shape?table=reservations&offset=-1&where=${encodeURIComponent("guest_email = 'ana@example.com'")}`,
    );
    expect(probe.status).toBe(400);
    stream.unsubscribeAll();
  });
});
