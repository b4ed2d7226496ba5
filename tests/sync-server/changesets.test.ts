// POST /v1/changesets: validated with the contracts, authorised against the server's rows,
// all or nothing per changeset, exactly once by id.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerRow, locationRow, propertyRow, reservationRow, taskRow, userRow } from '../db/fixtures.js';
import {
  addUser,
  ApiClient,
  AuditTrail,
  changeset,
  insert,
  PASSWORD,
  update,
  startSyncServer,
  type AuditEntry,
  type TestSyncServer,
} from './sync-harness.js';

let env: TestSyncServer;
let manager: ApiClient;
let agent: ApiClient;
let cleaner: ApiClient;
let cleanerId: string;
let agentId: string;
let agentEmail: string;
const location = locationRow();
const guest = userRow({ role: 'GUEST' });
let property: ReturnType<typeof propertyRow>;

const count = async (table: string, where = 'true', params: unknown[] = []) =>
  Number(
    (await env.central.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table} WHERE ${where}`, params))[0]!.n,
  );

beforeAll(async () => {
  env = await startSyncServer();
  const m = await addUser(env.central, 'MANAGER');
  const a = await addUser(env.central, 'AGENT');
  const c = await addUser(env.central, 'CLEANER');
  agentId = a.id;
  agentEmail = a.email;
  cleanerId = c.id;
  [manager, agent, cleaner] = await Promise.all([
    ApiClient.signIn(env.url, m.email),
    ApiClient.signIn(env.url, a.email),
    ApiClient.signIn(env.url, c.email),
  ]);
  property = propertyRow(location.id, { agentId });
  const [result] = await manager.push(
    changeset([insert('locations', location), insert('users', guest), insert('properties', property)]),
  );
  expect(result).toMatchObject({ status: 'applied' });
});

afterAll(async () => {
  await env?.close();
});

/** A stay with a completed guest payment of `amount`, on the server. */
async function paidStay(checkIn: string, checkOut: string, amount: number) {
  const stay = reservationRow(property.id, guest.id, { checkIn, checkOut });
  const payment = ledgerRow(guest.id, {
    reservationId: stay.id,
    propertyId: property.id,
    amountMinor: amount,
    platformFeeMinor: 0,
    netAmountMinor: amount,
  });
  const [result] = await manager.push(changeset([insert('reservations', stay), insert('ledger_entries', payment)]));
  expect(result).toMatchObject({ status: 'applied' });
  return { stay, payment };
}

/** A refund of `amount` from a paid stay's payment, placed where the payment is unless told otherwise. */
const refundOf = (paid: Awaited<ReturnType<typeof paidStay>>, amount: number, placed = true) =>
  ledgerRow(guest.id, {
    type: 'REFUND',
    ...(placed ? { reservationId: paid.stay.id, propertyId: property.id } : {}),
    referenceEntryId: paid.payment.id,
    amountMinor: amount,
    platformFeeMinor: 0,
    netAmountMinor: amount,
  });

describe('changesets', () => {
  it('a retried changeset is applied once and answers its first result again', async () => {
    const task = taskRow(property.id);
    const set = changeset([insert('tasks', task)]);
    const first = await manager.push(set);
    const again = await manager.push(set);
    expect(again).toEqual(first);
    expect(first[0]).toMatchObject({ status: 'applied', txid: expect.any(Number) });
    expect(await count('tasks', 'id = $1', [task.id])).toBe(1);
    expect(await count('change_log', 'row_id = $1', [task.id])).toBe(1);
  });

  it('the same changeset sent twice at once is still applied once', async () => {
    const task = taskRow(property.id);
    const set = changeset([insert('tasks', task)]);
    const [a, b] = await Promise.all([manager.push(set), manager.push(set)]);
    expect(a).toEqual(b);
    expect(await count('tasks', 'id = $1', [task.id])).toBe(1);
  });

  it('a changeset with one bad op writes nothing, and names the op and the field', async () => {
    const good = taskRow(property.id);
    const bad = reservationRow(property.id, guest.id, { checkIn: '2027-01-10', checkOut: '2027-01-08' });
    const [result] = await manager.push(changeset([insert('tasks', good), insert('reservations', bad)]));
    // Where it lies travels beside the words: the op and the form field.
    expect(result).toMatchObject({ status: 'rejected', code: 'validation', op: 1, field: 'checkOut' });
    expect(result.message).toBe('Check-out must be after the check-in date.');
    expect(await count('tasks', 'id = $1', [good.id])).toBe(0);
    expect(await count('change_log', 'row_id = $1', [good.id])).toBe(0);
  });

  it('an overlapping booking from a second device is rejected with conflict', async () => {
    const first = reservationRow(property.id, guest.id, { checkIn: '2027-02-01', checkOut: '2027-02-05' });
    const second = reservationRow(property.id, guest.id, { checkIn: '2027-02-04', checkOut: '2027-02-08' });
    const [a] = await manager.push(changeset([insert('reservations', first)]));
    const secondDevice = await ApiClient.signIn(env.url, agentEmail, PASSWORD, 'device-b');
    const [b] = await secondDevice.push(changeset([insert('reservations', second)], 'device-b'));
    expect(a).toMatchObject({ status: 'applied' });
    expect(b).toMatchObject({ status: 'rejected', code: 'conflict' });
    expect(b.message).toMatch(/already booked/);
  });

  it('a cleaner’s changeset touching the ledger is rejected as forbidden', async () => {
    const entry = ledgerRow(cleanerId, { propertyId: property.id });
    const [result] = await cleaner.push(changeset([insert('ledger_entries', entry)]));
    expect(result).toMatchObject({ status: 'rejected', code: 'forbidden' });
    expect(await count('ledger_entries', 'id = $1', [entry.id])).toBe(0);
  });

  it('an update or delete of a ledger row is rejected: the ledger is append-only', async () => {
    const entry = ledgerRow(guest.id, { propertyId: property.id });
    const [recorded] = await manager.push(changeset([insert('ledger_entries', entry)]));
    expect(recorded).toMatchObject({ status: 'applied' });
    const [edited] = await manager.push(changeset([update('ledger_entries', entry.id, { amount_minor: 1 })]));
    const [deleted] = await manager.push(changeset([{ table: 'ledger_entries', op: 'delete', id: entry.id }]));
    expect(edited).toMatchObject({ status: 'rejected', code: 'append_only' });
    expect(deleted).toMatchObject({ status: 'rejected', code: 'append_only' });
    const [row] = await env.central.query<{ amount_minor: string }>(
      `SELECT amount_minor::text FROM ledger_entries WHERE id = $1`,
      [entry.id],
    );
    expect(row!.amount_minor).toBe('48000');
  });

  it('one rejected changeset does not block the others, but one that builds on it is rejected too', async () => {
    const orphanLocation = locationRow({ timeZone: 'Not/AZone' });
    const dependent = propertyRow(orphanLocation.id);
    const independent = taskRow(property.id);
    const results = await manager.push(
      changeset([insert('locations', orphanLocation)]),
      changeset([insert('properties', dependent)]),
      changeset([insert('tasks', independent)]),
    );
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'applied']);
    expect(results[0].code).toBe('validation');
    expect(results[1].code).toBe('dependency_rejected');
    expect(await count('tasks', 'id = $1', [independent.id])).toBe(1);
  });

  it('a device’s claims count for nothing: an agent cannot book another agent’s property', async () => {
    const other = await addUser(env.central, 'AGENT');
    const theirs = propertyRow(location.id, { agentId: other.id });
    await manager.push(changeset([insert('properties', theirs)]));
    const booking = reservationRow(theirs.id, guest.id, { checkIn: '2027-03-01', checkOut: '2027-03-03' });
    const [result] = await agent.push(changeset([insert('reservations', booking)]));
    expect(result).toMatchObject({ status: 'rejected', code: 'forbidden' });
    const [reassign] = await agent.push(
      changeset([update('properties', property.id, { agent_id: other.id, updated_at: new Date().toISOString() })]),
    );
    expect(reassign).toMatchObject({ status: 'rejected', code: 'forbidden' });
  });

  it('state machines hold: a cancelled reservation cannot be confirmed again', async () => {
    const stay = reservationRow(property.id, guest.id, { checkIn: '2027-04-01', checkOut: '2027-04-03' });
    await manager.push(changeset([insert('reservations', stay)]));
    const [cancelled] = await manager.push(changeset([update('reservations', stay.id, { status: 'CANCELLED' })]));
    const [revived] = await manager.push(changeset([update('reservations', stay.id, { status: 'CONFIRMED' })]));
    expect(cancelled).toMatchObject({ status: 'applied' });
    expect(revived).toMatchObject({ status: 'rejected', code: 'conflict' });
    expect(revived.message).toContain('cannot become confirmed');
  });

  it('concurrent updates merge per column', async () => {
    const task = taskRow(property.id);
    await manager.push(changeset([insert('tasks', task)]));
    await Promise.all([
      manager.push(changeset([update('tasks', task.id, { title: 'Deep clean' })])),
      agent.push(changeset([update('tasks', task.id, { notes: 'Key under the mat' })])),
    ]);
    const [row] = await env.central.query<{ title: string; notes: string }>(
      `SELECT title, notes FROM tasks WHERE id = $1`,
      [task.id],
    );
    expect(row).toEqual({ title: 'Deep clean', notes: 'Key under the mat' });
  });

  it('a user’s password hash can never be written by a device', async () => {
    const person = userRow({ role: 'GUEST' });
    const op = insert('users', person);
    op.values = { ...op.values, password_hash: 'x' };
    const [result] = await manager.push(changeset([op]));
    expect(result).toMatchObject({ status: 'rejected', code: 'validation' });
    expect(result).toMatchObject({ field: 'passwordHash' });
  });

  it('audit rows are taken only from the session’s own device, for its user and role or for no one', async () => {
    const trail = AuditTrail.of(agent, { id: agentId, role: 'AGENT' });
    const send = async (entry: AuditEntry, deviceId?: string) => {
      const [result] = await agent.push(changeset([entry.op], deviceId));
      if (result.status === 'applied') trail.kept(entry);
      return result;
    };
    const own = await send(trail.next());
    const anonymous = await send(trail.next({ actorId: null, actorRole: null }));
    const otherActor = await send(trail.next({ actorId: cleanerId, actorRole: 'CLEANER' }));
    const otherRole = await send(trail.next({ actorRole: 'ADMIN' }));
    const victim = new AuditTrail('victim-laptop', { id: agentId, role: 'AGENT' }, trail.seal);
    const rowOfOtherDevice = await send(victim.next());
    const fromOtherDevice = await send(victim.next(), 'victim-laptop');
    expect(own).toMatchObject({ status: 'applied' });
    expect(anonymous).toMatchObject({ status: 'applied' });
    expect(otherActor).toMatchObject({ status: 'rejected', code: 'forbidden' });
    expect(otherRole).toMatchObject({ status: 'rejected', code: 'forbidden' });
    expect(rowOfOtherDevice).toMatchObject({ status: 'rejected', code: 'validation' });
    expect(fromOtherDevice).toMatchObject({ status: 'rejected', code: 'forbidden' });
    expect(await count('audit_log', 'device_id = $1', [agent.deviceId])).toBe(2);
  });

  it('an update of nothing but updated_at still needs the grant and the scope', async () => {
    const task = taskRow(property.id);
    const stay = reservationRow(property.id, guest.id, { checkIn: '2027-08-01', checkOut: '2027-08-02' });
    await manager.push(changeset([insert('tasks', task), insert('reservations', stay)]));
    const stamp = { updated_at: new Date().toISOString() };
    const owner = await ApiClient.signIn(env.url, (await addUser(env.central, 'OWNER')).email);
    const [cleanerOnTask] = await cleaner.push(changeset([update('tasks', task.id, stamp)]));
    const [ownerOnStay] = await owner.push(changeset([update('reservations', stay.id, stamp)]));
    const [ownerOnTask] = await owner.push(changeset([update('tasks', task.id, stamp)]));
    for (const result of [cleanerOnTask, ownerOnStay, ownerOnTask])
      expect(result).toMatchObject({ status: 'rejected', code: 'forbidden' });
    const [managerStamp] = await manager.push(changeset([update('tasks', task.id, stamp)]));
    expect(managerStamp).toMatchObject({ status: 'applied' });
  });

  it('a refusal never tells whether a row exists', async () => {
    const stamp = { updated_at: new Date().toISOString() };
    const [existing] = await cleaner.push(changeset([update('locations', location.id, stamp)]));
    const [missing] = await cleaner.push(changeset([update('locations', userRow().id, stamp)]));
    expect(existing).toMatchObject({ status: 'rejected', code: 'forbidden' });
    expect(missing).toMatchObject({ status: 'rejected', code: 'forbidden' });
  });

  it('two refunds of one payment sent at once never return more than it', async () => {
    const paid = await paidStay('2027-09-01', '2027-09-03', 48_000);
    const other = await ApiClient.signIn(env.url, (await addUser(env.central, 'MANAGER')).email);
    const results = await Promise.all([
      manager.push(changeset([insert('ledger_entries', refundOf(paid, 48_000))])),
      other.push(changeset([insert('ledger_entries', refundOf(paid, 48_000))])),
    ]);
    expect(results.map(([r]) => r.status).sort()).toEqual(['applied', 'rejected']);
    const [refunded] = await env.central.query<{ total: string }>(
      `SELECT sum(amount_minor)::text AS total FROM ledger_entries WHERE reference_entry_id = $1`,
      [paid.payment.id],
    );
    expect(refunded!.total).toBe('48000');
  });

  it('a refund belongs where its payment does', async () => {
    const paid = await paidStay('2027-10-01', '2027-10-03', 5_000);
    const [result] = await manager.push(changeset([insert('ledger_entries', refundOf(paid, 1_000, false))]));
    expect(result).toMatchObject({ status: 'rejected', code: 'validation', field: 'reservationId' });
    expect(result.message).toContain('a refund goes back where its payment came from');
  });

  it('rows must fit together as on the desktop: agents, currencies, capacities, a task’s reservation', async () => {
    const rejected = async (op: ReturnType<typeof insert>, field: string) => {
      const [result] = await manager.push(changeset([op]));
      expect(result, field).toMatchObject({ status: 'rejected', code: 'validation', field });
    };
    await rejected(insert('properties', propertyRow(location.id, { agentId: guest.id })), 'agentId');
    await rejected(
      insert(
        'reservations',
        reservationRow(property.id, guest.id, { currency: 'USD', checkIn: '2027-05-01', checkOut: '2027-05-02' }),
      ),
      'currency',
    );
    await rejected(
      insert(
        'reservations',
        reservationRow(property.id, guest.id, { guests: 9, checkIn: '2027-05-01', checkOut: '2027-05-02' }),
      ),
      'guests',
    );
    await rejected(
      insert('reservations', reservationRow(property.id, agentId, { checkIn: '2027-05-01', checkOut: '2027-05-02' })),
      'guestId',
    );
    const otherProperty = propertyRow(location.id);
    const stay = reservationRow(otherProperty.id, guest.id, { checkIn: '2027-06-01', checkOut: '2027-06-02' });
    await manager.push(changeset([insert('properties', otherProperty), insert('reservations', stay)]));
    await rejected(insert('tasks', taskRow(property.id, { reservationId: stay.id })), 'reservationId');
    await rejected(insert('tasks', taskRow(property.id, { assigneeId: guest.id })), 'assigneeId');
  });

  it('a refund may not return more than is left of its payment', async () => {
    const paid = await paidStay('2027-07-01', '2027-07-03', 10_000);
    const [first] = await manager.push(changeset([insert('ledger_entries', refundOf(paid, 6_000))]));
    const [second] = await manager.push(changeset([insert('ledger_entries', refundOf(paid, 6_000))]));
    expect(first).toMatchObject({ status: 'applied' });
    expect(second).toMatchObject({ status: 'rejected', code: 'validation', field: 'amountMinor' });
    expect(second.message).toBe('Amount must be at most €40.00, what is left of that payment to refund.');
    const [rest] = await manager.push(changeset([insert('ledger_entries', refundOf(paid, 4_000))]));
    expect(rest).toMatchObject({ status: 'applied' });
  });
});
