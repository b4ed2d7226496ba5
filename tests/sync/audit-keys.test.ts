// A synced device seals its audit chain with the key the sync server issues it at sign-in, kept in
// the key store per server and device; the server checks every entry it is sent with that key.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditHash, serverIssuedChainKey, type AuditRow } from '../../db/audit/chain-hash.js';
import { createDesktop, type Desktop } from '../../main/desktop.js';
import { FileSecretStore } from '../../main/sync/secret-store.js';
import { MemorySecretStore } from '../../main/sync/server-connection.js';
import { tempDir } from '../harness/databases.js';
import { ENDPOINTS } from '../../db/sync/protocol.js';
import { PASSWORD, TEST_SETTINGS } from '../sync-server/sync-client.js';
import { eventually, NetworkSwitch } from './devices.js';
import { startSyncedOffice, type SyncedOffice } from './office.js';

/** The key the office's server derives for a device from its own secret. */
const serverKey = (deviceId: string) => serverIssuedChainKey(TEST_SETTINGS.tokenSecret, deviceId);

/** A server of a version before keys, while `withhold()` says so: its sign-in answer carries none. */
const withholdingKeys =
  (inner: typeof fetch, withhold: () => boolean): typeof fetch =>
  async (input, init) => {
    const response = await inner(input, init);
    if (!String(input).endsWith(ENDPOINTS.signIn) || !response.ok || !withhold()) return response;
    const { chainKey: _issued, ...answer } = (await response.json()) as { chainKey: string };
    return Response.json(answer);
  };

let office: SyncedOffice;
beforeAll(async () => {
  office = await startSyncedOffice();
});
afterAll(() => office?.close());

function desktop(withhold: () => boolean = () => false): { desktop: Desktop; folder: string; close(): void } {
  const dir = tempDir('roomy-keyed-');
  writeFileSync(join(dir.path, 'settings.json'), JSON.stringify({ syncServerUrl: office.server.url }));
  const network = new NetworkSwitch();
  const opened = createDesktop({
    databaseFile: join(dir.path, 'roomy.db'),
    sleep: async () => {},
    secrets: new MemorySecretStore(),
    fetch: withholdingKeys(network.fetch, withhold),
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

/** Until the desktop has sent everything and follows every table it may read. */
const settled = (desktop: Desktop) => eventually(() => expect(desktop.engineOf('w')!.idle).toBe(true), 20_000);

/** What the server holds of a device's trail: its entries, newest first, and where keying began. */
async function heldByServer(deviceId: string) {
  const { query } = office.server.central;
  const rows = await query<{ seq: number; hash: string }>(
    `SELECT seq, hash FROM audit_log WHERE device_id = $1 ORDER BY seq DESC`,
    [deviceId],
  );
  const [device] = await query<{ head_seq: number; head_hash: string; keyed_from: number | null }>(
    `SELECT head_seq, head_hash, keyed_from FROM devices WHERE id = $1`,
    [deviceId],
  );
  return { rows, device };
}

describe('a synced device’s audit chain key', () => {
  it('comes from the sync server at sign-in, is kept per server and device, and seals every row the server takes', async () => {
    const keyed = desktop();
    try {
      await ok(keyed.desktop, 'auth/sign-in', { email: office.people.admin.email, password: PASSWORD });
      const engine = keyed.desktop.engineOf('w')!;
      const { deviceId } = await ok<{ deviceId: string }>(keyed.desktop, 'app/about');
      const key = serverKey(deviceId);
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

      // The server checked each entry with the key it issued, and holds the whole trail.
      await settled(keyed.desktop);
      const all = engine.replica.sqlite
        .prepare('SELECT seq, hash FROM audit_log WHERE device_id = ? ORDER BY seq DESC')
        .all(deviceId) as Array<{ seq: number; hash: string }>;
      const held = await heldByServer(deviceId);
      expect(held.rows.map((r) => ({ seq: Number(r.seq), hash: r.hash }))).toEqual(all);
      expect(held.device).toMatchObject({ head_seq: all[0]!.seq, head_hash: all[0]!.hash, keyed_from: 1 });

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

  it('a device whose server first gave no key keys its chain from the sign-in that brings one; the server takes both parts', async () => {
    let withhold = true;
    const later = desktop(() => withhold);
    try {
      await ok(later.desktop, 'auth/sign-in', { email: office.people.admin.email, password: PASSWORD });
      await settled(later.desktop);
      await ok(later.desktop, 'auth/sign-out');
      withhold = false;
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
      const key = serverKey(deviceId);
      const keyed = rows.filter((row) => row.hash === auditHash(asRow(row), key));
      expect(keyed.length).toBeGreaterThan(0);
      expect(keyed.length).toBeLessThan(rows.length);
      // Keying began at one row and every row from there on is keyed.
      expect(keyed.map((r) => r.seq)).toEqual(rows.slice(rows.length - keyed.length).map((r) => r.seq));
      await eventually(async () => expect(await ok(later.desktop, 'audit/verify')).toMatchObject({ intact: true }));

      // The server took the rows before keys, then the keyed ones, and knows where keying began.
      await settled(later.desktop);
      const held = await heldByServer(deviceId);
      expect(held.rows.map((r) => Number(r.seq))).toEqual(rows.map((r) => r.seq).reverse());
      expect(held.device).toMatchObject({ head_seq: rows.at(-1)!.seq, keyed_from: keyed[0]!.seq });
      const conflicts = await ok<Array<{ message: string }>>(later.desktop, 'sync/conflicts');
      expect(conflicts.filter((c) => /audit trail/.test(c.message))).toEqual([]);
    } finally {
      later.close();
    }
  });
});
