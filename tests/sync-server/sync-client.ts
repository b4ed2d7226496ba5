// Talking to a sync server and writing rows the way it does: shared by the tests and the
// benchmark (so nothing here imports vitest).
import { getTableColumns } from 'drizzle-orm';
import { Shape, ShapeStream, type Row } from '@electric-sql/client';
import { auditHash, GENESIS_HASH, type AuditRow } from '../../db/audit/chain-hash.js';
import type { CentralDatabase } from '../../db/central-database.js';
import { hashPassword } from '../../db/auth/passwords.js';
import { newId } from '../../db/domain/ids.js';
import type { SignInRole } from '../../db/policy/roles.js';
import { appendToChangeLog } from '../../sync-server/changes/change-log.js';
import { SYNCED_TABLES, textRowSql, type SyncedTableName } from '../../sync-server/tables.js';
import { userRow } from '../db/fixtures.js';
import { newTokenSecret } from '../../sync-server/auth/tokens.js';
import type { ServerSettings } from '../../sync-server/server.js';

/** A parsed JSON answer, loosely typed: tests assert its shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export const PASSWORD = 'Tangerine-Harbour-42';

/** A test server's settings: generous limits, short long-polls (a stopped server lets go at once). */
export const TEST_SETTINGS: ServerSettings = {
  tokenSecret: newTokenSecret(),
  allowedOrigins: ['https://office.example.com'],
  rateLimit: 100_000,
  signInRateLimit: 1_000,
  bodyLimitBytes: 256 * 1024,
  longPollMs: 1_500,
  accessTokenMinutes: 15,
  refreshTokenDays: 30,
  logLevel: (process.env.ROOMY_TEST_SERVER_LOG as ServerSettings['logLevel'] | undefined) ?? 'silent',
  feedPollMs: 200,
};

let hash: Promise<string> | undefined;

/** A user who can sign in with PASSWORD, written as the server writes any change (so shapes carry it). */
export async function addUser(
  central: CentralDatabase,
  role: SignInRole | 'GUEST',
  overrides: Record<string, unknown> = {},
): Promise<{ id: string; email: string; role: string }> {
  const row = userRow({ role, firstName: role.charAt(0) + role.slice(1).toLowerCase(), ...overrides });
  const values = { ...columnValues('users', row), password_hash: await (hash ??= hashPassword(PASSWORD)) };
  await writeRows(central, [{ table: 'users', values }]);
  return { id: row.id, email: row.email, role };
}

/** Rows written straight into the central database, with their change-log entries. */
export async function writeRows(
  central: CentralDatabase,
  rows: Array<{ table: SyncedTableName; values: Record<string, unknown> }>,
): Promise<void> {
  await central.transaction(async (query) => {
    const changes = [];
    for (const { table, values } of rows) {
      const columns = Object.keys(values);
      // The columns the database has: a test may hold it at an earlier migration than the schema's.
      const present = await query<{ name: string }>(
        `SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1`,
        [table],
      );
      const has = new Set(present.map((c) => c.name));
      const visible = Object.values(getTableColumns(SYNCED_TABLES[table]))
        .map((c) => c.name)
        .filter((c) => c !== 'password_hash' && has.has(c));
      const [inserted] = await query<{ row: Record<string, string | null> }>(
        `INSERT INTO ${table} (${columns.join(', ')}) SELECT ${columns.join(', ')}
         FROM jsonb_populate_record(null::${table}, $1::jsonb) RETURNING ${textRowSql(visible)} AS row`,
        [JSON.stringify(values)],
      );
      changes.push({ table, op: 'insert' as const, rowId: values.id as string, values: inserted!.row });
    }
    await appendToChangeLog(query, null, changes);
  });
}

/** A row keyed by field names (the fixtures') as column values, the way changesets carry them. */
export function columnValues(table: SyncedTableName, row: Record<string, unknown>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [field, column] of Object.entries(getTableColumns(SYNCED_TABLES[table]))) {
    if (field in row && row[field] !== undefined) values[column.name] = row[field];
  }
  return values;
}

export interface Op {
  table: SyncedTableName;
  op: 'insert' | 'update' | 'delete';
  id: string;
  values?: Record<string, unknown>;
}

export const insert = (table: SyncedTableName, row: Record<string, unknown> & { id: string }): Op => ({
  table,
  op: 'insert',
  id: row.id,
  values: columnValues(table, row),
});

export const update = (table: SyncedTableName, id: string, values: Record<string, unknown>): Op => ({
  table,
  op: 'update',
  id,
  values,
});

export interface Changeset {
  id: string;
  /** The sending client's own device when left out. */
  deviceId?: string;
  createdAt: string;
  ops: Op[];
}

export function changeset(ops: Op[], deviceId?: string): Changeset {
  return { id: newId(), ...(deviceId ? { deviceId } : {}), createdAt: new Date().toISOString(), ops };
}

/** An audit row not yet sealed, and what seals one. */
export type UnsealedRow = Omit<AuditRow, 'hash'>;
export type Seal = (row: UnsealedRow) => string;

/** An audit row as a changeset carries it, with the row it came from. */
export interface AuditEntry {
  row: AuditRow;
  op: Op;
}

/**
 * A device's audit trail written as the desktop writes it: each entry follows the last one kept,
 * sealed with the device's key (or however the test says). The trail moves on only with kept().
 */
export class AuditTrail {
  head = { seq: 0, hash: GENESIS_HASH };

  constructor(
    readonly deviceId: string,
    readonly actor: { id: string; role: string } | null,
    readonly seal: Seal,
  ) {}

  /** The trail of a signed-in client's device, sealed with the key the server issued it. */
  static of(client: ApiClient, actor: { id: string; role: string }): AuditTrail {
    const key = Buffer.from(client.chainKey, 'base64');
    return new AuditTrail(client.deviceId, actor, (row) => auditHash(row, key));
  }

  /** The next entry; `change` alters the row before it is sealed, `seal` seals it another way. */
  next(change: Partial<UnsealedRow> = {}, seal: Seal = this.seal): AuditEntry {
    const row: UnsealedRow = {
      id: newId(),
      deviceId: this.deviceId,
      seq: this.head.seq + 1,
      actorId: this.actor?.id ?? null,
      actorRole: this.actor?.role ?? null,
      action: 'tasks/update',
      entityType: 'tasks',
      entityId: newId(),
      before: null,
      after: { title: `Entry ${this.head.seq + 1}` },
      at: new Date().toISOString(),
      prevHash: this.head.hash,
      ...change,
    };
    return auditEntry({ ...row, hash: seal(row) });
  }

  kept(...entries: AuditEntry[]): void {
    const last = entries.at(-1)!.row;
    this.head = { seq: last.seq, hash: last.hash };
  }
}

export function auditEntry(row: AuditRow): AuditEntry {
  return {
    row,
    op: {
      table: 'audit_log',
      op: 'insert',
      id: row.id,
      values: {
        device_id: row.deviceId,
        seq: row.seq,
        actor_id: row.actorId,
        actor_role: row.actorRole,
        action: row.action,
        entity_type: row.entityType,
        entity_id: row.entityId,
        before: row.before,
        after: row.after,
        at: row.at,
        prev_hash: row.prevHash,
        hash: row.hash,
      },
    },
  };
}

/** A signed-in caller of the server's HTTP API. */
export class ApiClient {
  accessToken = '';
  refreshToken = '';
  /** The device this client signed in from (each sign-in a new one unless named). */
  deviceId = '';
  /** The audit chain key the server issued that device (base64). */
  chainKey = '';

  constructor(readonly url: string) {}

  /** Signs in from `deviceId`: a new device unless named (a device belongs to one person). */
  static async signIn(url: string, email: string, password = PASSWORD, deviceId = newId()): Promise<ApiClient> {
    const client = new ApiClient(url);
    const response = await client.request('POST', '/v1/auth/sign-in', { email, password, deviceId });
    if (response.status !== 200) throw new Error(`sign-in failed: ${response.status} ${JSON.stringify(response.body)}`);
    client.accessToken = response.body.accessToken;
    client.refreshToken = response.body.refreshToken;
    client.deviceId = deviceId;
    client.chainKey = response.body.chainKey;
    return client;
  }

  async request(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; headers: Headers; body: Json }> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.accessToken ? { authorization: `Bearer ${this.accessToken}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
  }

  /** Sends changesets; answers their results in order. */
  async push(...changesets: Changeset[]): Promise<Json[]> {
    const response = await this.request('POST', '/v1/changesets', {
      changesets: changesets.map((set) => ({ ...set, deviceId: set.deviceId ?? this.deviceId })),
    });
    if (response.status !== 200) throw new Error(`push failed: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body.results;
  }

  /** A live shape of `table`, through the official Electric client. */
  shape(table: SyncedTableName, params: Record<string, string> = {}): { shape: Shape<Row>; stream: ShapeStream<Row> } {
    const stream = new ShapeStream<Row>({
      url: `${this.url}/v1/shape`,
      params: { table, ...params },
      headers: { authorization: () => `Bearer ${this.accessToken}` },
    });
    return { shape: new Shape(stream), stream };
  }
}

/** Resolves once the shape's rows satisfy `predicate`. */
export function until(shape: Shape<Row>, predicate: (rows: Map<string, Row>) => boolean, ms = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(
        new Error(
          `shape did not reach the expected state in ${ms} ms; rows: ${JSON.stringify([...shape.currentRows])}`,
        ),
      );
    }, ms);
    const check = () => {
      if (predicate(rowsById(shape))) {
        clearTimeout(timer);
        unsubscribe();
        resolve();
      }
    };
    const unsubscribe = shape.subscribe(check);
    void shape.rows.then(check);
  });
}

export function rowsById(shape: Shape<Row>): Map<string, Row> {
  return new Map(shape.currentRows.map((r) => [String(r.id), r]));
}

export { newId };
