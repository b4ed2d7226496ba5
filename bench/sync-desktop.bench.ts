// Benchmark of desktop sync on a throwaway Postgres cluster holding the scale dataset:
// 1. a new device's first sync (sign-in to every table followed up to date), in rows per second,
//    against the raw baseline: the same rows read from Postgres with `pg` and inserted into a
//    fresh SQLite file with one prepared statement per table, in one transaction per table, its
//    indexes built after the rows (as the sync's bulk load does); and the serving floor: the same
//    shapes fetched and parsed with plain fetch and JSON.parse, no Electric client, no SQLite;
// 2. change-to-visible latency from device A to device B on loopback: A commits a property edit,
//    B holds the new value in its database (median, p99), against a raw Postgres UPDATE.
//   npm run bench:sync-desktop [-- --samples 200]
// The server runs in its own process (`sync-server/main.ts`, as in production); the devices here.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { getTableColumns } from 'drizzle-orm';
import pg from 'pg';
import { openCentralDatabase } from '../db/central-database.js';
import { hashPassword } from '../db/auth/passwords.js';
import { openLocalDatabase, setReplicating } from '../db/local-database.js';
import { generateSampleData } from '../db/sample/generate.js';
import { loadSampleDataCentral } from '../db/sample/load-central.js';
import { SYNCED_TABLES, type SyncedTableName } from '../main/core/synced-tables.js';
import { createDesktop, type Desktop } from '../main/desktop.js';
import { MemorySecretStore, signInToServer } from '../main/sync/server-connection.js';
import { newId } from '../db/domain/ids.js';
import { userRow } from '../tests/db/fixtures.js';
import { findPostgresBinaries, startPostgresCluster } from '../tests/harness/postgres-cluster.js';
import { columnValues, writeRows } from '../tests/sync-server/sync-client.js';
import { startServerProcess, type ServerProcess } from '../tests/sync/server-process.js';

const { values: args } = parseArgs({
  options: { samples: { type: 'string', default: '200' }, 'first-sync-only': { type: 'boolean', default: false } },
});
const SAMPLES = Number(args.samples);
const PASSWORD = 'bench-harbour-tram-58';
const TODAY = '2026-11-24';
const TABLES = Object.keys(SYNCED_TABLES) as SyncedTableName[];

async function main(): Promise<void> {
  const binDir = findPostgresBinaries();
  if (!binDir) throw new Error('PostgreSQL binaries not found (set POSTGRES_BIN_DIR)');
  const cluster = await startPostgresCluster(binDir);
  const work = mkdtempSync(join(tmpdir(), 'roomy-bench-sync-'));
  const desktops: Desktop[] = [];
  let server: ServerProcess | null = null;
  try {
    const url = await createDatabase(cluster.url, 'roomy_bench_desktop');
    const central = await openCentralDatabase({ url });
    let started = performance.now();
    const data = generateSampleData({ size: 'scale', today: TODAY });
    const counts = await loadSampleDataCentral(central, data);
    const hash = await hashPassword(PASSWORD);
    const admin = userRow({ role: 'ADMIN', firstName: 'Bench' });
    const manager = userRow({ role: 'MANAGER', firstName: 'Bench' });
    await writeRows(
      central,
      [admin, manager].map((row) => ({
        table: 'users',
        values: { ...columnValues('users', row), password_hash: hash },
      })),
    );
    await central.query('ANALYZE');
    const total = Object.values(counts).reduce((a, b) => a + b, 0) + 2;
    console.log(
      `\nRoomy desktop sync benchmark — scale dataset ${JSON.stringify(counts)} (${total} rows), ` +
        `loaded in ${seconds(performance.now() - started)}; ${availableParallelism()} cores`,
    );

    // ---- the raw baseline ----
    started = performance.now();
    const rawRows = args['first-sync-only'] ? 1 : await rawCopy(url, join(work, 'raw.sqlite'));
    const rawMs = performance.now() - started;

    // ---- a new device's first sync ----
    server = await startServerProcess(url);
    const device = (name: string) => {
      const desktop = createDesktop({
        databaseFile: join(work, name, 'roomy.db'),
        secrets: new MemorySecretStore(),
        environment: { fleet: { path: join(work, 'fleet.json'), config: {}, problem: null } },
      });
      desktops.push(desktop);
      return desktop;
    };
    const a = await signedInDevice(device, 'a', server.url, admin.email, work);
    started = performance.now();
    await a.signIn();
    await until(() => a.desktop.engineOf('w')!.idle, 600_000, 'the first sync');
    const syncMs = performance.now() - started;
    const synced = countRows(a.desktop);

    console.log('\n1. First sync of a new device (admin: every table), sign-in to up to date');
    if (!args['first-sync-only'])
      console.log(`   raw baseline   ${rawRows} rows in ${seconds(rawMs)}  ${rate(rawRows, rawMs)} rows/s`);
    console.log(
      `   first sync     ${synced} rows in ${seconds(syncMs)}  ${rate(synced, syncMs)} rows/s   ` +
        (args['first-sync-only'] ? '' : `ratio ${(syncMs / rawMs).toFixed(2)}× the raw time `) +
        '(target ≥ 20,000 rows/s and ≤ 3×)',
    );

    // What serving the same rows costs with no client and no SQLite: the floor under the first sync.
    started = performance.now();
    const served = await fetchEveryShape(server.url, admin.email);
    const servedMs = performance.now() - started;
    console.log(
      `   serving floor  ${(served.bytes / 1e6).toFixed(0)} MB of shape answers fetched and JSON.parse'd in ` +
        `${seconds(servedMs)}  ${rate(served.rows, servedMs)} rows/s (no Electric client, no SQLite)`,
    );

    if (args['first-sync-only']) return;

    // ---- A → B latency ----
    const b = await signedInDevice(device, 'b', server.url, manager.email, work);
    await b.signIn();
    await until(() => b.desktop.engineOf('w')!.idle, 600_000, "B's first sync");
    const property = firstProperty(a.desktop);
    const bDb = b.desktop.engineOf('w')!.replica.sqlite;
    const nameOnB = bDb.prepare('SELECT name FROM properties WHERE id = ?').pluck();
    const latencies: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const name = `Bench property ${i}`;
      const visible = new Promise<number>((resolve) => {
        const stop = b.desktop.onChange((topics) => {
          if (topics.includes('properties') && nameOnB.get(property) === name) {
            stop();
            resolve(performance.now());
          }
        });
      });
      const t0 = performance.now();
      const result = await a.desktop.call('w', 'properties/update', { id: property, changes: { name } });
      if (!result.ok) throw new Error(result.error.message);
      latencies.push((await withTimeout(visible, 10_000)) - t0);
    }
    const rawLatency = await rawUpdateLatency(url, property, SAMPLES);
    const s = stats(latencies);
    const r = stats(rawLatency);
    console.log(`\n2. Change on device A visible in device B's database (${SAMPLES} edits, one at a time)`);
    console.log(`   raw UPDATE on Postgres   median ${ms(r.median)}  p99 ${ms(r.p99)}`);
    console.log(
      `   A → server → B           median ${ms(s.median)}  p99 ${ms(s.p99)}  max ${ms(s.max)}   ` +
        `(target median ≤ 300 ms, p99 ≤ 1 s; ${(s.median / r.median).toFixed(0)}× the raw median)`,
    );
    await central.close();
  } finally {
    for (const desktop of desktops) desktop.close();
    await server?.dispose();
    cluster.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

async function signedInDevice(
  make: (name: string) => Desktop,
  name: string,
  serverUrl: string,
  email: string,
  work: string,
): Promise<{ desktop: Desktop; signIn(): Promise<void> }> {
  mkdirSync(join(work, name), { recursive: true });
  writeFileSync(join(work, name, 'settings.json'), JSON.stringify({ syncServerUrl: serverUrl }));
  const desktop = make(name);
  return {
    desktop,
    async signIn() {
      const result = await desktop.call('w', 'auth/sign-in', { email, password: PASSWORD });
      if (!result.ok) throw new Error(`sign-in failed: ${result.error.message}`);
    },
  };
}

/** Every table's shape followed from -1 to up-to-date with plain fetch and JSON.parse, all at once. */
async function fetchEveryShape(serverUrl: string, email: string): Promise<{ rows: number; bytes: number }> {
  const { tokens } = await signInToServer(serverUrl, { email, password: PASSWORD, deviceId: newId() });
  let rows = 0;
  let bytes = 0;
  await Promise.all(
    TABLES.map(async (table) => {
      let at = 'offset=-1';
      for (;;) {
        const response = await fetch(`${serverUrl}/v1/shape?table=${table}&${at}`, {
          headers: { authorization: `Bearer ${tokens.accessToken}` },
        });
        if (!response.ok) throw new Error(`${table}: the server answered ${response.status}`);
        const text = await response.text();
        bytes += Buffer.byteLength(text);
        rows += (JSON.parse(text) as Array<{ key?: string }>).filter((m) => m.key).length;
        if (response.headers.has('electric-up-to-date')) return;
        at = `offset=${response.headers.get('electric-offset')}&handle=${response.headers.get('electric-handle')}`;
      }
    }),
  );
  return { rows, bytes };
}

/** Every table read from Postgres (as `pg` parses it) and inserted into a fresh SQLite file. */
async function rawCopy(url: string, file: string): Promise<number> {
  const local = openLocalDatabase(file, { partialReplica: true });
  const client = new pg.Client({ connectionString: url, options: '-c TimeZone=UTC' });
  await client.connect();
  let rows = 0;
  try {
    for (const table of TABLES) {
      const columns = Object.values(getTableColumns(SYNCED_TABLES[table])).map((c) => c.name);
      const { rows: found } = await client.query({
        text: `SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM "${table}"`,
        rowMode: 'array',
      });
      const insert = local.sqlite.prepare(
        `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
      );
      // The same bulk load the sync uses: secondary indexes built after the rows are in, and the
      // rows taken as the server's (the replication guard: the server has checked them).
      local.sqlite.transaction(() => {
        setReplicating(local.sqlite, true);
        const indexes = local.sqlite
          .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`)
          .all(table) as Array<{ name: string; sql: string }>;
        for (const index of indexes) local.sqlite.exec(`DROP INDEX "${index.name}"`);
        for (const row of found as unknown[][]) insert.run(row.map(toSqlite));
        for (const index of indexes) local.sqlite.exec(index.sql);
        setReplicating(local.sqlite, false);
      })();
      rows += found.length;
    }
  } finally {
    await client.end();
    local.close();
  }
  return rows;
}

function toSqlite(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return value;
}

async function rawUpdateLatency(url: string, id: string, samples: number): Promise<number[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const out: number[] = [];
  try {
    for (let i = 0; i < samples; i++) {
      const t0 = performance.now();
      await client.query('UPDATE properties SET nickname = $1 WHERE id = $2', [`raw ${i}`, id]);
      out.push(performance.now() - t0);
    }
  } finally {
    await client.end();
  }
  return out;
}

function countRows(desktop: Desktop): number {
  const sqlite = desktop.engineOf('w')!.replica.sqlite;
  return TABLES.reduce((sum, t) => sum + (sqlite.prepare(`SELECT count(*) FROM "${t}"`).pluck().get() as number), 0);
}

function firstProperty(desktop: Desktop): string {
  return desktop
    .engineOf('w')!
    .replica.sqlite.prepare('SELECT id FROM properties ORDER BY id LIMIT 1')
    .pluck()
    .get() as string;
}

async function createDatabase(clusterUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: clusterUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(clusterUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function until(condition: () => boolean, limitMs: number, what: string): Promise<void> {
  const deadline = performance.now() + limitMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function withTimeout<T>(promise: Promise<T>, limitMs: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`not visible within ${limitMs} ms`)), limitMs)),
  ]);
}

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return { median: at(0.5), p99: at(0.99), max: sorted.at(-1)! };
}

const seconds = (msValue: number) => `${(msValue / 1000).toFixed(2)} s`;
const ms = (value: number) => `${value.toFixed(1)} ms`;
const rate = (rows: number, msValue: number) => Math.round(rows / (msValue / 1000)).toLocaleString('en-GB');

await main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
process.exit();
