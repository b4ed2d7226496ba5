// Devices replicate through the sync server: what one does, the others see; offline edits merge.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, settled } from './devices.js';
import { makeProperty, startSyncedOffice, type SyncedOffice } from './office.js';

let office: SyncedOffice;
beforeAll(async () => {
  office = await startSyncedOffice();
});
afterAll(() => office?.close());

describe('two desktops and a sync server', () => {
  it('a change on device A appears on device B', async () => {
    const a = await office.device('a', office.people.admin);
    const b = await office.device('b', office.people.manager);
    const { propertyId } = await makeProperty(a, office);
    await eventually(() => expect(b.rows('properties').get(propertyId)?.name).toBe('Rua Augusta 12'));
    await a.ok('properties/update', { id: propertyId, changes: { name: 'Rua Augusta 14' } });
    await eventually(() => expect(b.rows('properties').get(propertyId)?.name).toBe('Rua Augusta 14'));
    await settled(a);
    expect(a.engine().status()).toMatchObject({ state: 'online', waiting: 0, conflicts: 0 });
  });
});
