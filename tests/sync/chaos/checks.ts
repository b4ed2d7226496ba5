// What a settled office must satisfy: each device holds exactly the rows its user may read on
// the server, column by column; nothing waits to upload; every refusal is a conflict on the
// device that made the change, and none other; and every changeset counted once (each device's
// audit chain on the server is its chain here, whole, with no gap and no double).
import { getTableColumns } from 'drizzle-orm';
import type { CentralDatabase } from '../../../db/central-database.js';
import { SYNCED_TABLES, type SyncedTableName } from '../../../main/core/synced-tables.js';
import { sqliteValues, type ColumnValues } from '../../../main/sync/replica.js';
import { MemorySecretStore, ServerConnection, signInToServer } from '../../../main/sync/server-connection.js';
import { readRowsOnce } from '../../../main/sync/shape-values.js';
import { PASSWORD } from '../../sync-server/sync-client.js';
import type { AuditCount, ConflictRecord } from './desktop-client.js';
import type { Person } from './operations.js';

export const TABLES = Object.keys(SYNCED_TABLES) as SyncedTableName[];

export interface ColumnDiff {
  column: string;
  device: unknown;
  server: unknown;
}

export interface RowDiff {
  table: SyncedTableName;
  id: string;
  problem: 'missing on the device' | 'on the device, but the server does not show it to this user' | 'columns differ';
  columns?: ColumnDiff[];
  device?: ColumnValues;
  server?: ColumnValues;
}

export interface ChaosFailure {
  kind:
    | 'never settled'
    | 'rows differ'
    | 'waiting to upload'
    | 'refusal not listed as a conflict'
    | 'conflict the server never gave'
    | 'applied twice'
    | 'audit chain differs'
    | 'desktop crashed'
    | 'call threw'
    | 'harness';
  device?: string;
  message: string;
  rows?: RowDiff[];
  details?: unknown;
}

const JSON_COLUMNS = new Map(
  TABLES.map((table) => [
    table,
    new Set(
      Object.values(getTableColumns(SYNCED_TABLES[table]))
        .filter((c) => c.columnType === 'SQLiteTextJson')
        .map((c) => c.name),
    ),
  ]),
);

/** JSON text compared by meaning (key order aside); everything else as SQLite holds it. */
function sameValue(table: SyncedTableName, column: string, a: unknown, b: unknown): boolean {
  if (JSON_COLUMNS.get(table)!.has(column) && typeof a === 'string' && typeof b === 'string') {
    try {
      return canonical(JSON.parse(a)) === canonical(JSON.parse(b));
    } catch {
      return a === b;
    }
  }
  return a === b || (typeof a === 'number' && typeof b === 'number' && Object.is(a, b));
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

/** The device's rows against the server's (null: this user may not read the table). */
export function compareTable(
  table: SyncedTableName,
  device: ColumnValues[],
  server: Map<string, ColumnValues> | null,
): RowDiff[] {
  const here = new Map(device.map((r) => [String(r.id), r]));
  const diffs: RowDiff[] = [];
  if (server === null) return diffs; // checked by audit counts: only the device's own rows
  for (const [id, row] of server) {
    const mine = here.get(id);
    if (!mine) {
      diffs.push({ table, id, problem: 'missing on the device', server: row });
      continue;
    }
    // Columns the server withholds from this user are not in its row: the device keeps neutral values.
    const columns = Object.keys(row)
      .filter((c) => !sameValue(table, c, mine[c], row[c]))
      .map((column) => ({ column, device: mine[column], server: row[column] }));
    if (columns.length > 0) diffs.push({ table, id, problem: 'columns differ', columns });
  }
  for (const [id, row] of here) {
    if (!server.has(id))
      diffs.push({ table, id, problem: 'on the device, but the server does not show it to this user', device: row });
  }
  return diffs;
}

/** Reads tables as one user sees them on the server, converted as SQLite stores them. */
export async function serverView(
  serverUrl: string,
  person: Person,
): Promise<(table: SyncedTableName) => Promise<Map<string, ColumnValues> | null>> {
  const { tokens } = await signInToServer(serverUrl, {
    email: person.email,
    password: PASSWORD,
    deviceId: `checker-${person.id}`,
  });
  const connection = new ServerConnection(serverUrl, person.id, new MemorySecretStore());
  connection.saveTokens(tokens);
  return async (table) => {
    const rows = await readRowsOnce(serverUrl, connection.fetch, table, null);
    if (rows === 'unreadable') return null;
    return new Map(rows.map((r) => [String(r.id), sqliteValues(table, r)]));
  };
}

/** Each device's chain and refusals as the server holds them. */
export async function exactlyOnce(
  central: CentralDatabase,
  device: string,
  audit: AuditCount,
  conflicts: ConflictRecord[],
): Promise<{ failures: ChaosFailure[]; notes: string[] }> {
  const failures: ChaosFailure[] = [];
  const notes: string[] = [];
  const [chain] = await central.query<{ n: number; distinct_seq: number; max_seq: number | null }>(
    `SELECT count(*)::int AS n, count(DISTINCT seq)::int AS distinct_seq, max(seq) AS max_seq
     FROM audit_log WHERE device_id = $1`,
    [audit.deviceId],
  );
  if (chain!.n !== audit.count || chain!.max_seq !== audit.maxSeq || chain!.n !== chain!.max_seq) {
    failures.push({
      kind: 'audit chain differs',
      device,
      message:
        `The server holds ${chain!.n} audit rows of ${device} (device ${audit.deviceId}, highest seq ${chain!.max_seq}); ` +
        `the device holds ${audit.count} (highest seq ${audit.maxSeq}). Equal counts with no gap mean every changeset arrived once.`,
      details: { server: chain, device: audit },
    });
  }
  const answers = await central.query<{ id: string; outcome: string; code: string | null; message: string | null }>(
    `SELECT id, outcome, code, message FROM applied_changesets WHERE device_id = $1`,
    [audit.deviceId],
  );
  const byId = new Map(answers.map((a) => [a.id, a]));
  const listed = new Map(conflicts.map((c) => [c.changeset_id, c]));
  for (const answer of answers) {
    if (answer.outcome !== 'rejected' || listed.has(answer.id)) continue;
    // Audit rows that only mention a refused change go up again as a new changeset: no conflict for them.
    if (answer.code === 'dependency_rejected') {
      notes.push(`${device}: changeset ${answer.id} refused as dependency_rejected and not listed (audit rows alone?)`);
      continue;
    }
    failures.push({
      kind: 'refusal not listed as a conflict',
      device,
      message: `The server refused changeset ${answer.id} of ${device} (${answer.code}: ${answer.message}), but the device lists no conflict for it.`,
      details: answer,
    });
  }
  for (const conflict of conflicts) {
    const answer = byId.get(conflict.changeset_id);
    if (!answer || answer.outcome !== 'rejected') {
      failures.push({
        kind: 'conflict the server never gave',
        device,
        message: `${device} lists changeset ${conflict.changeset_id} as refused (${conflict.code}: ${conflict.message}), but the server ${answer ? 'applied it' : 'has no answer for it'}.`,
        details: { conflict, answer },
      });
    } else if (/Key \(id\)=/.test(conflict.message)) {
      // A row of this changeset was there already: an earlier send of the same change was applied.
      failures.push({
        kind: 'applied twice',
        device,
        message: `${device}'s changeset ${conflict.changeset_id} was refused as a duplicate: ${conflict.message}`,
        details: conflict,
      });
    }
  }
  return { failures, notes };
}
