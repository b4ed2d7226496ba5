// Benchmark of the sync server on a throwaway Postgres cluster: changesets applied per second
// through POST /v1/changesets (one per request, and batched) against the same inserts done raw
// with `pg`; then the time from a committed changeset to 200 live shape subscribers (the official
// Electric client) all holding the new row, against a raw single insert.
//   npm run bench:sync
// The server runs in its own Node process (this file, forked with --serve), as in production; the
// load and the subscribers run in this one.
import { fork, type ChildProcess } from 'node:child_process';
import { setMaxListeners } from 'node:events';
import type { Socket } from 'node:net';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { getTableColumns } from 'drizzle-orm';
import { isChangeMessage, ShapeStream, type Row } from '@electric-sql/client';
import pg from 'pg';
import { openCentralDatabase, type CentralDatabase, type Query } from '../db/central-database.js';
import { hashPassword } from '../db/auth/passwords.js';
import { newId } from '../db/domain/ids.js';
import { newTokenSecret } from '../sync-server/auth/tokens.js';
import { appendToChangeLog } from '../sync-server/changes/change-log.js';
import { createSyncServer, type ServerSettings } from '../sync-server/server.js';
import { SYNCED_TABLES, textRowSql } from '../sync-server/tables.js';
import { locationRow, userRow } from '../tests/db/fixtures.js';
import { ApiClient, changeset, columnValues, insert, PASSWORD, writeRows } from '../tests/sync-server/sync-client.js';
import { findPostgresBinaries, startPostgresCluster, type PostgresCluster } from '../tests/harness/postgres-cluster.js';

const SINGLE_REQUESTS = 500;
const BATCH_SIZE = 100;
const BATCH_REQUESTS = 20;
const SUBSCRIBERS = 200;
const DELIVERIES = 30;
const WARM_UP = 20;
const CLOSE_GRACE_MS = 2000;

/** Milliseconds since the epoch, sub-millisecond, comparable between this process and the server's. */
const epochNow = () => performance.timeOrigin + performance.now();

const SETTINGS: Omit<ServerSettings, 'tokenSecret'> = {
  allowedOrigins: [],
  rateLimit: 1_000_000,
  signInRateLimit: 100_000,
  bodyLimitBytes: 8 * 1024 * 1024,
  longPollMs: 20_000,
  accessTokenMinutes: 60,
  refreshTokenDays: 1,
  logLevel: 'silent',
  feedPollMs: 1000,
};

// ---- the server process ----

async function serve(url: string): Promise<void> {
  const central = await openCentralDatabase({ url });
  const server = await createSyncServer(central, { ...SETTINGS, tokenSecret: newTokenSecret() });
  // When each live long-poll answer was fully sent, on the clock both processes share.
  let liveReplies: number[] = [];
  server.app.addHook('onResponse', async (request) => {
    if (request.url.startsWith('/v1/shape?') && request.url.includes('live=true')) liveReplies.push(epochNow());
  });
  // Which connections carried a request: see the shutdown note below.
  const requestsBySocket = new Map<Socket, number>();
  server.app.server.on('connection', (socket: Socket) => {
    requestsBySocket.set(socket, 0);
    socket.once('close', () => requestsBySocket.delete(socket));
  });
  server.app.addHook('onRequest', async (request) => {
    const socket = request.raw.socket;
    requestsBySocket.set(socket, (requestsBySocket.get(socket) ?? 0) + 1);
  });
  const address = await server.app.listen({ host: '127.0.0.1', port: 0 });
  process.on('message', (message: string) => {
    if (message === 'stats') {
      server.app.server.getConnections((_error, connections) =>
        process.send!({ stats: { shapes: server.shapes.count, connections } }),
      );
    }
    if (message === 'live-replies') {
      process.send!({ liveReplies });
      liveReplies = [];
    }
    if (message === 'close') {
      void (async () => {
        // server.close() waits for every open connection. A connection that never sent a request
        // (fetch keeps spare ones; browsers preconnect) counts as busy to Node, and close() stops
        // the timer that would have expired it: close() then waits for the client to hang up.
        // Past a grace period the bench closes what is left, and reports it.
        const started = performance.now();
        const closing = server.close();
        const left = { withoutRequest: 0, withRequest: 0 };
        const grace = setTimeout(() => {
          for (const count of requestsBySocket.values()) {
            if (count === 0) left.withoutRequest++;
            else left.withRequest++;
          }
          server.app.server.closeAllConnections();
        }, CLOSE_GRACE_MS);
        await closing;
        const ms = performance.now() - started;
        clearTimeout(grace);
        await central.close();
        process.send!({ closed: { ms, ...left } }, () => process.disconnect());
      })();
    }
  });
  // The bench died: do not outlive it.
  process.on('disconnect', () => process.exit(0));
  process.send!({ address });
}

// ---- the bench ----

async function main(): Promise<void> {
  const binDir = findPostgresBinaries();
  if (!binDir) {
    console.error('This bench needs PostgreSQL binaries (initdb, pg_ctl); set POSTGRES_BIN_DIR.');
    process.exitCode = 1;
    return;
  }
  console.log(`Starting a throwaway PostgreSQL cluster from ${binDir} …`);
  const phases: Array<[string, number]> = [];
  let phaseStart = performance.now();
  const phase = (name: string) => {
    const now = performance.now();
    phases.push([name, now - phaseStart]);
    phaseStart = now;
  };
  const cluster = await startPostgresCluster(binDir);
  let central: CentralDatabase | null = null;
  let server: ServerProcess | null = null;
  let closed: ServerClose | null = null;
  let raw: pg.Client | null = null;
  try {
    const url = await createDatabase(cluster, 'roomy_bench');
    central = await openCentralDatabase({ url });
    const hash = await hashPassword(PASSWORD);
    const adminRow = userRow({ role: 'ADMIN', firstName: 'Bench' });
    const managerRows = Array.from({ length: SUBSCRIBERS }, (_, i) =>
      userRow({ role: 'MANAGER', firstName: `Manager${i}` }),
    );
    await writeRows(
      central,
      [adminRow, ...managerRows].map((row) => ({
        table: 'users',
        values: { ...columnValues('users', row), password_hash: hash },
      })),
    );

    server = await startServer(url);
    const admin = await ApiClient.signIn(server.address, adminRow.email);
    raw = new pg.Client({ connectionString: url, options: '-c TimeZone=UTC' });
    await raw.connect();
    const version = (await raw.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0]!.v;

    console.log(
      `\nRoomy sync-server benchmark — PostgreSQL ${version} (throwaway cluster: fsync=off, synchronous_commit=off)`,
    );
    console.log(
      `Server in its own Node process on loopback; logLevel silent, rateLimit ${SETTINGS.rateLimit}/min, ` +
        `signInRateLimit ${SETTINGS.signInRateLimit}/min, longPollMs ${SETTINGS.longPollMs}; ${cpuNote()}`,
    );

    phase(`setup (cluster, migrations, ${SUBSCRIBERS + 1} users, server)`);

    // 1 + 2: write throughput
    const throughput = await measureThroughput(admin, raw, adminRow.id);
    phase('throughput');
    printThroughput(throughput);

    // 3: live delivery
    const rawLatency = await rawInsertLatency(raw);
    const shared = await measureDelivery(
      server,
      admin,
      Array.from({ length: SUBSCRIBERS }, () => admin.accessToken),
      `A: ${SUBSCRIBERS} subscribers sharing the ADMIN's access token`,
    );
    phase('delivery A');
    const managers = await signInAll(
      server.address,
      managerRows.map((r) => r.email),
    );
    phase(`${SUBSCRIBERS} manager sign-ins`);
    const distinct = await measureDelivery(
      server,
      admin,
      managers.map((m) => m.accessToken),
      `B: ${SUBSCRIBERS} subscribers, ${SUBSCRIBERS} distinct MANAGER users`,
    );
    phase('delivery B');
    printDelivery([shared, distinct], rawLatency);
  } finally {
    await raw?.end().catch(() => {});
    closed = (await server?.close()) ?? null;
    await central?.close().catch(() => {});
    cluster.stop();
  }
  phase('teardown');
  if (closed) {
    const forced = closed.withoutRequest + closed.withRequest;
    console.log(
      `\nShutdown: SyncServer.close() took ${(closed.ms / 1000).toFixed(1)} s` +
        (forced > 0
          ? `; ${forced} connection${forced === 1 ? '' : 's'} still open after ${CLOSE_GRACE_MS / 1000} s ` +
            `(${closed.withoutRequest} never sent a request) had to be closed by the bench`
          : '; every connection closed on its own'),
    );
  }
  const total = phases.reduce((sum, [, ms]) => sum + ms, 0);
  console.log(
    `\nRun time ${(total / 1000).toFixed(1)} s: ${phases.map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)} s`).join(', ')}`,
  );
}

function cpuNote(): string {
  return `${availableParallelism()} CPUs shared by Postgres, the server and this client`;
}

// ---- 1 + 2: throughput ----

interface Throughput {
  name: string;
  rows: number;
  ms: number;
  /** The name of the row this one is compared with (null: it is a baseline). */
  against: string | null;
}

async function measureThroughput(admin: ApiClient, raw: pg.Client, adminId: string): Promise<Throughput[]> {
  const guest = () => insert('users', userRow());
  const pushOk = async (changesets: ReturnType<typeof changeset>[]) => {
    const results = await admin.push(...changesets);
    const refused = results.find((r) => r.status !== 'applied');
    if (refused) throw new Error(`a changeset was not applied: ${JSON.stringify(refused)}`);
  };

  for (let i = 0; i < WARM_UP; i++) await pushOk([changeset([guest()])]);
  let started = performance.now();
  for (let i = 0; i < SINGLE_REQUESTS; i++) await pushOk([changeset([guest()])]);
  const single = performance.now() - started;

  await pushOk(Array.from({ length: BATCH_SIZE }, () => changeset([guest()])));
  const batches = Array.from({ length: BATCH_REQUESTS }, () =>
    Array.from({ length: BATCH_SIZE }, () => changeset([guest()])),
  );
  started = performance.now();
  for (const batch of batches) await pushOk(batch);
  const batched = performance.now() - started;

  // The same rows, raw.
  const columns = ['id', 'email', 'first_name', 'last_name', 'role', 'created_at', 'updated_at'];
  const valuesOf = (row: ReturnType<typeof userRow>) => [
    row.id,
    row.email,
    row.firstName,
    row.lastName,
    row.role,
    row.createdAt,
    row.updatedAt,
  ];
  const insertOne = `INSERT INTO users (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`;
  const insertMany = `INSERT INTO users (${columns.join(', ')}) VALUES ${Array.from(
    { length: BATCH_SIZE },
    (_, r) => `(${columns.map((_, c) => `$${r * columns.length + c + 1}`).join(', ')})`,
  ).join(', ')}`;

  for (let i = 0; i < WARM_UP; i++) await raw.query(insertOne, valuesOf(userRow()));
  const rawSingleRows = Array.from({ length: SINGLE_REQUESTS }, () => valuesOf(userRow()));
  started = performance.now();
  for (const values of rawSingleRows) await raw.query(insertOne, values);
  const rawSingle = performance.now() - started;

  await raw.query(insertMany, Array.from({ length: BATCH_SIZE }, () => valuesOf(userRow())).flat());
  const rawBatches = Array.from({ length: BATCH_REQUESTS }, () =>
    Array.from({ length: BATCH_SIZE }, () => valuesOf(userRow())).flat(),
  );
  started = performance.now();
  for (const values of rawBatches) await raw.query(insertMany, values);
  const rawBatched = performance.now() - started;

  // Every statement the server sends Postgres for a one-changeset request, replayed on one
  // connection: what is left of the gap is HTTP, JSON, validation and the server's own JS.
  const replay = await replayServerSql(raw, adminId);
  for (let i = 0; i < WARM_UP; i++) await replay(userRow());
  const replayRows = Array.from({ length: SINGLE_REQUESTS }, () => userRow());
  started = performance.now();
  for (const row of replayRows) await replay(row);
  const replayed = performance.now() - started;

  const httpSingle = 'HTTP, 1 changeset per POST';
  const httpBatched = `HTTP, ${BATCH_SIZE} changesets per POST`;
  const rawSingleName = 'raw pg, 1-row INSERT, autocommit';
  const rawBatchedName = `raw pg, ${BATCH_SIZE}-row INSERT (one txn)`;
  return [
    { name: httpSingle, rows: SINGLE_REQUESTS, ms: single, against: rawSingleName },
    { name: httpBatched, rows: BATCH_SIZE * BATCH_REQUESTS, ms: batched, against: rawBatchedName },
    { name: rawSingleName, rows: SINGLE_REQUESTS, ms: rawSingle, against: null },
    { name: rawBatchedName, rows: BATCH_SIZE * BATCH_REQUESTS, ms: rawBatched, against: null },
    { name: "raw pg, the server's 11 statements/request", rows: SINGLE_REQUESTS, ms: replayed, against: rawSingleName },
  ];
}

/** The SQL of one single-changeset POST, as the server runs it (auth, dedupe, txn, feed read). */
async function replayServerSql(raw: pg.Client, adminId: string) {
  const query: Query = async <T>(text: string, params?: unknown[]) => (await raw.query(text, params)).rows as T[];
  const familyId = newId();
  await raw.query(
    `INSERT INTO refresh_tokens (id, family_id, user_id, device_id, token_hash, expires_at, created_at)
     VALUES ($1, $2, $3, 'replay', $4, now() + interval '1 day', now())`,
    [newId(), familyId, adminId, newId()],
  );
  const visible = Object.values(getTableColumns(SYNCED_TABLES.users))
    .map((c) => c.name)
    .filter((c) => c !== 'password_hash');
  let head = Number(
    (await query<{ head: string }>(`SELECT coalesce(max(seq), 0)::text AS head FROM change_log`))[0]!.head,
  );
  return async (row: ReturnType<typeof userRow>) => {
    const changesetId = newId();
    const values = { ...columnValues('users', row) };
    const columns = Object.keys(values).map((c) => `"${c}"`);
    await query(
      `SELECT id, email, role, first_name AS "firstName", last_name AS "lastName", status,
         EXISTS (SELECT 1 FROM refresh_tokens WHERE family_id = $2 AND revoked_at IS NULL) AS live
       FROM users WHERE id = $1`,
      [adminId, familyId],
    );
    await query(`SELECT user_id, outcome, txid::text, code, message FROM applied_changesets WHERE id = $1`, [
      changesetId,
    ]);
    await query('BEGIN ISOLATION LEVEL READ COMMITTED');
    const [inserted] = await query<{ row: Record<string, string | null> }>(
      `INSERT INTO "users" (${columns.join(', ')})
       SELECT ${columns.join(', ')} FROM jsonb_populate_record(null::"users", $1::jsonb)
       RETURNING ${textRowSql(visible)} AS row`,
      [JSON.stringify(values)],
    );
    const txid = await appendToChangeLog(query, changesetId, [
      { table: 'users', op: 'insert', rowId: row.id, values: inserted!.row },
    ]);
    await query(
      `INSERT INTO applied_changesets (id, device_id, user_id, outcome, txid, created_at) VALUES ($1, $2, $3, 'applied', $4, now())`,
      [changesetId, 'replay', adminId, txid],
    );
    await query('COMMIT');
    for (;;) {
      const rows = await query<{ seq: string }>(
        `SELECT seq::text, txid::text, table_name, row_id, op, values FROM change_log WHERE seq > $1 ORDER BY seq LIMIT 5000`,
        [head],
      );
      if (rows.length === 0) break;
      head = Number(rows.at(-1)!.seq);
    }
  };
}

function printThroughput(results: Throughput[]): void {
  console.log(
    `\n1+2. Write throughput — each changeset inserts one GUEST users row; signed in as an ADMIN; sequential requests`,
  );
  console.log(
    'case'.padEnd(44),
    '  rows',
    ' total s',
    '   rows/s',
    ' ms/row',
    '  ratio',
    '  (ratio = ms/row ÷ ms/row of the row named)',
  );
  for (const r of results) {
    const base = r.against ? results.find((b) => b.name === r.against)! : null;
    const perRow = r.ms / r.rows;
    console.log(
      r.name.padEnd(44),
      String(r.rows).padStart(6),
      (r.ms / 1000).toFixed(2).padStart(8),
      ((r.rows * 1000) / r.ms).toFixed(0).padStart(9),
      perRow.toFixed(3).padStart(7),
      (base ? `${(perRow / (base.ms / base.rows)).toFixed(1)}x` : 'base').padStart(7),
      base ? `  vs ${base.name}` : '',
    );
  }
}

// ---- 3: live delivery ----

interface Delivery {
  label: string;
  shapeLogsBefore: number;
  shapeLogs: number;
  /** Open HTTP connections on the server while every subscriber waits in a long-poll. */
  connections: number;
  /** From just before the POST until it returned (the changeset is committed). */
  commit: number[];
  /** From the POST's return until the first, and the last, subscriber had the row. */
  first: number[];
  all: number[];
  /** From the POST's return until the server had sent its last live reply for that change. */
  serverSent: number[];
  /** From just before the POST until the last subscriber had the row. */
  total: number[];
  streamErrors: number;
}

async function measureDelivery(
  server: ServerProcess,
  admin: ApiClient,
  tokens: string[],
  label: string,
): Promise<Delivery> {
  const shapeLogsBefore = (await server.stats()).shapes;
  const abort = new AbortController();
  // Every stream listens on the one signal.
  setMaxListeners(0, abort.signal);
  let pending: { id: string; arrivals: number[]; count: number; done: () => void } | null = null;
  let streamErrors = 0;
  const streams = tokens.map((token, index) => {
    const stream = new ShapeStream<Row>({
      url: `${server.address}/v1/shape`,
      params: { table: 'locations' },
      headers: { authorization: `Bearer ${token}` },
      signal: abort.signal,
      onError: () => {
        streamErrors++;
      },
    });
    stream.subscribe((messages) => {
      const now = performance.now();
      for (const message of messages) {
        if (!pending || !isChangeMessage(message) || message.value.id !== pending.id) continue;
        if (pending.arrivals[index] !== undefined) continue;
        pending.arrivals[index] = now;
        if (++pending.count === tokens.length) pending.done();
      }
    });
    return stream;
  });

  try {
    await waitFor(() => streams.every((s) => s.isUpToDate), 60_000, 'every subscriber to load the shape');
    // Let every subscriber settle into its live long-poll.
    await sleep(500);
    const { shapes: shapeLogs, connections } = await server.stats();
    await server.liveReplies();

    const sendOne = async () => {
      const row = locationRow();
      const arrived = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`only ${pending?.count} of ${tokens.length} subscribers got ${row.id} in 30 s`)),
          30_000,
        );
        timer.unref();
        pending = {
          id: row.id,
          arrivals: new Array<number>(tokens.length),
          count: 0,
          done: () => {
            clearTimeout(timer);
            resolve();
          },
        };
      });
      // Reported by the await below, unless the push fails first.
      arrived.catch(() => {});
      const start = performance.now();
      const startEpoch = epochNow();
      const [result] = await admin.push(changeset([insert('locations', row)]));
      const committed = performance.now();
      const committedEpoch = epochNow();
      if (result?.status !== 'applied') throw new Error(`the changeset was not applied: ${JSON.stringify(result)}`);
      await arrived;
      const arrivals = pending!.arrivals;
      pending = null;
      // Let the subscribers send their next long-poll before the next change.
      await sleep(100);
      const replies = (await server.liveReplies()).filter((t) => t >= startEpoch);
      if (replies.length !== tokens.length) {
        throw new Error(`expected ${tokens.length} live replies for ${row.id}, the server sent ${replies.length}`);
      }
      return {
        commit: committed - start,
        first: Math.min(...arrivals) - committed,
        all: Math.max(...arrivals) - committed,
        serverSent: Math.max(...replies) - committedEpoch,
        total: Math.max(...arrivals) - start,
      };
    };

    for (let i = 0; i < 3; i++) await sendOne();
    const samples = [];
    for (let i = 0; i < DELIVERIES; i++) samples.push(await sendOne());
    return {
      label,
      shapeLogsBefore,
      shapeLogs,
      connections,
      commit: samples.map((s) => s.commit),
      first: samples.map((s) => s.first),
      all: samples.map((s) => s.all),
      serverSent: samples.map((s) => s.serverSent),
      total: samples.map((s) => s.total),
      streamErrors,
    };
  } finally {
    abort.abort();
    for (const stream of streams) stream.unsubscribeAll();
  }
}

async function rawInsertLatency(raw: pg.Client): Promise<number[]> {
  const columns = ['id', 'name', 'city', 'country', 'time_zone', 'currency', 'coordinates', 'created_at', 'updated_at'];
  const sql = `INSERT INTO locations (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`;
  const one = async () => {
    const l = locationRow();
    const started = performance.now();
    await raw.query(sql, [
      l.id,
      l.name,
      l.city,
      l.country,
      l.timeZone,
      l.currency,
      JSON.stringify(l.coordinates),
      l.createdAt,
      l.updatedAt,
    ]);
    return performance.now() - started;
  };
  for (let i = 0; i < 3; i++) await one();
  const samples = [];
  for (let i = 0; i < DELIVERIES; i++) samples.push(await one());
  // Raw rows outside the change log would never reach a shape; take them out again.
  await raw.query(
    `DELETE FROM locations WHERE id NOT IN (SELECT row_id FROM change_log WHERE table_name = 'locations')`,
  );
  return samples;
}

function printDelivery(results: Delivery[], rawLatency: number[]): void {
  const base = stats(rawLatency);
  console.log(
    `\n3. Live delivery — ${SUBSCRIBERS} ShapeStream (@electric-sql/client) subscribers on the locations shape, ` +
      `long-polling; ${DELIVERIES} changesets (one location insert each) sent one at a time after 3 warm-up; ms`,
  );
  console.log(`   p99 of ${DELIVERIES} samples is the slowest sample. Ratio = median ÷ raw insert median.`);
  console.log(
    `   The ${SUBSCRIBERS} subscribers all run in this one client process, so "ALL subscribers have the row" includes\n` +
      `   this process taking in ${SUBSCRIBERS} answers and sending ${SUBSCRIBERS} new long-polls; "server has sent" is the server's side\n` +
      `   alone (its onResponse hook, on the clock both processes share).`,
  );
  console.log('measure'.padEnd(58), ' median', '    p99', '   ratio');
  const line = (name: string, samples: number[], ratio = true) => {
    const s = stats(samples);
    console.log(
      name.padEnd(58),
      s.median.toFixed(2).padStart(7),
      s.p99.toFixed(2).padStart(7),
      (ratio ? `${(s.median / base.median).toFixed(1)}x` : '').padStart(8),
    );
  };
  for (const r of results) {
    console.log(
      `${r.label}: server shape logs ${r.shapeLogsBefore} → ${r.shapeLogs}, ` +
        `${r.connections} open connections on the server while held` +
        (r.streamErrors ? ` (${r.streamErrors} stream errors!)` : ''),
    );
    line('  POST start → POST returned (committed)', r.commit);
    line('  POST returned → first subscriber has the row', r.first, false);
    line(`  POST returned → server has sent all ${SUBSCRIBERS} live replies`, r.serverSent, false);
    line(`  POST returned → ALL ${SUBSCRIBERS} subscribers have the row`, r.all, false);
    line(`  POST start → ALL ${SUBSCRIBERS} subscribers have the row`, r.total);
  }
  console.log('Baseline (not a delivery): raw pg single-row INSERT of a location, autocommit');
  line('  raw INSERT round trip', rawLatency);
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

// ---- the server, at arm's length ----

interface ServerClose {
  ms: number;
  /** Connections still open when the grace period ran out, which the bench then closed. */
  withoutRequest: number;
  withRequest: number;
}

interface ServerProcess {
  address: string;
  stats(): Promise<{ shapes: number; connections: number }>;
  /** The times (epoch ms) the server finished live long-poll replies since the last call. */
  liveReplies(): Promise<number[]>;
  /** Null if the server process was already gone. */
  close(): Promise<ServerClose | null>;
}

function startServer(url: string): Promise<ServerProcess> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--serve', url]);
  const next = <T>(pick: (message: unknown) => T | undefined): Promise<T> =>
    new Promise((resolve, reject) => {
      const onMessage = (message: unknown) => {
        const value = pick(message);
        if (value === undefined) return;
        cleanup();
        resolve(value);
      };
      const onExit = (code: number | null) => {
        cleanup();
        reject(new Error(`the server process exited (${code})`));
      };
      const cleanup = () => {
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      child.on('message', onMessage);
      child.on('exit', onExit);
    });
  const field =
    <K extends string>(key: K) =>
    (m: unknown) =>
      m && typeof m === 'object' && key in m ? (m as Record<K, unknown>)[key] : undefined;

  return next(field('address')).then((address) => ({
    address: address as string,
    async stats() {
      const stats = next(field('stats'));
      child.send('stats');
      return (await stats) as { shapes: number; connections: number };
    },
    async liveReplies() {
      const replies = next(field('liveReplies'));
      child.send('live-replies');
      return (await replies) as number[];
    },
    async close() {
      if (child.exitCode !== null || !child.connected) return null;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      const closed = next(field('closed')).catch(() => null);
      child.send('close');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const answer = (await closed) as ServerClose | null;
      await exited;
      clearTimeout(timer);
      return answer;
    },
  }));
}

// ---- helpers ----

async function createDatabase(cluster: PostgresCluster, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: cluster.url });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(cluster.url);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Signs every email in, a few at a time (each sign-in is an argon2 verification). */
async function signInAll(url: string, emails: string[]): Promise<ApiClient[]> {
  const clients: ApiClient[] = new Array(emails.length);
  let next = 0;
  const worker = async () => {
    while (next < emails.length) {
      const i = next++;
      clients[i] = await ApiClient.signIn(url, emails[i]!);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return clients;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = performance.now() + ms;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(20);
  }
}

// Last, so that every declaration above is initialised.
if (process.argv[2] === '--serve') {
  await serve(process.argv[3]!);
} else {
  await main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
  // Everything is closed; the Electric client still holds a timer (its up-to-date tracker saves at
  // most once a minute), which would keep the process alive for up to 60 s for nothing.
  process.exit();
}
