// Devices replicate through the sync server: what one does, the others see; offline edits merge;
// a clash is refused whole and shown as a conflict; nothing made offline is lost or doubled.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncConflict } from '../../main/sync/sync-engine.js';
import { eventually, serverRows, settled, type TestDevice } from './devices.js';
import { makeProperty, startSyncedOffice, type SyncedOffice } from './office.js';

let office: SyncedOffice;
let a: TestDevice;
let b: TestDevice;
beforeAll(async () => {
  office = await startSyncedOffice();
  a = await office.device('a', office.people.admin);
  b = await office.device('b', office.people.manager);
});
afterAll(() => office?.close());

const offline = (...devices: TestDevice[]) => devices.forEach((d) => d.network.off());
async function reconnect(...devices: TestDevice[]) {
  for (const device of devices) {
    device.network.on();
    // What the app does when the network returns; the backoff would get there too, later.
    device.engine().start();
    await settled(device);
  }
}

const stay = (propertyId: string, guestId: string, checkIn: string, checkOut: string, guestName: string) => ({
  propertyId,
  guestId,
  checkIn,
  checkOut,
  guests: 2,
  totalMinor: 48_000,
  currency: 'EUR',
  guestName,
  guestEmail: 'guest@example.com',
  source: 'direct',
});

describe('two desktops and a sync server', () => {
  it('a change on device A appears on device B', async () => {
    const { propertyId } = await makeProperty(a, office);
    await eventually(() => expect(b.rows('properties').get(propertyId)?.name).toBe('Rua Augusta 12'));
    await a.ok('properties/update', { id: propertyId, changes: { name: 'Rua Augusta 14' } });
    await eventually(() => expect(b.rows('properties').get(propertyId)?.name).toBe('Rua Augusta 14'));
    await settled(a);
    expect(a.engine().status()).toMatchObject({ state: 'online', waiting: 0, conflicts: 0 });
    expect(a.engine().status().lastSyncedAt).not.toBeNull();
  });

  it('offline edits of different fields of one property merge: both devices end with both', async () => {
    const { propertyId } = await makeProperty(a, office);
    await eventually(() => expect(b.rows('properties').has(propertyId)).toBe(true));
    offline(a, b);
    await a.ok('properties/update', { id: propertyId, changes: { name: 'Casa do Rio' } });
    await b.ok('properties/update', { id: propertyId, changes: { capacity: 6 } });
    expect(a.engine().status()).toMatchObject({ state: 'offline', waiting: 1 });
    await reconnect(a, b);
    for (const device of [a, b]) {
      await eventually(() =>
        expect(device.rows('properties').get(propertyId)).toMatchObject({ name: 'Casa do Rio', capacity: 6 }),
      );
    }
  });

  it('offline edits of the same field: the first to arrive stands everywhere, and the other device is told', async () => {
    const { propertyId } = await makeProperty(a, office);
    await eventually(() => expect(b.rows('properties').has(propertyId)).toBe(true));
    offline(a, b);
    await a.ok('properties/update', { id: propertyId, changes: { name: 'Name from A' } });
    await b.ok('properties/update', { id: propertyId, changes: { name: 'Name from B' } });
    await reconnect(a, b);
    await eventually(async () => {
      expect((await serverRows(a, 'properties'))!.get(propertyId)!.name).toBe('Name from A');
      expect(a.rows('properties').get(propertyId)!.name).toBe('Name from A');
      expect(b.rows('properties').get(propertyId)!.name).toBe('Name from A');
    });
    // Never silently overwritten: B's edit is refused, with both values and who changed it.
    const [told] = await b.ok<SyncConflict[]>('sync/conflicts');
    expect(told).toMatchObject({ code: 'conflict' });
    expect(told!.message).toContain('Name is now “Name from A”, where you wrote “Name from B”');
    expect(await a.ok('sync/conflicts')).toEqual([]);
    await b.ok('sync/resolve-conflict', { changesetId: told!.changesetId, resolution: 'dismissed' });
  });

  it('overlapping stays booked offline on two devices: one survives everywhere, the other is a conflict', async () => {
    const { propertyId } = await makeProperty(a, office);
    const guest = office.people.guest.id;
    await eventually(() => expect(b.rows('properties').has(propertyId)).toBe(true));
    offline(a, b);
    const fromA = await a.ok<{ id: string }>(
      'reservations/create',
      stay(propertyId, guest, '2027-01-10', '2027-01-15', 'Ana'),
    );
    const fromB = await b.ok<{ id: string }>(
      'reservations/create',
      stay(propertyId, guest, '2027-01-12', '2027-01-18', 'Bea'),
    );
    await reconnect(a, b);

    const onServer = await serverRows(a, 'reservations');
    const ofProperty = [...onServer!.values()].filter((r) => r.property_id === propertyId);
    expect(ofProperty.map((r) => r.id)).toEqual([fromA.id]);
    for (const device of [a, b]) {
      await eventually(() => {
        const here = [...device.rows('reservations').values()].filter((r) => r.property_id === propertyId);
        expect(here.map((r) => r.id)).toEqual([fromA.id]);
      });
    }
    // B sees what it attempted, why it was refused, and that nothing of it is on the server.
    const conflicts = await b.ok<SyncConflict[]>('sync/conflicts');
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({ code: 'conflict' });
    expect(conflicts[0]!.message).toBe(
      'Rua Augusta 12 is already booked 10–15 January 2027 by Ana (pending). Choose other dates.',
    );
    expect(conflicts[0]!.attempted).toContainEqual(
      expect.objectContaining({ table: 'reservations', op: 'insert', id: fromB.id }),
    );
    expect(conflicts[0]!.serverRows).toEqual([]);
    expect(b.engine().status().conflicts).toBe(1);
    expect(await a.ok<SyncConflict[]>('sync/conflicts')).toEqual([]);

    // Dismissing closes it; the server's truth stands.
    await b.ok('sync/resolve-conflict', { changesetId: conflicts[0]!.changesetId, resolution: 'dismissed' });
    expect(await b.ok('sync/conflicts')).toEqual([]);
    expect(b.engine().status().conflicts).toBe(0);
  });

  it('500 changes made offline all arrive after reconnecting, each exactly once', async () => {
    const { propertyId } = await makeProperty(a, office);
    await settled(a);
    offline(a);
    const made: string[] = [];
    for (let i = 0; i < 500; i++) {
      const task = await a.ok<{ id: string }>('tasks/create', {
        propertyId,
        type: 'CLEANING',
        title: `Offline task ${i}`,
        scheduledAt: '2027-02-01T11:00:00Z',
      });
      made.push(task.id);
    }
    expect(a.engine().status().waiting).toBe(500);
    await reconnect(a);
    const tasks = [...(await serverRows(a, 'tasks'))!.values()].filter((t) => t.property_id === propertyId);
    expect(tasks).toHaveLength(500);
    expect(new Set(tasks.map((t) => t.title)).size).toBe(500);
    expect(tasks.map((t) => t.id).sort()).toEqual([...made].sort());
    const count = await office.server.central.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM tasks WHERE property_id = $1`,
      [propertyId],
    );
    expect(count[0]!.n).toBe(500);
    await eventually(() =>
      expect([...b.rows('tasks').values()].filter((t) => t.property_id === propertyId)).toHaveLength(500),
    );
  });
});
