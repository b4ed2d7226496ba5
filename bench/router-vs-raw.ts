// What the core benchmarks share: the scale dataset opened through the router, signed in as an
// administrator and as the agent with the most properties, and a timing of calls through the
// router against the very same SQL run raw on better-sqlite3 with prepared statements.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { hashPassword } from '../db/auth/passwords.js';
import { newId } from '../db/domain/ids.js';
import { openLocalDatabase } from '../db/local-database.js';
import { generateSampleData } from '../db/sample/generate.js';
import { loadSampleData } from '../db/sample/load.js';
import { createCore } from '../main/core/core.js';
import type { OperationName } from '../main/operations/index.js';

const PASSWORD = 'bench-harbour-tram-58';

export type Call = [caller: 'admin' | 'agent', op: OperationName, input: unknown];

export interface Stats {
  median: number;
  p95: number;
}

export interface ScaleBench {
  file: string;
  raw: Database.Database;
  /** The day the core takes as today. */
  today: string;
  must(caller: string, name: OperationName, input?: unknown): Promise<unknown>;
  /** The calls timed `runs` times through the router and as their raw SQL, after `warmUp` untimed runs. */
  measure(calls: Call[], runs: number, warmUp: number): Promise<{ routed: Stats; direct: Stats; answers: unknown[] }>;
  close(): void;
}

/**
 * Opens `db` (generated as the scale dataset, dated `generatedToday`, when absent), adds an
 * administrator the bench signs in as (the sample data has no passwords), and signs in.
 */
export async function openScaleBench(options: {
  db: string | undefined;
  generatedToday: string;
  benchAdmin: string;
  /** The core's today, read from the dataset; the day it was generated when absent. */
  todayOf?: (raw: Database.Database) => string;
}): Promise<ScaleBench> {
  const file = options.db ?? join(mkdtempSync(join(tmpdir(), 'roomy-bench-')), 'scale.db');
  if (!existsSync(file)) {
    console.log(`Generating the scale dataset into ${file} …`);
    const local = openLocalDatabase(file);
    const started = performance.now();
    const counts = loadSampleData(local.sqlite, generateSampleData({ size: 'scale', today: options.generatedToday }));
    console.log(`  ${JSON.stringify(counts)} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    local.close();
  }
  await addBenchAdmin(file, options.benchAdmin);

  const raw = new Database(file, { readonly: true });
  const today = options.todayOf?.(raw) ?? options.generatedToday;
  let traced: [string, unknown[]][] | null = null;
  const core = createCore({
    databaseFile: file,
    now: () => new Date(`${today}T12:00:00Z`),
    sleep: async () => {},
    trace: (sql, params) => traced?.push([sql, params]),
  });
  const must = async (caller: string, name: OperationName, input?: unknown) => {
    const result = await core.call(caller, name, input);
    if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
    return result.value;
  };

  await must('admin', 'auth/sign-in', { email: options.benchAdmin, password: PASSWORD });
  const agent = raw
    .prepare(
      `SELECT u.id, u.email FROM users u JOIN properties p ON p.agent_id = u.id GROUP BY u.id ORDER BY count(*) DESC LIMIT 1`,
    )
    .get() as { id: string; email: string };
  await must('admin', 'users/set-password', { id: agent.id, password: PASSWORD });
  await must('agent', 'auth/sign-in', { email: agent.email, password: PASSWORD });

  const measure = async (calls: Call[], runs: number, warmUp: number) => {
    // Capture the SQL one routed run executes, then time both ways.
    traced = [];
    const answers: unknown[] = [];
    for (const [caller, op, input] of calls) answers.push(await must(caller, op, input));
    const statements = traced
      .filter(([sql]) => /^\s*(SELECT|WITH)/i.test(sql))
      .map(([sql, params]) => ({ statement: raw.prepare(sql), params }));
    traced = null;

    const routed: number[] = [];
    const direct: number[] = [];
    for (let i = 0; i < runs + warmUp; i++) {
      let t = performance.now();
      for (const [caller, op, input] of calls) await must(caller, op, input);
      const routedMs = performance.now() - t;
      t = performance.now();
      for (const { statement, params } of statements) statement.all(...params);
      const directMs = performance.now() - t;
      if (i >= warmUp) {
        routed.push(routedMs);
        direct.push(directMs);
      }
    }
    return { routed: stats(routed), direct: stats(direct), answers };
  };

  return {
    file,
    raw,
    today,
    must,
    measure,
    close: () => {
      core.close();
      raw.close();
    },
  };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

export function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: percentile(sorted, 50), p95: percentile(sorted, 95) };
}

async function addBenchAdmin(databaseFile: string, email: string): Promise<void> {
  const local = openLocalDatabase(databaseFile);
  if (!local.sqlite.prepare('SELECT 1 FROM users WHERE email = ?').get(email)) {
    const id = newId();
    const now = new Date().toISOString();
    const verifier = await hashPassword(PASSWORD);
    local.sqlite.transaction(() => {
      local.sqlite
        .prepare(
          `INSERT INTO users (id, email, first_name, last_name, role, status, is_verified, created_at, updated_at)
           VALUES (?, ?, 'Bench', 'Admin', 'ADMIN', 'ACTIVE', 1, ?, ?)`,
        )
        .run(id, email, now, now);
      local.sqlite
        .prepare('INSERT INTO local_credentials (user_id, verifier, updated_at) VALUES (?, ?, ?)')
        .run(id, verifier, now);
    })();
  }
  local.close();
}
