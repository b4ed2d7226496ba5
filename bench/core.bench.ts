// Benchmark of the core on the scale dataset: each office query through the router (identity,
// policy, validation, drizzle) against the very same SQL run raw on better-sqlite3 with prepared
// statements. Prints median and p95 in ms and the router/raw ratio.
//   npm run bench:core [-- --db /path/scale.db]   (the dataset is generated when the file is absent)
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { openLocalDatabase } from '../db/local-database.js';
import { generateSampleData } from '../db/sample/generate.js';
import { loadSampleData } from '../db/sample/load.js';
import { newId } from '../db/domain/ids.js';
import { hashPassword } from '../db/auth/passwords.js';
import { createCore } from '../main/core/core.js';
import type { OperationName } from '../main/operations/index.js';

const TODAY = '2026-11-24';
const RUNS = 200;
const PASSWORD = 'bench-harbour-tram-58';

const { values: args } = parseArgs({ options: { db: { type: 'string' } } });
const file = args.db ?? join(mkdtempSync(join(tmpdir(), 'roomy-bench-')), 'scale.db');
if (!existsSync(file)) {
  console.log(`Generating the scale dataset into ${file} …`);
  const local = openLocalDatabase(file);
  const started = performance.now();
  const counts = loadSampleData(local.sqlite, generateSampleData({ size: 'scale', today: TODAY }));
  console.log(`  ${JSON.stringify(counts)} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  local.close();
}

const BENCH_ADMIN = 'bench-admin@example.com';
await addBenchAdmin(file);

let tracing = false;
let traced: [string, unknown[]][] = [];
const core = createCore({
  databaseFile: file,
  now: () => new Date(`${TODAY}T12:00:00Z`),
  sleep: async () => {},
  trace: (sql, params) => {
    if (tracing) traced.push([sql, params]);
  },
});
const raw = new Database(file, { readonly: true });

const must = async (caller: string, name: OperationName, input?: unknown) => {
  const result = await core.call(caller, name, input);
  if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
  return result.value;
};

// The sample data has no admin and no passwords: the bench signs in as an admin it adds itself.
await must('admin', 'auth/sign-in', { email: BENCH_ADMIN, password: PASSWORD });
const agent = raw
  .prepare(
    `SELECT u.id, u.email FROM users u JOIN properties p ON p.agent_id = u.id GROUP BY u.id ORDER BY count(*) DESC LIMIT 1`,
  )
  .get() as { id: string; email: string };
await must('admin', 'users/set-password', { id: agent.id, password: PASSWORD });
await must('agent', 'auth/sign-in', { email: agent.email, password: PASSWORD });

const location = raw.prepare(`SELECT id FROM locations ORDER BY name LIMIT 1`).pluck().get() as string;
const busiest = raw
  .prepare(`SELECT property_id FROM reservations GROUP BY property_id ORDER BY count(*) DESC LIMIT 1`)
  .pluck()
  .get() as string;
const year = { from: '2025-11-24', to: '2026-11-24' };

interface Case {
  name: string;
  calls: [caller: string, op: OperationName, input: unknown][];
}

const cases: Case[] = [
  {
    name: 'property list page, filtered and sorted',
    calls: [
      [
        'admin',
        'properties/list',
        { locationId: location, status: ['ACTIVE'], minBedrooms: 1, sort: 'price', order: 'desc', limit: 50 },
      ],
    ],
  },
  { name: 'property search', calls: [['admin', 'properties/list', { search: 'garden', limit: 50 }]] },
  { name: 'property list, agent scope', calls: [['agent', 'properties/list', { limit: 50 }]] },
  {
    name: 'reservation search (dates, status)',
    calls: [
      [
        'admin',
        'reservations/list',
        { from: '2026-12-01', to: '2026-12-15', status: ['CONFIRMED', 'PENDING'], limit: 50 },
      ],
    ],
  },
  { name: 'reservation search by guest name', calls: [['admin', 'reservations/list', { search: 'silva', limit: 50 }]] },
  { name: 'property overview', calls: [['admin', 'properties/overview', { id: busiest }]] },
  {
    name: 'finance summary + KPIs, one year, whole agency',
    calls: [
      ['admin', 'finance/summary', year],
      ['admin', 'finance/kpis', { ...year, groupBy: 'all' }],
    ],
  },
  {
    name: 'finance summary + KPIs, one year, by property',
    calls: [
      ['admin', 'finance/summary', year],
      ['admin', 'finance/kpis', { ...year, groupBy: 'property' }],
    ],
  },
];

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: percentile(sorted, 50), p95: percentile(sorted, 95) };
}

console.log(`\nRoomy core benchmark — ${file}\n${RUNS} runs each; times in ms\n`);
console.log('case'.padEnd(50), 'router med', '  p95', '   raw med', '  p95', '  ratio');
for (const c of cases) {
  // Capture the SQL one routed run executes, then time both ways.
  traced = [];
  tracing = true;
  for (const [caller, op, input] of c.calls) await must(caller, op, input);
  tracing = false;
  const statements = traced
    .filter(([sql]) => /^\s*(SELECT|WITH)/i.test(sql))
    .map(([sql, params]) => ({ statement: raw.prepare(sql), params }));

  const routed: number[] = [];
  const direct: number[] = [];
  for (let i = 0; i < RUNS + 20; i++) {
    let t = performance.now();
    for (const [caller, op, input] of c.calls) await must(caller, op, input);
    const routedMs = performance.now() - t;
    t = performance.now();
    for (const { statement, params } of statements) statement.all(...params);
    const directMs = performance.now() - t;
    if (i >= 20) {
      routed.push(routedMs);
      direct.push(directMs);
    }
  }
  const r = stats(routed);
  const d = stats(direct);
  console.log(
    c.name.padEnd(50),
    r.median.toFixed(2).padStart(10),
    r.p95.toFixed(2).padStart(6),
    d.median.toFixed(2).padStart(10),
    d.p95.toFixed(2).padStart(6),
    `${(r.median / d.median).toFixed(2)}x`.padStart(7),
  );
}
core.close();
raw.close();

async function addBenchAdmin(databaseFile: string): Promise<void> {
  const local = openLocalDatabase(databaseFile);
  if (!local.sqlite.prepare('SELECT 1 FROM users WHERE email = ?').get(BENCH_ADMIN)) {
    const id = newId();
    const now = new Date().toISOString();
    const verifier = await hashPassword(PASSWORD);
    local.sqlite.transaction(() => {
      local.sqlite
        .prepare(
          `INSERT INTO users (id, email, first_name, last_name, role, status, is_verified, created_at, updated_at)
           VALUES (?, ?, 'Bench', 'Admin', 'ADMIN', 'ACTIVE', 1, ?, ?)`,
        )
        .run(id, BENCH_ADMIN, now, now);
      local.sqlite
        .prepare('INSERT INTO local_credentials (user_id, verifier, updated_at) VALUES (?, ?, ?)')
        .run(id, verifier, now);
    })();
  }
  local.close();
}
