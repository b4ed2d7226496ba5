// A synced device's audit trail is checked against the sync server's anchor: by audit/verify, and
// by the sync engine each time it signs in or comes back online. Someone holding the database file
// and its key can cut the trail short, or rewrite it, and re-seal it so that every local check
// passes; what the server already holds from the device still tells.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditHash, legacyAuditHash } from '../../db/audit/chain-hash.js';
import { headSeal, issuedKeyEntry, writeHead } from '../../main/core/chain-keeper.js';
import { auditRowOf, type ChainVerdict, type StoredAuditRow } from '../../main/core/audit-chain.js';
import { FileSecretStore } from '../../main/sync/secret-store.js';
import { serverBase } from '../../main/sync/server-connection.js';
import { eventually, settled, type TestDevice } from './devices.js';
import { startSyncedOffice, type SyncedOffice } from './office.js';

let office: SyncedOffice;
beforeAll(async () => {
  office = await startSyncedOffice();
});
afterAll(() => office?.close());

const verify = (device: TestDevice) => device.ok<ChainVerdict>('audit/verify');

/** A synced admin's device with a few locations made and sent, and where its trail stands. */
async function deviceWithHistory(name: string) {
  const device = await office.device(name, office.people.admin);
  for (const city of ['Faro', 'Lagos', 'Tavira']) {
    await device.ok('locations/create', {
      name: `${city} (${name})`,
      city,
      country: 'PT',
      timeZone: 'Europe/Lisbon',
      currency: 'EUR',
    });
  }
  await settled(device);
  const { deviceId } = await device.ok<{ deviceId: string }>('app/about');
  const sqlite = device.engine().replica.sqlite;
  const last = sqlite.prepare('SELECT max(seq) FROM audit_log WHERE device_id = ?').pluck().get(deviceId) as number;
  return { device, deviceId, last, file: sqlite.name, userId: device.identity!.userId };
}

/**
 * What someone holding the closed database and its key store does: edits the trail past its
 * triggers, re-seals every row from `from` on and the head with the device's key, and sets the
 * bound kept beside the key to the new end. Nothing local can tell afterwards.
 */
function tamper(
  at: { folder: string; file: string; deviceId: string; userId: string },
  from: number,
  edit: (sqlite: Database.Database) => void,
): void {
  const server = serverBase(office.server.url);
  const keys = new FileSecretStore(join(at.folder, 'keys.json'));
  const key = Buffer.from(keys.get(issuedKeyEntry(server, at.deviceId))!, 'base64');
  const recordEntry = `audit-chain ${server} ${at.userId}`;
  const record = JSON.parse(keys.get(recordEntry)!) as { keyedFrom: number; headAtLeast: number };
  const sqlite = new Database(at.file);
  try {
    sqlite.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
    edit(sqlite);
    const rows = sqlite
      .prepare('SELECT * FROM audit_log WHERE device_id = ? ORDER BY seq')
      .all(at.deviceId) as StoredAuditRow[];
    let previous = rows.find((r) => r.seq === from - 1)!.hash;
    const update = sqlite.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?');
    for (const row of rows.filter((r) => r.seq >= from)) {
      const partial = { ...auditRowOf(row), prevHash: previous };
      const hash = row.seq >= record.keyedFrom ? auditHash(partial, key) : legacyAuditHash(partial);
      update.run(partial.prevHash, hash, row.id);
      previous = hash;
    }
    const end = rows.at(-1)!.seq;
    writeHead(sqlite, at.deviceId, { seq: end, hash: previous, seal: headSeal(key, at.deviceId, end, previous) });
    keys.set(recordEntry, JSON.stringify({ ...record, headAtLeast: end }));
  } finally {
    sqlite.close();
  }
}

/** The device started again on the tampered file, signed in while the server cannot be reached. */
async function reopenedOffline(device: TestDevice): Promise<TestDevice> {
  const again = device.reopen();
  again.network.off();
  await again.signIn(office.people.admin.email);
  return again;
}

describe('audit/verify on a synced device', () => {
  it('compares the trail with the server’s anchor, and says when it could not', async () => {
    const { device, last } = await deviceWithHistory('verified');
    expect(await verify(device)).toMatchObject({ intact: true, anchor: { state: 'holds', seq: last } });

    device.network.off();
    const offline = await verify(device);
    expect(offline).toMatchObject({ intact: true, anchor: { state: 'unchecked' } });
    expect(offline.anchor).toMatchObject({
      message: expect.stringMatching(/^This computer's audit trail was not compared with what the sync server holds/),
    });
    device.network.on();
  });

  it('reports a trail cut short and re-sealed, which passes every local check', async () => {
    const { device, deviceId, last, file, userId } = await deviceWithHistory('cut-short');
    device.close();
    // The newest three entries (the locations made) go, and the trail is sealed again at the entry before.
    tamper({ folder: device.folder, file, deviceId, userId }, last - 2, (sqlite) =>
      sqlite.prepare('DELETE FROM audit_log WHERE device_id = ? AND seq > ?').run(deviceId, last - 3),
    );

    const again = await reopenedOffline(device);
    try {
      // Offline, nothing here can tell: the trail holds together, and the server was not asked.
      expect(await verify(again)).toMatchObject({ intact: true, anchor: { state: 'unchecked' } });

      again.network.on();
      const verdict = await eventually(async () => {
        const online = await verify(again);
        expect(online.anchor?.state).not.toBe('unchecked');
        return online;
      });
      expect(verdict).toMatchObject({ intact: false, problem: 'truncated', seq: last, deviceId });
      expect(verdict.anchor).toMatchObject({ state: 'broken', problem: 'truncated', seq: last });
      expect(verdict.intact || verdict.message).toMatch(
        /the sync server holds entry \d+ from it: history already synced was cut short here/,
      );

      // The engine compared it too once back online, and the notice is kept with the chain's record.
      const tamper = await eventually(() => {
        const noticed = again.engine().status().tamper;
        expect(noticed).not.toBeNull();
        return noticed!;
      });
      expect(tamper).toMatchObject({ problem: 'truncated' });
      expect(await verify(again)).toMatchObject({ noticed: { problem: 'truncated' } });
    } finally {
      again.dispose();
    }
  });

  it('reports a trail rewritten and re-sealed with the device’s own key', async () => {
    const { device, deviceId, last, file, userId } = await deviceWithHistory('rewritten');
    device.close();
    // A location's creation is made to say another city, and every entry from it on is sealed again.
    tamper({ folder: device.folder, file, deviceId, userId }, last - 1, (sqlite) => {
      const row = sqlite
        .prepare('SELECT id, after FROM audit_log WHERE device_id = ? AND seq = ?')
        .get(deviceId, last - 1) as { id: string; after: string };
      const after = { ...JSON.parse(row.after), city: 'Nowhere' };
      sqlite.prepare('UPDATE audit_log SET after = ? WHERE id = ?').run(JSON.stringify(after), row.id);
    });

    const again = await reopenedOffline(device);
    try {
      expect(await verify(again)).toMatchObject({ intact: true, anchor: { state: 'unchecked' } });

      again.network.on();
      const tamper = await eventually(() => {
        const noticed = again.engine().status().tamper;
        expect(noticed).not.toBeNull();
        return noticed!;
      });
      expect(tamper).toMatchObject({ problem: 'rewritten' });
      const verdict = await verify(again);
      expect(verdict).toMatchObject({ intact: false, problem: 'rewritten', seq: last, deviceId });
      expect(verdict.intact || verdict.message).toMatch(
        new RegExp(`Entry ${last} of this computer's audit trail is not the one the sync server holds from it`),
      );
      expect(verdict.noticed).toMatchObject({ problem: 'rewritten' });
    } finally {
      again.dispose();
    }
  });
});
