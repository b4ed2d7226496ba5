// A refused call leaves one audit row (main/core/router.ts). On a synced device that row goes up
// like any change, at once: nothing else needs to happen after it for the server to hold it.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually, settled, type TestDevice } from './devices.js';
import { startSyncedOffice, type SyncedOffice } from './office.js';

let office: SyncedOffice;
let manager: TestDevice;

beforeAll(async () => {
  office = await startSyncedOffice();
  manager = await office.device('manager', office.people.manager);
  await settled(manager);
});
afterAll(() => office?.close());

it('a refusal’s audit row reaches the sync server without waiting for another change', async () => {
  const refusal = await manager.fails('users/create', {
    email: 'new.admin@example.com',
    firstName: 'Nova',
    lastName: 'Admin',
    role: 'ADMIN',
  });
  expect(refusal.code).toBe('forbidden');
  const { query } = office.server.central;
  const held = () =>
    query<{ entity_id: string }>(`SELECT entity_id FROM audit_log WHERE actor_id = $1 AND action = 'call.refused'`, [
      office.people.manager.id,
    ]);
  await eventually(async () => expect((await held()).map((r) => r.entity_id)).toEqual(['users/create']));
  await settled(manager);
  expect(manager.engine().status().waiting).toBe(0);
});
