// A central database that goes back in time (commits lost to asynchronous commit or a failover to
// a replica behind, a point-in-time restore) while the sync server runs: the server notices, every
// device drops what the database no longer has, and sends again its own changes that were lost.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncedTableName } from '../../main/core/synced-tables.js';
import type { Query } from '../../db/central-database.js';
import { locationRow } from '../db/fixtures.js';
import { ApiClient, changeset, insert } from '../sync-server/sync-client.js';
import { eventually, serverRows, settled, type TestDevice } from './devices.js';
import { makeProperty, startSyncedOffice, type SyncedOffice } from './office.js';

/** What a restore puts back; sign-ins and sessions are left as they are. */
const RESTORED = [
  'users',
  'locations',
  'properties',
  'reservations',
  'tasks',
  'ledger_entries',
  'audit_log',
  'change_log',
  'applied_changesets',
];

async function checkpoint(query: Query): Promise<void> {
  await query('CREATE SCHEMA IF NOT EXISTS checkpoint');
  for (const table of RESTORED) {
    await query(`DROP TABLE IF EXISTS checkpoint.${table}`);
    await query(`CREATE TABLE checkpoint.${table} AS SELECT * FROM public.${table}`);
  }
}

/** The data as it was at the checkpoint, the change log's positions included (they are handed out again). */
async function restore(query: Query): Promise<void> {
  await query(`BEGIN; SET LOCAL session_replication_role = replica;
    ${RESTORED.map((t) => `DELETE FROM public.${t};`).join('\n')}
    ${RESTORED.map((t) => `INSERT INTO public.${t} OVERRIDING SYSTEM VALUE SELECT * FROM checkpoint.${t};`).join('\n')}
    SELECT setval(pg_get_serial_sequence('change_log', 'seq'), (SELECT coalesce(max(seq), 0) + 1 FROM change_log), false);
    COMMIT;`);
}

let office: SyncedOffice;
let admin: TestDevice;
let manager: TestDevice;

beforeAll(async () => {
  office = await startSyncedOffice();
  admin = await office.device('admin', office.people.admin);
  manager = await office.device('manager', office.people.manager);
});
afterAll(() => office?.close());

async function equalsServer(device: TestDevice): Promise<void> {
  for (const table of ['users', 'locations', 'properties', 'reservations', 'tasks', 'ledger_entries'] as const) {
    const truth = (await serverRows(device, table as SyncedTableName))!;
    const here = device.rows(table);
    expect([...here.keys()].sort(), `${device.name} ${table}`).toEqual([...truth.keys()].sort());
    for (const [id, row] of truth) expect(here.get(id), `${device.name} ${table} ${id}`).toEqual(row);
  }
}

describe('a central database restored to an earlier point', () => {
  it('devices drop what it lost and send their own lost changes again', async () => {
    const { query } = office.server.central;
    const { propertyId } = await makeProperty(admin, office);
    await settled(admin);
    await eventually(() => expect(manager.rows('properties').has(propertyId)).toBe(true));
    await checkpoint(query);

    // After the checkpoint: the admin renames the property, the manager plans a task, and a third
    // office adds a location. All applied, and shown on both desktops.
    await admin.ok('properties/update', { id: propertyId, changes: { name: 'Renamed after the checkpoint' } });
    const task = await manager.ok<{ id: string }>('tasks/create', {
      propertyId,
      type: 'INSPECTION',
      title: 'Planned after the checkpoint',
      scheduledAt: '2027-09-01T09:00:00Z',
    });
    const elsewhere = await ApiClient.signIn(office.server.url, office.people.admin.email, undefined, 'third-office');
    const gone = locationRow({ name: 'Added by an office that is not here' });
    await elsewhere.push(changeset([insert('locations', gone)], 'third-office'));
    await settled(admin);
    await settled(manager);
    await eventually(() => expect(admin.rows('locations').has(gone.id)).toBe(true));
    await eventually(() => expect(manager.rows('tasks').has(task.id)).toBe(true));

    await restore(query);
    // Work goes on after the restore (its change log positions are ones already served).
    const after = await admin.ok<{ id: string }>('locations/create', {
      name: 'Added after the restore',
      city: 'Faro',
      country: 'PT',
      timeZone: 'Europe/Lisbon',
      currency: 'EUR',
    });

    await eventually(async () => {
      const locations = (await serverRows(admin, 'locations'))!;
      expect(locations.has(after.id)).toBe(true);
      expect(locations.has(gone.id)).toBe(false);
      expect((await serverRows(admin, 'properties'))!.get(propertyId)?.name).toBe('Renamed after the checkpoint');
      expect((await serverRows(manager, 'tasks'))!.has(task.id)).toBe(true);
    }, 30_000);
    for (const device of [admin, manager, admin, manager]) await settled(device, 30_000);
    await equalsServer(admin);
    await equalsServer(manager);
    expect(admin.rows('locations').has(gone.id)).toBe(false);
    expect(await admin.ok('sync/conflicts')).toEqual([]);
    expect(await manager.ok('sync/conflicts')).toEqual([]);
  });
});
