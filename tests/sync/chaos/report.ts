// What a chaos run leaves for the developer who reads it: the report (JSON and text), the
// server's side of a failed run, and which version of the sync code ran.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { CentralDatabase } from '../../../db/central-database.js';
import type { ChaosFailure } from './checks.js';
import type { OperationKind } from './operations.js';

const root = resolve(import.meta.dirname, '../../..');

export interface ChaosReport {
  seed: number;
  /** A digest of the sync code that ran (the tree may change under a long soak). */
  code: string;
  /** The run's settings, to repeat it. */
  steps: number;
  chaosMs: number;
  without: OperationKind[];
  ok: boolean;
  durationMs: number;
  failures: ChaosFailure[];
  mismatchedRows: number;
  notes: string[];
  counts: Record<string, number>;
  /** Each device at the end: status, what keeps it busy, outbox, stream positions, audit chain. */
  statuses: Record<string, unknown>;
  dir: string;
}

/** Writes report.json and report.txt, and for a failed run the server's side. */
export async function writeReport(report: ChaosReport, central: CentralDatabase): Promise<void> {
  writeFileSync(join(report.dir, 'report.json'), JSON.stringify(report, null, 2));
  writeFileSync(join(report.dir, 'report.txt'), describeReport(report));
  if (!report.ok) await dumpServerState(central, join(report.dir, 'server-state.json')).catch(() => {});
}

/** The report a developer reads first: what failed, where, and each differing row. */
export function describeReport(report: ChaosReport): string {
  const outcome = report.ok
    ? 'passed'
    : `FAILED (${report.failures.length} failures, ${report.mismatchedRows} rows differ)`;
  const without = report.without.length > 0 ? ` --without ${report.without.join(',')}` : '';
  const lines = [
    `Chaos run, seed ${report.seed}: ${outcome}`,
    `Time: ${(report.durationMs / 1000).toFixed(1)} s. Sync code ${report.code}. Counts: ${JSON.stringify(report.counts)}`,
    `Operation log: ${join(report.dir, 'ops.log')}; desktop logs: ${join(report.dir, '<device>.log')}`,
    `Repeat it: npm run soak:sync -- --runs 1 --seed ${report.seed} --steps ${report.steps} --chaos-ms ${report.chaosMs}${without}`,
    '',
  ];
  for (const failure of report.failures) {
    lines.push(`- [${failure.kind}]${failure.device ? ` ${failure.device}:` : ''} ${failure.message}`);
    for (const row of failure.rows ?? []) {
      lines.push(`    ${row.table} ${row.id}: ${row.problem}`);
      for (const c of row.columns ?? [])
        lines.push(`      ${c.column}: device ${JSON.stringify(c.device)}, server ${JSON.stringify(c.server)}`);
      if (row.device) lines.push(`      device row: ${JSON.stringify(row.device)}`);
      if (row.server) lines.push(`      server row: ${JSON.stringify(row.server)}`);
    }
    if (failure.details !== undefined && !failure.rows) lines.push(`    ${briefly(failure.details).slice(0, 4000)}`);
  }
  if (report.notes.length > 0) lines.push('', 'Notes:', ...report.notes.map((n) => `- ${n}`));
  lines.push('', 'Devices at the end (in full in report.json):');
  for (const [name, status] of Object.entries(report.statuses)) lines.push(`- ${name}: ${briefly(status)}`);
  return `${lines.join('\n')}\n`;
}

/** A device's state in one line: its outbox counted, its streams as table@offset/handle. */
export function briefly(state: unknown): string {
  if (!state || typeof state !== 'object') return String(state);
  const { outbox, shapes, ...rest } = state as {
    outbox?: unknown[];
    shapes?: Array<{ table_name: string; handle: string | null; offset: string }>;
  };
  return JSON.stringify({
    ...rest,
    ...(outbox ? { outbox: `${outbox.length} changesets` } : {}),
    ...(shapes ? { shapes: shapes.map((s) => `${s.table_name}@${s.offset}/${s.handle?.slice(-6)}`).join(' ') } : {}),
  });
}

/** What an outbox left behind holds: whether the uploader ever tried it, and what it records. */
export function outboxHint(diagnosis: unknown): string {
  const outbox = (diagnosis as { outbox?: Array<{ attempts: number; ops: string }> } | null)?.outbox ?? [];
  if (outbox.length === 0) return '';
  const tried = outbox.filter((o) => o.attempts > 0).length;
  const actions = outbox.flatMap((o) =>
    (JSON.parse(o.ops) as Array<{ table: string; values?: { action?: string } }>).map((op) =>
      op.table === 'audit_log' ? `audit ${op.values?.action}` : op.table,
    ),
  );
  return ` Its outbox holds ${outbox.length} changesets (${tried} ever tried): ${[...new Set(actions)].join(', ')}.`;
}

/** The server's side for a post-mortem: the change log's tail, with values, and each device's answers. */
async function dumpServerState(central: CentralDatabase, file: string): Promise<void> {
  const [head] = await central.query(`SELECT max(seq) AS max_seq, count(*)::int AS entries FROM change_log`);
  const tail = await central.query(
    `SELECT seq, txid, table_name, row_id, op, values, changeset_id, created_at FROM change_log
     ORDER BY seq DESC LIMIT 400`,
  );
  const answers = await central.query(
    `SELECT device_id, outcome, code, count(*)::int AS n FROM applied_changesets GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
  );
  writeFileSync(file, JSON.stringify({ head, answers, tail }, null, 2));
}

/** Which version of the sync code ran: a digest of its files. */
export function codeDigest(): string {
  const hash = createHash('sha256');
  const walk = (path: string) => {
    if (!existsSync(path)) return;
    if (statSync(path).isDirectory()) for (const name of readdirSync(path).sort()) walk(join(path, name));
    else if (path.endsWith('.ts')) hash.update(relative(root, path)).update(readFileSync(path));
  };
  for (const part of ['main/sync', 'main/desktop.ts', 'main/core', 'sync-server', 'db/sync']) walk(join(root, part));
  return hash.digest('hex').slice(0, 12);
}
