// Benchmark of finding free nights and of the booking calendar on the scale dataset (1,000
// properties, 100,000 stays): each call through the router (identity, policy, validation,
// drizzle) against the very same SQL run raw on better-sqlite3 with prepared statements. Prints
// median and p95 in ms, the router/raw ratio, and whether the search answers within its 100 ms.
//   npx tsx bench/availability.bench.ts [--db /path/scale.db]   (the dataset is generated when the file is absent)
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { hashPassword } from '../db/auth/passwords.js';
import { addDays } from '../db/domain/dates.js';
import { newId } from '../db/domain/ids.js';
import { openLocalDatabase } from '../db/local-database.js';
import { generateSampleData } from '../db/sample/generate.js';
import { loadSampleData } from '../db/sample/load.js';
import { createCore } from '../main/core/core.js';
import type { OperationName } from '../main/operations/index.js';

const GENERATED_TODAY = '2026-11-24';
const RUNS = 100;
const WARM_UP = 10;
const TARGET_MS = 100;
const PASSWORD = 'bench-harbour-tram-58';
const BENCH_ADMIN = 'bench-availability@example.com';

const { values: args } = parseArgs({ options: { db: { type: 'string' } } });
const file = args.db ?? join(mkdtempSync(join(tmpdir(), 'roomy-bench-')), 'scale.db');
if (!existsSync(file)) {
  console.log(`Generating the scale dataset into ${file} …`);
  const local = openLocalDatabase(file);
  loadSampleData(local.sqlite, generateSampleData({ size: 'scale', today: GENERATED_TODAY }));
  local.close();
}
await addBenchAdmin(file);

const raw = new Database(file, { readonly: true });
// The dataset's own today: the latest arrival of a stay that is checked in now.
const today = raw.prepare(`SELECT max(check_in) FROM reservations WHERE status = 'CHECKED_IN'`).pluck().get() as string;

let tracing = false;
let traced: [string, unknown[]][] = [];
const core = createCore({
  databaseFile: file,
  now: () => new Date(`${today}T12:00:00Z`),
  sleep: async () => {},
  trace: (sql, params) => {
    if (tracing) traced.push([sql, params]);
  },
});
const must = async (caller: string, name: OperationName, input?: unknown) => {
  const result = await core.call(caller, name, input);
  if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
  return result.value;
};

await must('admin', 'auth/sign-in', { email: BENCH_ADMIN, password: PASSWORD });
const agent = raw
  .prepare(
    `SELECT u.id, u.email FROM users u JOIN properties p ON p.agent_id = u.id GROUP BY u.id ORDER BY count(*) DESC LIMIT 1`,
  )
  .get() as { id: string; email: string };
await must('admin', 'users/set-password', { id: agent.id, password: PASSWORD });
await must('agent', 'auth/sign-in', { email: agent.email, password: PASSWORD });
const location = raw.prepare(`SELECT id FROM locations ORDER BY name LIMIT 1`).pluck().get() as string;

const nextWeek = { checkIn: addDays(today, 7), checkOut: addDays(today, 10), guests: 4 };
const spring = { checkIn: addDays(today, 100), checkOut: addDays(today, 103), guests: 4 };
const month = { from: `${today.slice(0, 7)}-01`, to: addDays(`${today.slice(0, 7)}-01`, 31) };

interface Case {
  name: string;
  caller: string;
  op: OperationName;
  input: unknown;
  /** The search's answer time is promised; the others are shown for comparison. */
  target?: number;
}

const cases: Case[] = [
  {
    name: 'free next week for 4, whole agency',
    caller: 'admin',
    op: 'availability/search',
    input: nextWeek,
    target: TARGET_MS,
  },
  {
    name: 'free in 100 days for 4, whole agency',
    caller: 'admin',
    op: 'availability/search',
    input: spring,
    target: TARGET_MS,
  },
  {
    name: 'free next week, one location, 2+ bedrooms',
    caller: 'admin',
    op: 'availability/search',
    input: { ...nextWeek, locationId: location, minBedrooms: 2 },
    target: TARGET_MS,
  },
  {
    name: 'free next week, agent scope',
    caller: 'agent',
    op: 'availability/search',
    input: nextWeek,
    target: TARGET_MS,
  },
  { name: 'calendar month, all properties and stays', caller: 'admin', op: 'availability/calendar', input: month },
  { name: 'search everything for "silva"', caller: 'admin', op: 'search/everything', input: { query: 'silva' } },
  { name: 'search everything for "silva", agent', caller: 'agent', op: 'search/everything', input: { query: 'silva' } },
];

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: percentile(sorted, 50), p95: percentile(sorted, 95) };
}

console.log(`\nRoomy availability benchmark — ${file} (today ${today})\n${RUNS} runs each; times in ms\n`);
console.log('case'.padEnd(46), 'router med', '  p95', '   raw med', '  p95', '  ratio', '  target');
for (const c of cases) {
  // Capture the SQL one routed run executes, then time both ways.
  traced = [];
  tracing = true;
  const answer = await must(c.caller, c.op, c.input);
  tracing = false;
  const statements = traced
    .filter(([sql]) => /^\s*(SELECT|WITH)/i.test(sql))
    .map(([sql, params]) => ({ statement: raw.prepare(sql), params }));

  const routed: number[] = [];
  const direct: number[] = [];
  for (let i = 0; i < RUNS + WARM_UP; i++) {
    let t = performance.now();
    await must(c.caller, c.op, c.input);
    const routedMs = performance.now() - t;
    t = performance.now();
    for (const { statement, params } of statements) statement.all(...params);
    const directMs = performance.now() - t;
    if (i >= WARM_UP) {
      routed.push(routedMs);
      direct.push(directMs);
    }
  }
  const r = stats(routed);
  const d = stats(direct);
  const verdict = c.target === undefined ? '' : r.p95 <= c.target ? `≤ ${c.target} ok` : `> ${c.target} MISSED`;
  console.log(
    c.name.padEnd(46),
    r.median.toFixed(2).padStart(10),
    r.p95.toFixed(2).padStart(6),
    d.median.toFixed(2).padStart(10),
    d.p95.toFixed(2).padStart(6),
    `${(r.median / d.median).toFixed(2)}x`.padStart(7),
    verdict.padStart(14),
    `  (${describe(c.op, answer)})`,
  );
}
core.close();
raw.close();

/** What a call found, so a fast answer is seen not to be an empty one. */
function describe(op: OperationName, answer: unknown): string {
  const value = answer as Record<string, unknown[] | null>;
  if (op === 'availability/search') return `${value.items!.length} free`;
  if (op === 'availability/calendar') {
    const rows = value.properties as { stays: unknown[] }[];
    return `${rows.length} properties, ${rows.reduce((n, p) => n + p.stays.length, 0)} stays`;
  }
  return Object.entries(value)
    .map(([kind, hits]) => `${hits?.length ?? '-'} ${kind}`)
    .join(', ');
}

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
