// Failures the chaos harness (tests/sync/chaos) found, kept as deterministic examples.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncConflict } from '../../main/sync/sync-engine.js';
import { PASSWORD } from '../sync-server/sync-client.js';
import { eventually, serverRows, settled, type TestDevice } from './devices.js';
import { makeProperty, startSyncedOffice, type SyncedOffice } from './office.js';

let office: SyncedOffice;
let one: TestDevice;
let two: TestDevice;
beforeAll(async () => {
  office = await startSyncedOffice();
  one = await office.device('one', office.people.admin);
  two = await office.device('two', office.people.manager);
});
afterAll(() => office?.close());

const stayAt = (propertyId: string, guestName: string) => ({
  propertyId,
  guestId: office.people.guest.id,
  checkIn: '2027-06-01',
  checkOut: '2027-06-05',
  guests: 2,
  totalMinor: 40_000,
  currency: 'EUR',
  guestName,
  guestEmail: 'ines@example.com',
  source: 'direct',
});

describe('found by the chaos harness', () => {
  it('a server change to one date of a stay this device moved offline does not stop its stream', async () => {
    const { propertyId } = await makeProperty(one, office);
    const stay = await one.ok<{ id: string }>('reservations/create', stayAt(propertyId, 'Ines'));
    await settled(one);
    await eventually(() => expect(two.rows('reservations').has(stay.id)).toBe(true));
    // Two's move waits to go up (the server is busy for it) while its stream keeps following.
    two.network.answer = (url, method) =>
      method === 'POST' && url.endsWith('/v1/changesets') ? new Response('busy', { status: 503 }) : null;
    await two.ok('reservations/update', { id: stay.id, changes: { checkIn: '2027-06-04', checkOut: '2027-06-08' } });
    // Applied over the edited row, the server's new check-out alone would end the stay before it starts.
    await one.ok('reservations/update', { id: stay.id, changes: { checkOut: '2027-06-03' } });
    await settled(one);
    const base = two.engine().replica.sqlite.prepare('SELECT row FROM sync_base WHERE row_id = ?').pluck();
    await eventually(() => expect(String(base.get(stay.id))).toContain('2027-06-03'));
    expect(
      two
        .engine()
        .busyWith()
        .filter((b) => b.startsWith('reservations')),
    ).toEqual([]);
    two.network.answer = null;
    await settled(two, 20_000);
    // The check-out changed meanwhile: two's move was made from an older row, and is refused.
    const truth = (await serverRows(two, 'reservations'))!.get(stay.id);
    expect(truth).toMatchObject({ check_in: '2027-06-01', check_out: '2027-06-03' });
    expect(two.rows('reservations').get(stay.id)).toEqual(truth);
    const conflicts = await two.ok<SyncConflict[]>('sync/conflicts');
    expect(conflicts.some((c) => c.attempted.some((op) => op.id === stay.id))).toBe(true);
  });

  it('a dismissed conflict leaves nothing waiting to upload', async () => {
    const { propertyId } = await makeProperty(one, office);
    await eventually(() => expect(two.rows('properties').has(propertyId)).toBe(true));
    two.network.off();
    await one.ok('reservations/create', stayAt(propertyId, 'Ines'));
    await settled(one);
    await two.ok('reservations/create', stayAt(propertyId, 'Other'));
    two.network.on();
    two.engine().start();
    await settled(two);
    const conflicts = await two.ok<SyncConflict[]>('sync/conflicts');
    const clash = conflicts.find((c) => c.attempted.some((op) => op.table === 'reservations' && op.op === 'insert'));
    await two.ok('sync/resolve-conflict', { changesetId: clash!.changesetId, resolution: 'dismissed' });
    // The dismissal's audit row goes up at once: nothing waits for the next change to send it.
    await settled(two, 10_000);
  });

  it('a sign-in whose answer is cut mid-body signs in offline; it does not throw', async () => {
    await settled(one);
    one.network.answer = (url) =>
      url.endsWith('/v1/auth/sign-in')
        ? new Response(
            new ReadableStream({
              start(controller) {
                controller.enqueue(new TextEncoder().encode('{"accessToken":"ab'));
                controller.error(new TypeError('terminated'));
              },
            }),
            { status: 200, headers: { 'content-type': 'application/json' } },
          )
        : null;
    try {
      const result = await one.desktop.call('window-1', 'auth/sign-in', {
        email: office.people.admin.email,
        password: PASSWORD,
      });
      expect(result.ok).toBe(true);
    } finally {
      one.network.answer = null;
    }
  });
});
