// Rows that leave a user's view while this device still has a change of theirs in flight: the
// server's truth comes only through the table's own stream, in its order, so a late answer or a
// refetch never brings such a row back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncConflict } from '../../main/sync/sync-engine.js';
import { gate } from '../harness/gate.js';
import { eventually, serverRows, settled, type TestDevice } from './devices.js';
import { makeProperty, startSyncedOffice, type SyncedOffice } from './office.js';

let office: SyncedOffice;
let admin: TestDevice;
let agent: TestDevice;

beforeAll(async () => {
  office = await startSyncedOffice();
  admin = await office.device('admin', office.people.admin);
  agent = await office.device('agent', office.people.agentA);
});
afterAll(() => office?.close());

const stay = (propertyId: string, checkIn: string, checkOut: string, guestName: string) => ({
  propertyId,
  guestId: office.people.guest.id,
  checkIn,
  checkOut,
  guests: 2,
  totalMinor: 30_000,
  currency: 'EUR',
  guestName,
  guestEmail: 'guest@example.com',
  source: 'direct',
  status: 'CONFIRMED',
});

/** Every table the agent reads holds exactly what the server shows them. */
async function agentEqualsServer(): Promise<void> {
  for (const table of ['properties', 'reservations', 'tasks', 'ledger_entries'] as const) {
    const truth = (await serverRows(agent, table))!;
    const here = agent.rows(table);
    expect([...here.keys()].sort(), `agent ${table}`).toEqual([...truth.keys()].sort());
    for (const [id, row] of truth) expect(here.get(id), `agent ${table} ${id}`).toEqual(row);
  }
}

describe('rows that leave the view', () => {
  it('a refused change does not bring back a stay that has left the agent’s view meanwhile', async () => {
    const { propertyId } = await makeProperty(admin, office);
    const booked = await admin.ok<{ id: string }>(
      'reservations/create',
      stay(propertyId, '2027-07-01', '2027-07-04', 'Ana'),
    );
    await settled(admin);
    await eventually(() => expect(agent.rows('reservations').has(booked.id)).toBe(true));

    // Offline, the agent moves the stay onto dates the office then gives someone else.
    agent.network.off();
    await agent.ok('reservations/update', {
      id: booked.id,
      changes: { checkIn: '2027-07-10', checkOut: '2027-07-13' },
    });
    await admin.ok('reservations/create', stay(propertyId, '2027-07-09', '2027-07-14', 'Bruno'));
    await settled(admin);

    // Anything the device reads on the side about a refused change is answered late: after the
    // property has gone to another agent and the agent's stream has taken the stay away.
    const late = gate();
    agent.network.holdResponse = (url) => {
      if (!url.includes('/v1/shape') || !url.includes('where=')) return null;
      late.used = true;
      return late.promise;
    };
    agent.network.on();
    await eventually(async () => {
      const conflicts = await agent.ok<SyncConflict[]>('sync/conflicts');
      if (conflicts.length === 0 && !late.used) throw new Error('not answered yet');
    });
    await admin.ok('properties/update', { id: propertyId, changes: { agentId: office.people.agentB.id } });
    await eventually(() => {
      expect(agent.rows('properties').has(propertyId)).toBe(false);
      expect(agent.rows('reservations').has(booked.id)).toBe(false);
    });
    late.open();
    agent.network.holdResponse = null;

    await settled(agent);
    await settled(admin);
    await settled(agent);
    expect(agent.rows('reservations').has(booked.id)).toBe(false);
    await agentEqualsServer();
    const [conflict] = await agent.ok<SyncConflict[]>('sync/conflicts');
    expect(conflict?.attempted.some((op) => op.id === booked.id)).toBe(true);
  });

  it('a refetch does not keep a row that has left the view because this device changed it lately', async () => {
    const { propertyId } = await makeProperty(admin, office);
    const task = await admin.ok<{ id: string }>('tasks/create', {
      propertyId,
      type: 'MAINTENANCE',
      title: 'Fix the shower',
      scheduledAt: '2027-08-01T10:00:00Z',
    });
    await settled(admin);
    await eventually(() => expect(agent.rows('tasks').has(task.id)).toBe(true));
    await settled(agent);

    // The agent's change is applied, but its tasks stream does not show it back before the
    // property goes to another agent and the server starts every shape again.
    const held = gate();
    agent.network.holdResponse = (url, method) => {
      if (method !== 'GET' || !url.includes('/v1/shape') || !url.includes('table=tasks')) return null;
      held.used = true;
      return held.promise;
    };
    await agent.ok('tasks/update', { id: task.id, changes: { title: 'Fix the shower and the tap' } });
    await eventually(() => expect(agent.engine().status().waiting).toBe(0));
    await admin.ok('properties/update', { id: propertyId, changes: { agentId: office.people.agentB.id } });
    await settled(admin);
    office.server.server.shapes.resetAll();
    agent.network.holdResponse = null;
    held.cut(new TypeError('network gone'));

    await settled(agent);
    await settled(agent);
    expect(agent.rows('tasks').has(task.id)).toBe(false);
    await agentEqualsServer();
  });
});

describe('pending edits across a restart', () => {
  it('a restart between the stream showing a newer edit and the answer to this device’s own does not keep the older value', async () => {
    const { propertyId } = await makeProperty(admin, office);
    const other = await office.device('manager', office.people.manager);
    await eventually(() => expect(other.rows('properties').has(propertyId)).toBe(true));
    await settled(admin);

    // The admin's upload is applied on the server, but its answer never reaches the desktop.
    const never = gate();
    admin.network.holdResponse = (url, method) =>
      method === 'POST' && url.endsWith('/v1/changesets') ? never.promise : null;
    await admin.ok('properties/update', { id: propertyId, changes: { name: 'Named first, on the admin’s desktop' } });
    await eventually(async () =>
      expect((await serverRows(other, 'properties'))!.get(propertyId)?.name).toBe(
        'Named first, on the admin’s desktop',
      ),
    );
    await other.ok('properties/update', { id: propertyId, changes: { name: 'Named last, by the manager' } });
    await settled(other);
    // The admin's stream brings the manager's newer name; the admin's own edit, unanswered, stays over it.
    const base = admin.engine().replica.sqlite.prepare(`SELECT row FROM sync_base WHERE row_id = ?`).pluck();
    await eventually(() => expect(String(base.get(propertyId))).toContain('Named last, by the manager'));
    expect(admin.rows('properties').get(propertyId)?.name).toBe('Named first, on the admin’s desktop');

    // The desktop stops before the answer, and starts again.
    never.cut(new TypeError('the desktop closed'));
    admin.close();
    admin = admin.reopen();
    office.devices.push(admin);
    await admin.signIn(office.people.admin.email);
    await settled(admin);
    await settled(admin);
    expect(admin.rows('properties').get(propertyId)?.name).toBe('Named last, by the manager');
    const truth = (await serverRows(admin, 'properties'))!;
    expect(admin.rows('properties').get(propertyId)).toEqual(truth.get(propertyId));
  });
});
