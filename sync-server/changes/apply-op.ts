// One row change from a device, checked and applied inside its changeset's transaction. The
// device's word counts for nothing: values are parsed with db/'s contracts, the move is checked
// against db/'s policy and state machines using the row as the server has it, and the database's
// own constraints (no overlap, append-only ledger) are the last line.
import { z } from 'zod';
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
import { RESERVATION_STATUSES, type ReservationStatus, type TaskStatus, type UserRole } from '../../db/domain/enums.js';
import {
  RESERVATION_CREATE_STATUSES,
  RESERVATION_DATES_EDITABLE,
  reservationTransitionRefusal,
} from '../../db/domain/reservation-states.js';
import { FIELD_STAFF_TASK_STATUSES, taskTransitionRefusal } from '../../db/domain/task-states.js';
import { accessFor, ROW_SCOPES, type GuardedOperation } from '../../db/policy/access.js';
import { FIELD_STAFF, MANAGER_ONLY_PROPERTY_COLUMNS, mayAdminister, type SignInRole } from '../../db/policy/roles.js';
import type { JsonObject } from '../../db/schema/json-types.js';
import type { RejectionCode } from '../../db/sync/protocol.js';
import { quoteIdent, textRowSql, type Catalog, type SyncedTableName, type TableInfo } from '../tables.js';
import type { RowChange } from './change-log.js';
import { brokenRowRule } from './row-rules.js';

/** Why a changeset is refused; the whole changeset is rolled back. */
export class Rejection extends Error {
  override name = 'Rejection';
  constructor(
    readonly code: RejectionCode,
    message: string,
  ) {
    super(message);
  }
}

export interface Actor {
  id: string;
  role: SignInRole;
  /** The device this session signed in from, when it said; its changesets must come from it. */
  deviceId?: string | null;
}

export interface DeviceOp {
  table: SyncedTableName;
  op: 'insert' | 'update' | 'delete';
  id: string;
  values?: JsonObject;
}

export interface OpContext {
  query: Query;
  catalog: Catalog;
  actor: Actor;
  deviceId: string;
}

type Row = Record<string, unknown>;

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

/** Columns whose changes are checked by their own rule, outside the update contract. */
const OWN_RULE_COLUMNS: Partial<Record<SyncedTableName, readonly string[]>> = {
  reservations: ['status', 'property_id'],
  tasks: ['property_id'],
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

/** Every operation an update of each table can amount to. */
const UPDATE_OPERATIONS: Partial<Record<SyncedTableName, readonly GuardedOperation[]>> = {
  users: ['users/update'],
  locations: ['locations/update'],
  properties: ['properties/update', 'properties/archive'],
  reservations: ['reservations/update', 'reservations/set-status'],
  tasks: ['tasks/update', 'tasks/set-status', 'tasks/assign'],
};

const NEVER_DELETED: Partial<Record<SyncedTableName, string>> = {
  locations: 'Locations are never deleted; mark one inactive instead.',
  properties: 'Properties are never deleted; archive one instead.',
  reservations: 'Reservations are never deleted; cancel one instead.',
  tasks: 'Tasks are never deleted; cancel one instead.',
};

export async function applyOp(ctx: OpContext, op: DeviceOp): Promise<RowChange> {
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

// ---- insert ----

async function insertRow(ctx: OpContext, table: TableInfo, op: DeviceOp): Promise<RowChange> {
  const name = table.name as keyof typeof CONTRACTS;
  const { fields, stamps } = splitValues(table, op, 'insert');
  if (!('created_at' in stamps)) throw invalid(table, 'created_at', 'is required');
  if (table.columnNames.has('updated_at') && !('updated_at' in stamps))
    throw invalid(table, 'updated_at', 'is required');
  const parsed = parseFields(table, CONTRACTS[name].create, fields);

  const operation = await authorizeInsert(ctx, table, parsed);
  const row: Row = { ...toColumns(table, parsed), ...stamps, id: op.id };
  const columns = Object.keys(row);
  const [inserted] = await ctx.query<{ row: Record<string, string | null> }>(
    `INSERT INTO ${quoteIdent(name)} (${columns.map(quoteIdent).join(', ')})
     SELECT ${columns.map(quoteIdent).join(', ')} FROM jsonb_populate_record(null::${quoteIdent(name)}, $1::jsonb)
     RETURNING ${textRowSql(table.columns.map((c) => c.name))} AS row`,
    [JSON.stringify(row)],
  );
  await requireRowRules(ctx, table, op.id, 'all');
  // A new user is not yet in anyone's scope (a guest joins an agent's once booked); every other
  // row a scoped role creates must land inside its scope.
  if (name !== 'users') await requireInScope(ctx, table, op.id, operation, 'You may not create it there');
  return { table: name, op: 'insert', rowId: op.id, values: inserted!.row };
}

/** The operation an insert amounts to, once the caller may run it. */
async function authorizeInsert(ctx: OpContext, table: TableInfo, v: Row): Promise<GuardedOperation> {
  const { role } = ctx.actor;
  switch (table.name) {
    case 'users':
      if (!mayAdminister(role, v.role as UserRole)) {
        throw new Rejection(
          'forbidden',
          `Your role (${role}) may not create ${String(v.role).toLowerCase()} accounts.`,
        );
      }
      return requireGranted(ctx, 'users/create', table);
    case 'reservations':
      if (v.status !== undefined && !(RESERVATION_CREATE_STATUSES as readonly string[]).includes(v.status as string)) {
        throw invalid(
          table,
          'status',
          `must be one of ${RESERVATION_CREATE_STATUSES.join(', ')} for a new reservation`,
        );
      }
      return requireGranted(ctx, 'reservations/create', table);
    case 'ledger_entries':
      if (v.type === 'OWNER_PAYOUT' && role === 'AGENT')
        throw new Rejection('forbidden', 'Agents do not record owner payouts.');
      if (v.referenceEntryId) await lockReferencedEntry(ctx, v.referenceEntryId as string);
      return requireGranted(
        ctx,
        v.referenceEntryId && (v.amountMinor as number) < 0 ? 'ledger/reverse' : 'ledger/record',
        table,
      );
    default:
      return requireGranted(ctx, operationFor(table.name, 'create'), table);
  }
}

/**
 * Holds the entry a refund or reversal refers to until commit, so that two refunds of one
 * payment arriving together are checked one after the other (see row-rules.ts).
 */
async function lockReferencedEntry(ctx: OpContext, entryId: string): Promise<void> {
  await ctx.query(`SELECT 1 FROM ledger_entries WHERE id = $1 FOR UPDATE`, [entryId]);
}

// ---- update ----

async function updateRow(ctx: OpContext, table: TableInfo, op: DeviceOp): Promise<RowChange> {
  const name = table.name as keyof typeof CONTRACTS;
  // A role that may make no update to the table is refused before the row is looked up, so a
  // refusal never tells whether the row exists (stamping one's own sign-in aside).
  const mayUpdate = UPDATE_OPERATIONS[name]?.some((operation) => accessFor(operation, ctx.actor.role) !== null);
  if (!mayUpdate && !(name === 'users' && op.id === ctx.actor.id)) {
    throw new Rejection('forbidden', `Your role (${ctx.actor.role}) may not change ${label(name).toLowerCase()}.`);
  }
  const before = await lockRow(ctx, table, op.id);
  const { fields, stamps, own } = splitValues(table, op, 'update');
  if ('created_at' in stamps) throw invalid(table, 'created_at', 'cannot change');
  const changed = [
    ...Object.keys(fields).map((f) => table.columnOf.get(f)!),
    ...Object.keys(own),
    ...Object.keys(stamps),
  ];
  if (changed.length === 0) throw invalid(table, 'values', 'nothing to update: give at least one column');
  const parsed = Object.keys(fields).length > 0 ? parseFields(table, CONTRACTS[name].update!, fields) : {};

  const operations = await authorizeUpdate(ctx, table, before, { ...toColumns(table, parsed), ...own }, changed);
  for (const operation of operations) await requireInScopeOf(ctx, table, op.id, operation);
  const set: Row = { ...toColumns(table, parsed), ...own, ...stamps };
  const columns = Object.keys(set);
  const [updated] = await ctx.query<{ row: Record<string, string | null> }>(
    `UPDATE ${quoteIdent(name)} SET (${columns.map(quoteIdent).join(', ')}) =
       (SELECT ${columns.map(quoteIdent).join(', ')} FROM jsonb_populate_record(null::${quoteIdent(name)}, $2::jsonb))
     WHERE id = $1 RETURNING ${textRowSql(['id', ...columns])} AS row`,
    [op.id, JSON.stringify(set)],
  );
  await requireRowRules(ctx, table, op.id, columns);
  // An update must not carry a row out of the writer's own scope (a task to another agent's property).
  for (const operation of operations) await requireInScope(ctx, table, op.id, operation, 'You may not move it there');
  return { table: name, op: 'update', rowId: op.id, values: updated!.row };
}

/** The operations an update amounts to, after the checks that need the row as it was. */
async function authorizeUpdate(
  ctx: OpContext,
  table: TableInfo,
  before: Row,
  after: Row,
  changed: string[],
): Promise<GuardedOperation[]> {
  const { role, id: me } = ctx.actor;
  const touches = (...columns: string[]) => columns.some((c) => changed.includes(c));
  switch (table.name) {
    case 'users': {
      // Signing in on a device stamps the user's own row; that is not administering anyone.
      if (before.id === me && changed.every((c) => c === 'last_login_at' || c === 'updated_at')) return [];
      if (
        !mayAdminister(role, before.role as UserRole) ||
        (after.role && !mayAdminister(role, after.role as UserRole))
      ) {
        throw new Rejection(
          'forbidden',
          `Your role (${role}) may not change ${String(before.role).toLowerCase()} accounts.`,
        );
      }
      if (before.id === me && touches('role', 'status')) {
        throw new Rejection('forbidden', 'You cannot change your own role or deactivate your own account.');
      }
      return granted(ctx, table, ['users/update']);
    }
    case 'properties': {
      const scoped = accessFor('properties/update', role) === 'scoped';
      if (scoped && touches(...MANAGER_ONLY_PROPERTY_COLUMNS)) {
        throw new Rejection('forbidden', 'Only managers change a property’s owner, agent or status.');
      }
      return granted(ctx, table, touches('archived_at') ? ['properties/archive'] : ['properties/update']);
    }
    case 'reservations': {
      if (touches('property_id')) throw invalid(table, 'property_id', 'cannot change: cancel and book again instead');
      const operations: GuardedOperation[] = [];
      if (touches('status')) {
        const to = parseOwn(table, 'status', enumOf(RESERVATION_STATUSES), after.status) as ReservationStatus;
        const refusal = reservationTransitionRefusal(before.status as ReservationStatus, to);
        if (refusal) throw new Rejection('conflict', refusal);
        operations.push('reservations/set-status');
      }
      if (
        touches('check_in', 'check_out') &&
        !(RESERVATION_DATES_EDITABLE as readonly string[]).includes(before.status as string)
      ) {
        throw new Rejection('conflict', `The dates of a ${String(before.status)} reservation can no longer change.`);
      }
      // Anything else, even a bare updated_at, is an ordinary update.
      if (operations.length === 0 || changed.some((c) => c !== 'status' && c !== 'updated_at')) {
        operations.push('reservations/update');
      }
      return granted(ctx, table, operations);
    }
    case 'tasks': {
      if (touches('property_id'))
        throw invalid(table, 'property_id', 'cannot change: create a task for the other property');
      const operations: GuardedOperation[] = [];
      if (touches('status')) {
        const refusal = taskTransitionRefusal(before.status as TaskStatus, after.status as TaskStatus);
        if (refusal) throw new Rejection('conflict', refusal);
        if (
          (FIELD_STAFF as readonly string[]).includes(role) &&
          !(FIELD_STAFF_TASK_STATUSES as readonly string[]).includes(after.status as string)
        ) {
          throw new Rejection('forbidden', `You may move your tasks to ${FIELD_STAFF_TASK_STATUSES.join(', ')} only.`);
        }
      }
      if (touches('status', 'completed_at')) operations.push('tasks/set-status');
      if (touches('assignee_id')) operations.push('tasks/assign');
      if (
        operations.length === 0 ||
        changed.some((c) => !['status', 'completed_at', 'assignee_id', 'updated_at'].includes(c))
      ) {
        operations.push('tasks/update');
      }
      return granted(ctx, table, operations);
    }
    default:
      return granted(ctx, table, [operationFor(table.name, 'update')]);
  }
}

// ---- delete (only users; everything else is archived, cancelled or reversed) ----

async function deleteRow(ctx: OpContext, table: TableInfo, op: DeviceOp): Promise<RowChange> {
  if (table.name !== 'users') {
    throw new Rejection('forbidden', NEVER_DELETED[table.name] ?? `${label(table.name)} are never deleted.`);
  }
  // Refused before the row is looked up, so a refusal never tells whether the row exists.
  requireGranted(ctx, 'users/delete', table);
  const before = await lockRow(ctx, table, op.id);
  if (before.id === ctx.actor.id) throw new Rejection('forbidden', 'You cannot delete your own account.');
  if (!mayAdminister(ctx.actor.role, before.role as UserRole)) {
    throw new Rejection(
      'forbidden',
      `Your role (${ctx.actor.role}) may not delete ${String(before.role).toLowerCase()} accounts.`,
    );
  }
  await ctx.query(`DELETE FROM users WHERE id = $1`, [op.id]);
  return { table: 'users', op: 'delete', rowId: op.id, values: { id: op.id } };
}

// ---- audit rows: every device writes its own, for its own user ----

async function insertAudit(ctx: OpContext, table: TableInfo, op: DeviceOp): Promise<RowChange> {
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
  const columns = Object.keys(row);
  const [inserted] = await ctx.query<{ row: Record<string, string | null> }>(
    `INSERT INTO audit_log (${columns.map(quoteIdent).join(', ')})
     SELECT ${columns.map(quoteIdent).join(', ')} FROM jsonb_populate_record(null::audit_log, $1::jsonb)
     RETURNING ${textRowSql(table.columns.map((c) => c.name))} AS row`,
    [JSON.stringify(row)],
  );
  return { table: 'audit_log', op: 'insert', rowId: op.id, values: inserted!.row };
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
      own[column] = value;
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

function operationFor(table: SyncedTableName, verb: 'create' | 'update'): GuardedOperation {
  const noun = table === 'ledger_entries' ? 'ledger' : table;
  return `${noun}/${verb === 'create' && table === 'ledger_entries' ? 'record' : verb}` as GuardedOperation;
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

/** For a scoped grant, the row (as the server has it now) must be in the actor's scope. */
async function requireInScopeOf(
  ctx: OpContext,
  table: TableInfo,
  rowId: string,
  operation: GuardedOperation,
): Promise<void> {
  await requireInScope(ctx, table, rowId, operation, `That ${singular(table.name)} is not one of yours`);
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

async function requireRowRules(ctx: OpContext, table: TableInfo, rowId: string, changed: readonly string[] | 'all') {
  const broken = await brokenRowRule(ctx.query, table.name, rowId, changed);
  if (broken) throw invalid(table, broken.column, broken.message);
}

function invalid(table: TableInfo, column: string, message: string): Rejection {
  return new Rejection('validation', `${table.name}.${column}: ${message}`);
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
