// The sync engine under weather: a server that asks it to slow down or fails, tokens that run
// out or are revoked, and conflicts the user redoes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINTS, HEADERS } from '../../db/sync/protocol.js';
import { MAX_RETRY_AFTER_MS, retryAfterMs } from '../../main/sync/server-connection.js';
import type { SyncConflict } from '../../main/sync/sync-engine.js';
import { eventually, serverRows, settled, type TestDevice } from './devices.js';
import { makeProperty, startSyncedOffice, type SyncedOffice } from './office.js';

let office: SyncedOffice;
let a: TestDevice;
let b: TestDevice;
let propertyId: string;
beforeAll(async () => {
  office = await startSyncedOffice();
  a = await office.device('a', office.people.admin);
  b = await office.device('b', office.people.manager);
  ({ propertyId } = await makeProperty(a, office));
  await settled(a);
});
afterAll(() => office?.close());

const rename = (device: TestDevice, name: string) =>
  device.ok('properties/update', { id: propertyId, changes: { name } });

describe('the sync engine', () => {
  it('backs off while the server (or a proxy) answers 503, 429 or 408, keeps the change, and sends it once it recovers', async () => {
    let refused = 0;
    const answers = [503, 429, 408];
    a.network.answer = (url, method) => {
      if (method !== 'POST' || !url.endsWith('/v1/changesets')) return null;
      return new Response('not now', { status: answers[refused++ % answers.length] });
    };
    await rename(a, 'During the outage');
    await eventually(() => expect(refused).toBeGreaterThanOrEqual(4));
    expect(a.engine().status()).toMatchObject({ state: 'offline', waiting: 1, conflicts: 0 });
    expect(a.engine().status().lastError).toMatch(/429|503|408/);
    // The local change stands meanwhile, and the outbox records the attempts.
    expect(a.rows('properties').get(propertyId)?.name).toBe('During the outage');
    const attempts = a.engine().replica.sqlite.prepare('SELECT attempts FROM outbox').pluck().get() as number;
    expect(attempts).toBeGreaterThanOrEqual(1);
    a.network.answer = null;
    await settled(a);
    expect(a.engine().status()).toMatchObject({ state: 'online', waiting: 0, lastError: null, conflicts: 0 });
    await eventually(() => expect(b.rows('properties').get(propertyId)?.name).toBe('During the outage'));
  });

  it('sends nothing before the Retry-After of a 503 has passed, not even for a new change or Sync now', async () => {
    await settled(a);
    const sent: number[] = [];
    a.network.answer = (url, method) => {
      if (method !== 'POST' || !url.endsWith(ENDPOINTS.changesets)) return null;
      sent.push(Date.now());
      return sent.length === 1 ? new Response('busy', { status: 503, headers: { [HEADERS.retryAfter]: '2' } }) : null;
    };
    await rename(a, 'Told to wait');
    await eventually(() => expect(sent.length).toBeGreaterThanOrEqual(1));
    await rename(a, 'Changed while waiting');
    await a.ok('sync/upload-now');
    await settled(a);
    a.network.answer = null;
    expect(sent.length).toBeGreaterThanOrEqual(2);
    expect(sent[1]! - sent[0]!).toBeGreaterThanOrEqual(2000);
    expect((await serverRows(a, 'properties'))!.get(propertyId)?.name).toBe('Changed while waiting');
  });

  it('reads Retry-After as seconds or an HTTP date, and follows it at most ten minutes', () => {
    const date = 'Tue, 24 Nov 2026 10:00:00 GMT';
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs('Tue, 24 Nov 2026 10:00:30 GMT', date)).toBe(30_000);
    expect(retryAfterMs('Tue, 24 Nov 2026 10:00:30 GMT', null, Date.parse(date) + 10_000)).toBe(20_000);
    expect(retryAfterMs('Tue, 24 Nov 2026 09:59:00 GMT', date)).toBe(0);
    expect(retryAfterMs('86400')).toBe(MAX_RETRY_AFTER_MS);
    expect(MAX_RETRY_AFTER_MS).toBe(10 * 60_000);
    expect(retryAfterMs(null)).toBeNull();
    expect(retryAfterMs('soon')).toBeNull();
    expect(retryAfterMs('-5')).toBeNull();
  });

  it('a refetch while changes wait to upload keeps their audit rows: the device chain has no gap', async () => {
    await settled(a);
    a.network.answer = (url, method) =>
      method === 'POST' && url.endsWith('/v1/changesets') ? new Response('busy', { status: 503 }) : null;
    await rename(a, 'Waiting through a refetch');
    const waitingAudit = a.engine().replica.sqlite.prepare('SELECT ops FROM outbox').pluck().all() as string[];
    const auditIds = waitingAudit.flatMap((ops) =>
      (JSON.parse(ops) as Array<{ table: string; id: string }>)
        .filter((op) => op.table === 'audit_log')
        .map((op) => op.id),
    );
    expect(auditIds.length).toBeGreaterThan(0);
    // The server forgets its shapes (as a restart does): every follower refetches from a snapshot.
    const handleOf = a
      .engine()
      .replica.sqlite.prepare(`SELECT handle || ' ' || "offset" FROM shape_state WHERE table_name = 'audit_log'`);
    const before = handleOf.pluck().get() as string;
    office.server.server.shapes.resetAll();
    await eventually(() => {
      const now = handleOf.pluck().get() as string;
      expect(now.split(' ')[0]).not.toBe(before.split(' ')[0]);
      expect(now.split(' ')[1]).not.toBe('-1');
    });
    expect(a.engine().status().waiting).toBe(1);
    await eventually(() => {
      const audit = a.rows('audit_log');
      for (const id of auditIds) expect(audit.has(id), id).toBe(true);
    });
    a.network.answer = null;
    await settled(a);
    expect(await a.ok('sync/conflicts')).toEqual([]);
    const onServer = (await serverRows(a, 'audit_log'))!;
    for (const id of auditIds) expect(onServer.has(id), id).toBe(true);
  });

  it('renews an access token the server no longer takes, and carries on', async () => {
    const connection = a.engine().connection;
    connection.saveTokens({ ...connection.tokens!, accessToken: 'not-a-token-the-server-issued' });
    await rename(a, 'After renewal');
    await settled(a);
    expect(connection.tokens!.accessToken).not.toBe('not-a-token-the-server-issued');
    expect((await serverRows(a, 'properties'))!.get(propertyId)?.name).toBe('After renewal');
  });

  it('asks for a new sign-in when the server ends the session, keeping what was changed meanwhile', async () => {
    const connection = b.engine().connection;
    connection.saveTokens({
      ...connection.tokens!,
      accessToken: 'not-a-token-the-server-issued',
      refreshToken: 'not-a-refresh-token-either',
    });
    await rename(b, 'Made while signed out of the server');
    await eventually(() => expect(b.engine().status().state).toBe('needs-sign-in'));
    expect(b.engine().status()).toMatchObject({ waiting: 1 });
    expect(b.engine().status().lastError).toMatch(/sign in again/);
    // Signing in again (online) picks the sync up where it stopped.
    await b.signIn(office.people.manager.email);
    await settled(b);
    await eventually(async () =>
      expect((await serverRows(b, 'properties'))!.get(propertyId)?.name).toBe('Made while signed out of the server'),
    );
  });

  it('redoes a refused change once what blocked it is gone, and refuses to redo while it is still blocked', async () => {
    const stay = (checkIn: string, checkOut: string, guestName: string) => ({
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
    });
    b.network.off();
    const blocked = await b.ok<{ id: string }>('reservations/create', stay('2027-05-10', '2027-05-12', 'Refused'));
    const first = await a.ok<{ id: string }>('reservations/create', stay('2027-05-11', '2027-05-13', 'First'));
    await settled(a);
    b.network.on();
    b.engine().start();
    await settled(b);
    const [conflict] = await b.ok<SyncConflict[]>('sync/conflicts');
    expect(conflict?.attempted.some((op) => op.id === blocked.id)).toBe(true);
    expect(b.rows('reservations').has(blocked.id)).toBe(false);

    const still = await b.fails('sync/resolve-conflict', { changesetId: conflict!.changesetId, resolution: 'redone' });
    expect(still.code).toBe('conflict');
    expect(await b.ok<SyncConflict[]>('sync/conflicts')).toHaveLength(1);

    await a.ok('reservations/set-status', { id: first.id, status: 'CANCELLED' });
    await eventually(() => expect(b.rows('reservations').get(first.id)?.status).toBe('CANCELLED'));
    await b.ok('sync/resolve-conflict', { changesetId: conflict!.changesetId, resolution: 'redone' });
    expect(await b.ok('sync/conflicts')).toEqual([]);
    await settled(b);
    await eventually(async () =>
      expect((await serverRows(a, 'reservations'))!.get(blocked.id)?.guest_name).toBe('Refused'),
    );
    await eventually(() => expect(a.rows('reservations').has(blocked.id)).toBe(true));
  });
});
