// A synced device seals its audit chain with the key the sync server issues it at sign-in, kept in
// the key store per server and device. The server's side (deriving and sending the key) is stood in
// for here by adding `chainKey` to its sign-in answer, as the server derives it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditHash, serverIssuedChainKey, type AuditRow } from '../../db/audit/chain-hash.js';
import { createDesktop, type Desktop } from '../../main/desktop.js';
import { FileSecretStore } from '../../main/sync/secret-store.js';
import { MemorySecretStore } from '../../main/sync/server-connection.js';
import { tempDir } from '../harness/databases.js';
import { PASSWORD } from '../sync-server/sync-client.js';
import { eventually, NetworkSwitch } from './devices.js';
import { startSyncedOffice, type SyncedOffice } from './office.js';

const SERVER_SECRET = 'the sync server’s own secret';

/** The server's sign-in answer with the key it issues the device (derived from its secret and the device id). */
const issuingKeys =
  (inner: typeof fetch, issue: () => boolean): typeof fetch =>
  async (input, init) => {
    const response = await inner(input, init);
    if (!String(input).endsWith('/v1/auth/sign-in') || !response.ok || !issue()) return response;
    const { deviceId } = JSON.parse(String(init?.body)) as { deviceId: string };
    const answer = (await response.json()) as object;
    return Response.json({ ...answer, chainKey: serverIssuedChainKey(SERVER_SECRET, deviceId).toString('base64') });
  };

let office: SyncedOffice;
beforeAll(async () => {
  office = await startSyncedOffice();
});
afterAll(() => office?.close());

function desktop(issue: () => boolean): { desktop: Desktop; folder: string; close(): void } {
  const dir = tempDir('roomy-keyed-');
  writeFileSync(join(dir.path, 'settings.json'), JSON.stringify({ syncServerUrl: office.server.url }));
  const network = new NetworkSwitch();
  const opened = createDesktop({
    databaseFile: join(dir.path, 'roomy.db'),
    sleep: async () => {},
    secrets: new MemorySecretStore(),
    fetch: issuingKeys(network.fetch, issue),
    syncBackoff: { initialMs: 100, maxMs: 1_000 },
    environment: { fleet: { path: join(dir.path, 'fleet.json'), config: {}, problem: null } },
  });
  return {
    desktop: opened,
    folder: dir.path,
    close: () => {
      opened.close();
      dir.remove();
    },
  };
}

async function ok<T>(desktop: Desktop, name: string, input?: unknown): Promise<T> {
  const result = await desktop.call('w', name as never, input);
  if (!result.ok) throw new Error(`${name} failed: ${result.error.message}`);
  return result.value as T;
}

interface Stored {
  id: string;
  device_id: string;
  seq: number;
  actor_id: string | null;
  actor_role: string | null;
  action: string;
  entity_type: string | null;
  entity_id: string | null;
  before: string | null;
  after: string | null;
  at: string;
  prev_hash: string;
  hash: string;
}
const asRow = (s: Stored): Omit<AuditRow, 'hash'> => ({
  id: s.id,
  deviceId: s.device_id,
  seq: s.seq,
  actorId: s.actor_id,
  actorRole: s.actor_role,
  action: s.action,
  entityType: s.entity_type,
  entityId: s.entity_id,
  before: s.before === null ? null : JSON.parse(s.before),
  after: s.after === null ? null : JSON.parse(s.after),
  at: s.at,
  prevHash: s.prev_hash,
});

describe('a synced device’s audit chain key', () => {
  it('comes from the sync server at sign-in, is kept per server and device, and seals every row', async () => {
    const keyed = desktop(() => true);
    try {
      await ok(keyed.desktop, 'auth/sign-in', { email: office.people.admin.email, password: PASSWORD });
      const engine = keyed.desktop.engineOf('w')!;
      const { deviceId } = await ok<{ deviceId: string }>(keyed.desktop, 'app/about');
      const key = serverIssuedChainKey(SERVER_SECRET, deviceId);
      const stored = new FileSecretStore(join(keyed.folder, 'keys.json'));
      expect(stored.get(`audit-chain-key ${office.server.url} ${deviceId}`)).toBe(key.toString('base64'));

      // Once the owner has come down the users stream.
      await eventually(() =>
        ok(keyed.desktop, 'ledger/record', {
          userId: office.people.owner.id,
          type: 'AGENCY_FEE',
          category: 'commission',
          amountMinor: 1_000,
          currency: 'EUR',
          netAmountMinor: 1_000,
        }),
      );
      const rows = engine.replica.sqlite
        .prepare('SELECT * FROM audit_log WHERE device_id = ? ORDER BY seq')
        .all(deviceId) as Stored[];
      expect(rows.length).toBeGreaterThan(2);
      for (const row of rows) expect(row.hash).toBe(auditHash(asRow(row), key));
      expect(await ok(keyed.desktop, 'audit/verify')).toMatchObject({ intact: true });

      // Another office's rows and ledger entry arrive: checked for order and against their audited insert.
      const other = await office.device('other', office.people.manager);
      const fee = await other.ok<{ id: string }>('ledger/record', {
        userId: office.people.owner.id,
        type: 'AGENCY_FEE',
        category: 'commission',
        amountMinor: 2_500,
        currency: 'EUR',
        netAmountMinor: 2_500,
      });
      await eventually(async () => {
        const audited = engine.replica.sqlite
          .prepare(`SELECT count(*) FROM audit_log WHERE entity_id = ? AND device_id <> ?`)
          .pluck()
          .get(fee.id, deviceId);
        expect(audited).toBe(1);
        expect(engine.replica.has('ledger_entries', fee.id)).toBe(true);
      });
      expect(await ok(keyed.desktop, 'audit/verify')).toMatchObject({ intact: true });
    } finally {
      keyed.close();
    }
  });

  it('a device that first had no key from the server keys its chain from the sign-in that brings one', async () => {
    let issue = false;
    const later = desktop(() => issue);
    try {
      await ok(later.desktop, 'auth/sign-in', { email: office.people.admin.email, password: PASSWORD });
      await ok(later.desktop, 'auth/sign-out');
      issue = true;
      await ok(later.desktop, 'auth/sign-in', { email: office.people.admin.email, password: PASSWORD });
      await ok(later.desktop, 'locations/create', {
        name: 'Faro',
        city: 'Faro',
        country: 'PT',
        timeZone: 'Europe/Lisbon',
        currency: 'EUR',
      });
      const engine = later.desktop.engineOf('w')!;
      const { deviceId } = await ok<{ deviceId: string }>(later.desktop, 'app/about');
      const rows = engine.replica.sqlite
        .prepare('SELECT * FROM audit_log WHERE device_id = ? ORDER BY seq')
        .all(deviceId) as Stored[];
      const key = serverIssuedChainKey(SERVER_SECRET, deviceId);
      const keyed = rows.filter((row) => row.hash === auditHash(asRow(row), key));
      expect(keyed.length).toBeGreaterThan(0);
      expect(keyed.length).toBeLessThan(rows.length);
      // Keying began at one row and every row from there on is keyed.
      expect(keyed.map((r) => r.seq)).toEqual(rows.slice(rows.length - keyed.length).map((r) => r.seq));
      await eventually(async () => expect(await ok(later.desktop, 'audit/verify')).toMatchObject({ intact: true }));
    } finally {
      later.close();
    }
  });
});
