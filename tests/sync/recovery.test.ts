// Crashes: the sync server killed in the middle of an upload, and a desktop killed in the middle
// of its first download. Nothing is lost, nothing is applied twice, and everyone converges.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSampleData } from '../../db/sample/generate.js';
import { loadSampleDataCentral } from '../../db/sample/load-central.js';
import { SYNCED_TABLES, type SyncedTableName } from '../../main/core/synced-tables.js';
import { sqliteValues } from '../../main/sync/replica.js';
import { readRowsOnce } from '../../main/sync/shape-values.js';
import { MemorySecretStore, ServerConnection, signInToServer } from '../../main/sync/server-connection.js';
import { freshCentralDatabase, freshLocalDatabase, tempDir, type TestCentralDatabase } from '../harness/databases.js';
import { addUser, PASSWORD } from '../sync-server/sync-client.js';
import { createDevice, eventually, settled, type TestDevice } from './devices.js';
import { makeProperty } from './office.js';
import { startServerProcess, type ServerProcess } from './server-process.js';

const root = resolve(import.meta.dirname, '../..');
let central: TestCentralDatabase;
let server: ServerProcess;
let admin: { id: string; email: string };
const devices: TestDevice[] = [];

beforeAll(async () => {
  central = await freshCentralDatabase();
  if (!central.url) throw new Error('these tests kill a server process: they need the Postgres cluster');
  // Enough rows that a first download takes a while to land.
  await loadSampleDataCentral(central, generateSampleData({ size: 'demo', today: '2026-11-24' }));
  admin = await addUser(central, 'ADMIN');
  // Small snapshot chunks, so that a download is cut between two of them.
  server = await startServerProcess(central.url, { ROOMY_SYNC_SNAPSHOT_CHUNK_ROWS: '2000' });
});
afterAll(async () => {
  for (const device of devices) device.dispose();
  await server?.dispose();
  await central?.dispose();
});

/** The server's rows of every table, as this admin sees them, as SQLite stores them. */
async function everythingOnServer(): Promise<Map<SyncedTableName, Map<string, unknown>>> {
  const secrets = new MemorySecretStore();
  const { tokens } = await signInToServer(server.url, { email: admin.email, password: PASSWORD, deviceId: 'checker' });
  const connection = new ServerConnection(server.url, admin.id, secrets);
  connection.saveTokens(tokens);
  const out = new Map<SyncedTableName, Map<string, unknown>>();
  for (const table of Object.keys(SYNCED_TABLES) as SyncedTableName[]) {
    const rows = await readRowsOnce(server.url, connection.fetch, table, null);
    if (rows === 'unreadable') throw new Error(`an admin may read ${table}`);
    out.set(table, new Map(rows.map((r) => [String(r.id), sqliteValues(table, r)])));
  }
  return out;
}

function rowsOf(sqlite: Database.Database, table: SyncedTableName): Map<string, unknown> {
  const rows = sqlite.prepare(`SELECT * FROM "${table}"`).all() as Array<Record<string, unknown>>;
  return new Map(rows.map((r) => [String(r.id), r]));
}

describe('crashes', () => {
  it('the sync server killed in the middle of an upload and restarted: nothing lost, nothing doubled', async () => {
    const device = createDevice('uploader', server.url);
    devices.push(device);
    await device.signIn(admin.email);
    await settled(device, 60_000);
    const people = { owner: await addUser(central, 'OWNER'), agentA: await addUser(central, 'AGENT') };
    await eventually(() => expect(device.rows('users').has(people.agentA.id)).toBe(true));
    const { propertyId } = await makeProperty(device, { people });
    await settled(device);

    device.network.off();
    const made: string[] = [];
    for (let i = 0; i < 300; i++) {
      const task = await device.ok<{ id: string }>('tasks/create', {
        propertyId,
        type: 'MAINTENANCE',
        title: `Fix ${i}`,
        scheduledAt: '2027-04-01T09:00:00Z',
      });
      made.push(task.id);
    }
    // The server dies while it works on the second batch of changesets.
    let posts = 0;
    let killed: Promise<void> | null = null;
    device.network.onRequest = (url, method) => {
      if (method === 'POST' && url.endsWith('/v1/changesets') && ++posts === 2)
        setTimeout(() => (killed = server.kill('SIGKILL')), 15);
    };
    device.network.on();
    device.engine().start();
    await eventually(() => expect(killed).not.toBeNull(), 30_000);
    await killed;
    expect(device.engine().status().waiting).toBeGreaterThan(0);
    await server.restart();
    await settled(device, 60_000);

    const tasks = await central.query<{ id: string }>(`SELECT id FROM tasks WHERE property_id = $1`, [propertyId]);
    expect(tasks.map((t) => t.id).sort()).toEqual([...made].sort());
    const deviceId = device
      .engine()
      .replica.sqlite.prepare(`SELECT value FROM device_meta WHERE key = 'device_id'`)
      .pluck()
      .get();
    const [local] = device
      .engine()
      .replica.sqlite.prepare('SELECT count(*) AS n FROM audit_log WHERE device_id = ?')
      .all(deviceId) as [{ n: number }];
    const [remote] = await central.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM audit_log WHERE device_id = $1',
      [deviceId],
    );
    expect(remote!.n).toBe(local.n);
    expect(await device.ok('sync/conflicts')).toEqual([]);
    // The device's rows are the server's.
    const onServer = await everythingOnServer();
    for (const table of ['tasks', 'properties'] as const) {
      expect(device.rows(table).size, table).toBe(onServer.get(table)!.size);
    }
  });

  it('a desktop killed in the middle of its first download resumes when restarted, and converges', async () => {
    const dir = tempDir('roomy-device-process-');
    writeFileSync(join(dir.path, 'settings.json'), JSON.stringify({ syncServerUrl: server.url }));
    const run = () => startDeviceProcess(dir.path, admin.email);

    const first = await run();
    // Killed mid bulk load (a table's indexes down, between two chunks) once another table has landed.
    let file = '';
    const midway = await eventually(() => {
      file ||= databaseFileIn(dir.path);
      const db = new Database(file, { readonly: true, fileMustExist: true });
      try {
        const dropped = db.prepare(`SELECT key FROM device_meta WHERE key LIKE 'dropped_indexes:%'`).pluck().all();
        const landed = db.prepare(`SELECT table_name FROM shape_state WHERE "offset" <> '-1'`).pluck().all();
        if (dropped.length === 0 || landed.length === 0) throw new Error('not midway yet');
        return { dropped, landed };
      } finally {
        db.close();
      }
    }, 60_000);
    first.child.kill('SIGKILL');
    await new Promise((done) => first.child.once('exit', done));
    const before = new Database(file, { readonly: true });
    const landed = before
      .prepare(`SELECT table_name, "offset" FROM shape_state WHERE "offset" <> '-1'`)
      .all() as Array<{
      table_name: string;
      offset: string;
    }>;
    before.close();
    expect(landed.length).toBeGreaterThanOrEqual(midway.landed.length);

    const second = await run();
    await second.until((line) => line.idle === true, 60_000);
    // The tables that had landed resume from their offsets: they are not downloaded again.
    for (const { table_name } of landed) {
      const firstRequest = second.lines.find((l) => l.request === table_name);
      expect(firstRequest?.offset, table_name).not.toBe('-1');
    }
    const after = new Database(file, { readonly: true });
    try {
      // A bulk load cut short left no table without its indexes.
      const indexes = (db: Database.Database) =>
        db
          .prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name`)
          .pluck()
          .all();
      const fresh = freshLocalDatabase();
      expect(indexes(after)).toEqual(indexes(fresh.sqlite));
      fresh.dispose();
      expect(after.prepare(`SELECT key FROM device_meta WHERE key LIKE 'dropped_indexes:%'`).all()).toEqual([]);
      const onServer = await everythingOnServer();
      for (const table of Object.keys(SYNCED_TABLES) as SyncedTableName[]) {
        if (table === 'audit_log') continue; // the restarted device signed in again, adding rows
        const here = rowsOf(after, table);
        const there = onServer.get(table)!;
        expect(here.size, table).toBe(there.size);
        for (const [id, row] of there) expect(here.get(id), `${table} ${id}`).toMatchObject(row as object);
      }
    } finally {
      after.close();
      second.child.kill('SIGTERM');
      dir.remove();
    }
  });
});

interface DeviceLine {
  request?: string;
  offset?: string;
  idle?: boolean;
  error?: string;
}

async function startDeviceProcess(dataDir: string, email: string) {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'tests/sync/device-process.ts'), dataDir, email, PASSWORD],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines: DeviceLine[] = [];
  const waiters = new Set<() => void>();
  createInterface({ input: child.stdout! }).on('line', (text) => {
    lines.push(JSON.parse(text) as DeviceLine);
    for (const wake of waiters) wake();
  });
  return {
    child,
    lines,
    until(predicate: (line: DeviceLine) => boolean, ms = 30_000): Promise<void> {
      return new Promise((done, fail) => {
        const timer = setTimeout(
          () => fail(new Error(`the device process did not get there: ${JSON.stringify(lines)}`)),
          ms,
        );
        const check = () => {
          const error = lines.find((l) => l.error);
          if (error) fail(new Error(error.error));
          if (lines.some(predicate)) {
            clearTimeout(timer);
            waiters.delete(check);
            done();
          }
        };
        waiters.add(check);
        check();
      });
    },
  };
}

function databaseFileIn(dataDir: string): string {
  const synced = join(dataDir, 'synced');
  const folder = readdirSync(synced).find((name) => !name.endsWith('.json'))!;
  const file = readdirSync(join(synced, folder)).find((name) => name.endsWith('.sqlite'))!;
  return join(synced, folder, file);
}
