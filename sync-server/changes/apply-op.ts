// One row change from a device, checked and applied inside its changeset's transaction. The
// device's word counts for nothing: values are parsed with db/'s contracts, the move is checked
// against db/'s policy and state machines using the row as the server has it, and the database's
// own constraints (no overlap, append-only ledger) are the last line.
import { z } from 'zod';
import { checkTrail, type TrailCheck } from '../../db/audit/trail-check.js';
import type { Query } from '../../db/central-database.js';
import {
  locationCreate,
  locationUpdate,
  ledgerEntryCreate,
  propertyCreate,
  propertyUpdate,
  reservationCreate,
  reservationUpdate,
  taskCreate,
  taskUpdate,
  userCreate,
  userUpdate,
} from '../../db/contracts/entities.js';
import { fieldErrors } from '../../db/contracts/errors.js';
import { enumOf, id, instant, text } from '../../db/contracts/fields.js';
import { RESERVATION_STATUSES } from '../../db/domain/enums.js';
import { accessFor, ROW_SCOPES, type GuardedOperation } from '../../db/policy/access.js';
import type { SignInRole } from '../../db/policy/roles.js';
import { operationsFor, updateOperationsOf } from '../../db/policy/row-operations.js';
import {
  CHANGE_RULES,
  changeRefusal,
  firstBroken,
  inDialect,
  proposedParams,
  ROW_RULES,
  rowCheck,
  rowRefusal,
  ruleParams,
  type Refusal,
  type Row,
} from '../../db/rules/index.js';
import { fieldLabel, staleMessage } from '../../db/rules/stale.js';
import type { JsonObject } from '../../db/schema/json-types.js';
import type { RejectionCode } from '../../db/sync/protocol.js';
import { quoteIdent, textRowSql, type Catalog, type SyncedTableName, type TableInfo } from '../tables.js';
import type { RowChange } from './change-log.js';

/** Why a changeset is refused; the whole changeset is rolled back. */
export class Rejection extends Error {
  override name = 'Rejection';
  constructor(
    readonly code: RejectionCode,
    message: string,
    /** The form field it concerns (the contracts' name), when it is one field's fault. */
    readonly field?: string,
    /** Which op of the changeset it was. */
    readonly op?: number,
  ) {
    super(message);
  }
}

export interface Actor {
  id: string;
  role: SignInRole;
  /** The device this session signed in from: its changesets must come from it. */
  deviceId: string;
}

export interface DeviceOp {
  table: SyncedTableName;
  op: 'insert' | 'update' | 'delete';
  id: string;
  values?: JsonObject;
  /** For an update: the changed columns as the device saw them before its edit. */
  expected?: JsonObject;
}

export interface OpContext {
  query: Query;
  catalog: Catalog;
  actor: Actor;
  deviceId: string;
  /** The key the server issued the sending device: its audit rows carry its seal. */
  chainKey: Buffer;
  now(): Date;
}

/** Per table: the contracts a device's values must pass (field names, as in db/contracts). */
const CONTRACTS: Record<Exclude<SyncedTableName, 'audit_log'>, { create: z.ZodObject; update?: z.ZodType }> = {
  users: { create: userCreate, update: userUpdate },
  locations: { create: locationCreate, update: locationUpdate },
  properties: { create: propertyCreate, update: propertyUpdate },
  reservations: { create: reservationCreate, update: reservationUpdate },
  tasks: { create: taskCreate, update: taskUpdate },
  ledger_entries: { create: ledgerEntryCreate },
};

/** Columns each contract leaves to the writer: when the row was made, changed, archived, signed in. */
const STAMPS = new Set(['created_at', 'updated_at', 'archived_at', 'last_login_at']);

/** Columns the update contracts leave out, that change only by their own rules (the rulebook's). */
const OWN_RULE_COLUMNS: Partial<Record<SyncedTableName, readonly string[]>> = {
  reservations: ['status', 'property_id'],
  tasks: ['property_id'],
};
const OWN_RULE_SCHEMAS: Record<string, z.ZodType> = {
  status: enumOf(RESERVATION_STATUSES),
  property_id: id(),
};

const AUDIT_ROW = z.strictObject({
  id: id(),
  device_id: text(100),
  seq: z.number().int().min(1),
  actor_id: id().nullable(),
  actor_role: text(40).nullable(),
  action: text(100),
  entity_type: text(60).nullable(),
  entity_id: text(100).nullable(),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
  at: instant(),
  prev_hash: z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 hex digest'),
  hash: z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 hex digest'),
});

const NEVER_DELETED: Partial<Record<SyncedTableName, string>> = {
  locations: 'Locations are never deleted; mark one inactive instead.',
  properties: 'Properties are never deleted; archive one instead.',
  reservations: 'Reservations are never deleted; cancel one instead.',
  tasks: 'Tasks are never deleted; cancel one instead.',
};

/** Applies one op; null when there is nothing to write (an audit row the server holds, sent again). */
export async function applyOp(ctx: OpContext, op: DeviceOp): Promise<RowChange | null> {
  const table = ctx.catalog[op.table];
  if (op.table === 'audit_log' || op.table === 'ledger_entries') {
    if (op.op !== 'insert') {
      throw new Rejection('append_only', `${label(op.table)} are append-only: record a correcting entry instead.`);
    }
  }
  if (op.table === 'audit_log') return insertAudit(ctx, table, op);
  if (op.op === 'delete') return deleteRow(ctx, table, op);
  return op.op === 'insert' ? insertRow(ctx, table, op) : updateRow(ctx, table, op);
}

type RowTable = Exclude<SyncedTableName, 'audit_log'>;

// ---- insert ----

async function insertRow(ctx: OpContext, table: TableInfo, op: DeviceOp): Promise<RowChange> {
  const name = table.name as RowTable;
  const { fields, stamps } = splitValues(table, op, 'insert');
  if (!('created_at' in stamps)) throw invalid(table, 'created_at', 'is required');
  if (table.columnNames.has('updated_at') && !('updated_at' in stamps))
    throw invalid(table, 'updated_at', 'is required');
  const parsed = parseFields(table, CONTRACTS[name].create, fields);
  const row: Row = { ...toColumns(table, parsed), ...stamps, id: op.id };
  const operations = granted(
    ctx,
    table,
    operationsFor(name, 'insert', { values: row, changed: Object.keys(row), ownRow: false })!,
  );
  await keepsTheRules(ctx, name, { before: null, after: row, changed: Object.keys(row) });
  const columns = Object.keys(row);
  const [inserted] = await ctx.query<{ row: Record<string, string | null> }>(
    `INSERT INTO ${quoteIdent(name)} (${columns.map(quoteIdent).join(', ')})
     SELECT ${columns.map(quoteIdent).join(', ')} FROM jsonb_populate_record(null::${quoteIdent(name)}, $1::jsonb)
     RETURNING ${textRowSql(table.columns.map((c) => c.name))} AS row`,
    [JSON.stringify(row)],
  );
  await keepsTheRowRules(ctx, name, op.id, 'insert', Object.keys(row), 'after', row);
  // A new user is not yet in anyone's scope (a guest joins an agent's once booked); every other
  // row a scoped role creates must land inside its scope.
  if (name !== 'users') {
    for (const operation of operations)
      await requireInScope(ctx, table, op.id, operation, 'You may not create it there');
  }
  return { table: name, op: 'insert', rowId: op.id, values: inserted!.row };
}

// ---- update ----

async function updateRow(ctx: OpContext, table: TableInfo, op: DeviceOp): Promise<RowChange> {
  const name = table.name as RowTable;
  // A role that may make no update to the table is refused before the row is looked up, so a
  // refusal never tells whether the row exists (stamping one's own sign-in aside).
  const mayUpdate = updateOperationsOf(name).some((operation) => accessFor(operation, ctx.actor.role) !== null);
  if (!mayUpdate && !(name === 'users' && op.id === ctx.actor.id)) {
    throw new Rejection('forbidden', `Your role (${ctx.actor.role}) may not change ${label(name).toLowerCase()}.`);
  }
  const before = await lockRow(ctx, table, op.id);
  const { fields, stamps, own } = splitValues(table, op, 'update');
  if ('created_at' in stamps) throw invalid(table, 'created_at', 'cannot change');
  const parsed = Object.keys(fields).length > 0 ? parseFields(table, CONTRACTS[name].update!, fields) : {};
  const set: Row = { ...toColumns(table, parsed), ...own, ...stamps };
  const changed = Object.keys(set);
  if (changed.length === 0) throw invalid(table, 'values', 'nothing to update: give at least one column');
  const operations = granted(
    ctx,
    table,
    operationsFor(name, 'update', { values: set, changed, ownRow: name === 'users' && op.id === ctx.actor.id })!,
  );
  for (const operation of operations) {
    await requireInScope(ctx, table, op.id, operation, `That ${singular(name)} is not one of yours`);
  }
  await refuseStale(ctx, table, op, before);
  await keepsTheRules(ctx, name, { before, after: { ...before, ...set }, changed });
  const [updated] = await ctx.query<{ row: Record<string, string | null> }>(
    `UPDATE ${quoteIdent(name)} SET (${changed.map(quoteIdent).join(', ')}) =
       (SELECT ${changed.map(quoteIdent).join(', ')} FROM jsonb_populate_record(null::${quoteIdent(name)}, $2::jsonb))
     WHERE id = $1 RETURNING ${textRowSql(['id', ...changed])} AS row`,
    [op.id, JSON.stringify(set)],
  );
  await keepsTheRowRules(ctx, name, op.id, 'update', changed, 'after', { ...before, ...set });
  // An update must not carry a row out of the writer's own scope (a task to another agent's property).
  for (const operation of operations) await requireInScope(ctx, table, op.id, operation, 'You may not move it there');
  return { table: name, op: 'update', rowId: op.id, values: updated!.row };
}

// ---- delete (only users; everything else is archived, cancelled or reversed) ----

async function deleteRow(ctx: OpContext, table: TableInfo, op: DeviceOp): Promise<RowChange> {
  const name = table.name as RowTable;
  const operations = operationsFor(name, 'delete', { values: {}, changed: [], ownRow: false });
  if (!operations) throw new Rejection('forbidden', NEVER_DELETED[name] ?? `${label(name)} are never deleted.`);
  // Refused before the row is looked up, so a refusal never tells whether the row exists.
  granted(ctx, table, operations);
  const before = await lockRow(ctx, table, op.id);
  await keepsTheRules(ctx, name, { before, after: null, changed: [] });
  await ctx.query(`DELETE FROM ${quoteIdent(name)} WHERE id = $1`, [op.id]);
  return { table: name, op: 'delete', rowId: op.id, values: { id: op.id } };
}

// ---- the rulebook (db/rules), as the desktop runs it ----

/** The change rules, and the row rules that look at the row before it is written. */
async function keepsTheRules(
  ctx: OpContext,
  table: RowTable,
  change: { before: Row | null; after: Row | null; changed: string[] },
): Promise<void> {
  const refusal = changeRefusal(CHANGE_RULES, table, { ...change, actor: ctx.actor }, change.changed);
  if (refusal) throw rejectionOf(refusal);
  if (change.after) {
    const kind = change.before ? 'update' : 'insert';
    await keepsTheRowRules(ctx, table, String(change.after.id), kind, change.changed, 'before', change.after);
  }
}

async function keepsTheRowRules(
  ctx: OpContext,
  table: RowTable,
  rowId: string,
  kind: 'insert' | 'update',
  changed: string[],
  stage: 'before' | 'after',
  row: Row,
): Promise<void> {
  const check = rowCheck(ROW_RULES, table, kind, changed, stage);
  if (!check) return;
  const params = {
    ...ruleParams(ctx.actor, ctx.now()),
    row_id: rowId,
    ...(stage === 'before' ? proposedParams(row) : {}),
  };
  const info = ctx.catalog[table];
  const types = Object.fromEntries(info.columns.map((c) => [c.name, c.dims ? `${c.type}[]` : c.type]));
  const run = async (sql: string) => {
    const { text, values } = inDialect(sql, 'postgres', params, types);
    return (await ctx.query<Row>(text, values as unknown[]))[0];
  };
  const broken = firstBroken(check.rules, await run(check.sql));
  if (!broken) return;
  const facts = broken.facts ? ((await run(broken.facts)) ?? {}) : {};
  throw rejectionOf(rowRefusal(broken, facts, row));
}

function rejectionOf(refusal: Refusal): Rejection {
  return new Rejection(refusal.code, refusal.sentence, refusal.field);
}

/**
 * An update made from an older version of the row: a column the device saw with one value and
 * changed has another value on the server now. The later edit is refused, naming both values and
 * who changed it; a silent overwrite would lose the other person's work.
 */
async function refuseStale(ctx: OpContext, table: TableInfo, op: DeviceOp, before: Row): Promise<void> {
  const expected = op.expected;
  if (!expected || Object.keys(expected).length === 0) return;
  for (const column of Object.keys(expected)) {
    if (!table.columnNames.has(column)) throw invalid(table, column, 'is not a column you may write');
  }
  const columns = Object.keys(expected);
  const [same] = await ctx.query<Record<string, boolean>>(
    `SELECT ${columns.map((c, i) => `r.${quoteIdent(c)} IS NOT DISTINCT FROM e.${quoteIdent(c)} AS s${i}`).join(', ')}
     FROM ${quoteIdent(table.name)} r, jsonb_populate_record(null::${quoteIdent(table.name)}, $2::jsonb) e WHERE r.id = $1`,
    [op.id, JSON.stringify(expected)],
  );
  const stale = columns.filter((_, i) => same?.[`s${i}`] !== true);
  if (stale.length === 0) return;
  const [last] = await ctx.query<{ first_name: string | null; last_name: string | null; at: string }>(
    `SELECT u.first_name, u.last_name, a.at::text AS at FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
     WHERE a.entity_type = $1 AND a.entity_id = $2 ORDER BY a.at DESC LIMIT 1`,
    [table.name, op.id],
  );
  throw new Rejection(
    'conflict',
    staleMessage({
      thing: singular(table.name as SyncedTableName),
      fields: stale.map((column) => {
        const field = table.fieldOf.get(column) ?? column;
        return { label: fieldLabel(field), field, theirs: before[column], yours: (op.values ?? {})[column] };
      }),
      currency: typeof before.currency === 'string' ? before.currency : null,
      by: last?.first_name ? `${last.first_name} ${last.last_name ?? ''}`.trim() : null,
      at: last?.at ?? null,
    }),
    table.fieldOf.get(stale[0]!) ?? stale[0],
  );
}

// ---- audit rows: every device writes its own, for its own user, continuing its own trail ----

async function insertAudit(ctx: OpContext, table: TableInfo, op: DeviceOp): Promise<RowChange | null> {
  const parsed = AUDIT_ROW.safeParse({ ...op.values, id: op.id });
  if (!parsed.success) {
    const [field, message] = Object.entries(fieldErrors(parsed.error))[0]!;
    throw new Rejection('validation', `audit_log.${field}: ${message}`);
  }
  const row = parsed.data;
  if (row.device_id !== ctx.deviceId) throw invalid(table, 'device_id', 'must be the id of the device sending it');
  // A device records what its signed-in user did, as that user's role, or an event with no actor
  // (a failed sign-in); never another person's actions.
  const own = row.actor_id === ctx.actor.id && row.actor_role === ctx.actor.role;
  const anonymous = row.actor_id === null && row.actor_role === null;
  if (!own && !anonymous) {
    throw new Rejection('forbidden', 'A device records audit rows for its signed-in user (and their role) only.');
  }
  const check = await checkAgainstTrail(ctx, row);
  if (check.outcome === 'held') return null;
  if (check.outcome === 'refused') throw new Rejection(check.code, check.message);
  const columns = Object.keys(row);
  const [inserted] = await ctx.query<{ row: Record<string, string | null> }>(
    `INSERT INTO audit_log (${columns.map(quoteIdent).join(', ')})
     SELECT ${columns.map(quoteIdent).join(', ')} FROM jsonb_populate_record(null::audit_log, $1::jsonb)
     RETURNING ${textRowSql(table.columns.map((c) => c.name))} AS row`,
    [JSON.stringify(row)],
  );
  // The head moves only forward: an entry the server had lost fills its place below it.
  await ctx.query(
    `UPDATE devices SET
       head_seq = greatest(head_seq, $2), head_hash = CASE WHEN $2 > head_seq THEN $3 ELSE head_hash END,
       keyed_from = CASE WHEN $4 AND keyed_from IS NULL THEN $2 ELSE keyed_from END
     WHERE id = $1`,
    [row.device_id, row.seq, row.hash, check.keyed],
  );
  return { table: 'audit_log', op: 'insert', rowId: op.id, values: inserted!.row };
}

/**
 * The row against the device's trail as the server holds it: its newest entry (locked until
 * commit, so two requests from the device take their turns) and the entries around the row.
 */
async function checkAgainstTrail(ctx: OpContext, row: z.output<typeof AUDIT_ROW>): Promise<TrailCheck> {
  const [trail] = await ctx.query<{ head_seq: number; head_hash: string; keyed_from: number | null }>(
    `SELECT head_seq, head_hash, keyed_from FROM devices WHERE id = $1 FOR UPDATE`,
    [row.device_id],
  );
  if (!trail) throw new Rejection('forbidden', `Device ${row.device_id} is not registered on the sync server.`);
  const around = await ctx.query<{ id: string; seq: number; hash: string; prev_hash: string }>(
    `SELECT id, seq, hash, prev_hash FROM audit_log WHERE device_id = $1 AND seq BETWEEN $2 - 1 AND $2 + 1`,
    [row.device_id, row.seq],
  );
  const at = (seq: number) => around.find((r) => Number(r.seq) === seq);
  const [previous, same, next] = [at(row.seq - 1), at(row.seq), at(row.seq + 1)];
  return checkTrail(
    {
      id: row.id,
      deviceId: row.device_id,
      seq: row.seq,
      actorId: row.actor_id,
      actorRole: row.actor_role,
      action: row.action,
      entityType: row.entity_type,
      entityId: row.entity_id,
      before: row.before as JsonObject | null,
      after: row.after as JsonObject | null,
      at: row.at,
      prevHash: row.prev_hash,
      hash: row.hash,
    },
    ctx.chainKey,
    { headSeq: Number(trail.head_seq), headHash: trail.head_hash, keyedFrom: trail.keyed_from },
    {
      ...(previous ? { previous: { hash: previous.hash } } : {}),
      ...(same ? { same: { id: same.id, hash: same.hash } } : {}),
      ...(next ? { next: { prevHash: next.prev_hash } } : {}),
    },
  );
}

// ---- helpers ----

/** A device's column-keyed values, split into contract fields, writer stamps and own-rule columns. */
function splitValues(table: TableInfo, op: DeviceOp, kind: 'insert' | 'update') {
  const fields: Row = {};
  const stamps: Row = {};
  const own: Row = {};
  for (const [column, value] of Object.entries(op.values ?? {})) {
    if (column === 'id') {
      if (value !== op.id) throw invalid(table, 'id', 'must match the op’s id');
      continue;
    }
    if (!table.columnNames.has(column)) throw invalid(table, column, 'is not a column you may write');
    if (STAMPS.has(column)) {
      stamps[column] = parseOwn(
        table,
        column,
        column === 'created_at' || column === 'updated_at' ? instant() : instant().nullable(),
        value,
      );
    } else if (kind === 'update' && OWN_RULE_COLUMNS[table.name]?.includes(column)) {
      own[column] = parseOwn(table, column, OWN_RULE_SCHEMAS[column]!, value);
    } else {
      fields[table.fieldOf.get(column)!] = value;
    }
  }
  return { fields, stamps, own };
}

function parseFields(table: TableInfo, contract: z.ZodType, fields: Row): Row {
  const parsed = contract.safeParse(fields);
  if (parsed.success) return parsed.data as Row;
  const [field, message] = Object.entries(fieldErrors(parsed.error))[0]!;
  throw invalid(table, table.columnOf.get(field) ?? field, message);
}

function parseOwn(table: TableInfo, column: string, schema: z.ZodType, value: unknown): unknown {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw invalid(table, column, Object.values(fieldErrors(parsed.error))[0]!);
}

function toColumns(table: TableInfo, fields: Row): Row {
  return Object.fromEntries(Object.entries(fields).map(([field, value]) => [table.columnOf.get(field)!, value]));
}

async function lockRow(ctx: OpContext, table: TableInfo, rowId: string): Promise<Row> {
  const [found] = await ctx.query<{ row: Row }>(
    `SELECT to_jsonb(t) AS row FROM ${quoteIdent(table.name)} t WHERE id = $1 FOR UPDATE`,
    [rowId],
  );
  if (!found) throw new Rejection('not_found', `${label(table.name)} ${rowId} does not exist on the server.`);
  return found.row;
}

/** The operation, once the caller's role holds a grant for it. */
function requireGranted(ctx: OpContext, operation: GuardedOperation, table: TableInfo): GuardedOperation {
  if (accessFor(operation, ctx.actor.role) === null) {
    throw new Rejection(
      'forbidden',
      `Your role (${ctx.actor.role}) may not change ${label(table.name).toLowerCase()} (${operation}).`,
    );
  }
  return operation;
}

function granted(ctx: OpContext, table: TableInfo, operations: GuardedOperation[]): GuardedOperation[] {
  for (const operation of operations) requireGranted(ctx, operation, table);
  return operations;
}

async function requireInScope(
  ctx: OpContext,
  table: TableInfo,
  rowId: string,
  operation: GuardedOperation,
  refusal: string,
): Promise<void> {
  const access = accessFor(operation, ctx.actor.role);
  if (access === null) {
    throw new Rejection(
      'forbidden',
      `Your role (${ctx.actor.role}) may not change ${label(table.name).toLowerCase()} (${operation}).`,
    );
  }
  if (access === 'all') return;
  const scope = ROW_SCOPES[table.name]?.[ctx.actor.role];
  const [found] = scope
    ? await ctx.query(`SELECT 1 FROM ${quoteIdent(table.name)} WHERE id = $1 AND (${scope.replaceAll(':me', '$2')})`, [
        rowId,
        ctx.actor.id,
      ])
    : [];
  if (!found)
    throw new Rejection(
      'forbidden',
      `${refusal}: ${singular(table.name)} ${rowId} is outside what your role (${ctx.actor.role}) may change.`,
    );
}

/** A value that is not acceptable, in the words of the form field it belongs to. */
function invalid(table: TableInfo, column: string, message: string): Rejection {
  const field = table.fieldOf.get(column) ?? column;
  return new Rejection('validation', `${fieldLabel(field)} ${message}.`, field);
}

const LABELS: Record<SyncedTableName, [string, string]> = {
  users: ['Users', 'user'],
  locations: ['Locations', 'location'],
  properties: ['Properties', 'property'],
  reservations: ['Reservations', 'reservation'],
  tasks: ['Tasks', 'task'],
  ledger_entries: ['Ledger entries', 'ledger entry'],
  audit_log: ['Audit rows', 'audit row'],
};
const label = (table: SyncedTableName) => LABELS[table][0];
const singular = (table: SyncedTableName) => LABELS[table][1];
