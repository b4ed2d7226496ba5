// POST /v1/changesets: each changeset (one local transaction of a device) is applied in one
// Postgres transaction, all or nothing, exactly once by id. Its answer is stored with it, so a
// retry gets the first answer again and writes nothing. A refused changeset writes nothing but
// its audit rows, which still continue the device's trail (the device sends them again later).
import type { CentralDatabase, Query } from '../../db/central-database.js';
import type { JsonObject } from '../../db/schema/json-types.js';
import type { Changeset, ChangesetBatch, ChangesetResult, RejectionCode } from '../../db/sync/protocol.js';
import type { Catalog } from '../tables.js';
import { appendToChangeLog, type RowChange } from './change-log.js';
import { applyOp, Rejection, type Actor, type DeviceOp, type OpContext } from './apply-op.js';

interface StoredAnswer {
  user_id: string;
  outcome: 'applied' | 'rejected';
  txid: string | null;
  code: RejectionCode | null;
  message: string | null;
}

/** Applies a session's batch; `chainKey` is the key the server issued the session's device. */
export async function applyChangesets(
  central: CentralDatabase,
  catalog: Catalog,
  actor: Actor,
  batch: ChangesetBatch,
  chainKey: Buffer,
): Promise<ChangesetResult[]> {
  const results: ChangesetResult[] = [];
  // Rows that rejected changesets of this batch would have made: a later changeset that refers
  // to one of them depends on the rejected one and cannot apply either.
  const missing = new Map<string, string>();
  for (const changeset of batch.changesets) {
    const result = await applyOne(central, catalog, actor, chainKey, changeset, missing);
    if (result.status === 'rejected') {
      for (const op of changeset.ops) if (op.op === 'insert') missing.set(op.id, changeset.id);
    }
    results.push(result);
  }
  return results;
}

async function applyOne(
  central: CentralDatabase,
  catalog: Catalog,
  actor: Actor,
  chainKey: Buffer,
  changeset: Changeset,
  missing: Map<string, string>,
): Promise<ChangesetResult> {
  if (changeset.deviceId !== actor.deviceId) {
    // Not stored: the changeset's own device may still send it.
    return {
      id: changeset.id,
      status: 'rejected',
      code: 'forbidden',
      message: `This changeset names device ${changeset.deviceId}, but this session signed in from device ${actor.deviceId}.`,
    };
  }
  const earlier = await storedAnswer(central.query, changeset.id, actor);
  if (earlier) return earlier;

  const context = (query: Query): OpContext => ({
    query,
    catalog,
    actor,
    deviceId: changeset.deviceId,
    chainKey,
    now: () => new Date(),
  });
  const dependency = dependsOnMissing(changeset, missing);
  if (dependency) {
    await keepAuditRows(central, context, changeset);
    return record(central.query, changeset, actor, {
      code: 'dependency_rejected',
      message: `It builds on changeset ${dependency}, which was rejected.`,
    });
  }
  try {
    const txid = await central.transaction(async (query) => {
      const changes = await applyOps(context(query), changeset.ops);
      const txid = await appendToChangeLog(query, changeset.id, changes);
      await query(
        `INSERT INTO applied_changesets (id, device_id, user_id, outcome, txid, created_at) VALUES ($1, $2, $3, 'applied', $4, now())`,
        [changeset.id, changeset.deviceId, actor.id, txid],
      );
      return txid;
    });
    return { id: changeset.id, status: 'applied', txid };
  } catch (error) {
    // The same changeset sent twice at once: the other request applied it first.
    if (isUniqueViolation(error, 'applied_changesets_pkey'))
      return (await storedAnswer(central.query, changeset.id, actor))!;
    if (error instanceof Rejection) {
      // Refused for what its audit rows say: keeping them would be refused the same way.
      if (error.op === undefined || changeset.ops[error.op]?.table !== 'audit_log') {
        await keepAuditRows(central, context, changeset);
      }
      return record(central.query, changeset, actor, error);
    }
    throw error;
  }
}

/** The ops in order, each refusal naming its op; audit rows the server already holds write nothing. */
async function applyOps(ctx: OpContext, ops: Changeset['ops']): Promise<RowChange[]> {
  const changes: RowChange[] = [];
  for (const [index, op] of ops.entries()) {
    try {
      const change = await applyOp(ctx, op as DeviceOp);
      if (change) changes.push(change);
    } catch (error) {
      throw inOp(error, index);
    }
  }
  return changes;
}

/**
 * A refused changeset's audit rows, kept on their own: they record what the device did (and the
 * changesets after it continue from them), so the device's trail on the server has no gap. All
 * or none, and only where they continue the trail.
 */
async function keepAuditRows(
  central: CentralDatabase,
  context: (query: Query) => OpContext,
  changeset: Changeset,
): Promise<void> {
  const audits = changeset.ops.filter((op) => op.table === 'audit_log');
  if (audits.length === 0) return;
  try {
    await central.transaction(async (query) => {
      const changes = await applyOps(context(query), audits);
      await appendToChangeLog(query, changeset.id, changes);
    });
  } catch (error) {
    // They do not continue the trail: nothing is kept, and the device's next rows are refused too.
    if (!(error instanceof Rejection)) throw error;
  }
}

/** Which of these changesets of the user's the server has answered (applied or refused). */
export async function knownChangesets(query: Query, userId: string, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await query<{ id: string }>(`SELECT id FROM applied_changesets WHERE id = ANY($1) AND user_id = $2`, [
    ids,
    userId,
  ]);
  return rows.map((r) => r.id);
}

async function storedAnswer(query: Query, changesetId: string, actor: Actor): Promise<ChangesetResult | null> {
  const [stored] = await query<StoredAnswer>(
    `SELECT user_id, outcome, txid::text, code, message FROM applied_changesets WHERE id = $1`,
    [changesetId],
  );
  if (!stored) return null;
  if (stored.user_id !== actor.id) {
    return {
      id: changesetId,
      status: 'rejected',
      code: 'conflict',
      message: 'This changeset id was already used by another user.',
    };
  }
  return stored.outcome === 'applied'
    ? { id: changesetId, status: 'applied', txid: Number(stored.txid) }
    : { id: changesetId, status: 'rejected', code: stored.code!, message: stored.message! };
}

async function record(
  query: Query,
  changeset: Changeset,
  actor: Actor,
  rejection: { code: RejectionCode; message: string; op?: number | undefined; field?: string | undefined },
): Promise<ChangesetResult> {
  await query(
    `INSERT INTO applied_changesets (id, device_id, user_id, outcome, code, message, created_at)
     VALUES ($1, $2, $3, 'rejected', $4, $5, now()) ON CONFLICT (id) DO NOTHING`,
    [changeset.id, changeset.deviceId, actor.id, rejection.code, rejection.message],
  );
  const stored = (await storedAnswer(query, changeset.id, actor))!;
  // Where the refusal lies is told with the first answer; a retry gets the stored words alone.
  return stored.status === 'rejected' && stored.message === rejection.message
    ? {
        ...stored,
        ...(rejection.op !== undefined ? { op: rejection.op } : {}),
        ...(rejection.field ? { field: rejection.field } : {}),
      }
    : stored;
}

function dependsOnMissing(changeset: Changeset, missing: Map<string, string>): string | null {
  if (missing.size === 0) return null;
  for (const op of changeset.ops) {
    if (missing.has(op.id)) return missing.get(op.id)!;
    for (const value of Object.values((op.values ?? {}) as JsonObject)) {
      if (typeof value === 'string' && missing.has(value)) return missing.get(value)!;
    }
  }
  return null;
}

/**
 * The refusal of one op, as a person reads it: the rulebook's words as they are, a database's own
 * refusal in words too (it is the last line behind the rules: a race, a duplicate). Which op it
 * was travels beside the message, not in it.
 */
function inOp(error: unknown, index: number): unknown {
  if (error instanceof Rejection) return new Rejection(error.code, error.message, error.field, index);
  const pgError = error as { code?: string; constraint?: string; detail?: string; message?: string };
  const refusal = (code: RejectionCode, message: string) => new Rejection(code, message, undefined, index);
  switch (pgError.code) {
    case '23P01':
      return refusal('conflict', 'The property is already booked for some of these nights by another reservation.');
    case '23505': {
      const key = /Key \(([^)]+)\)/.exec(pgError.detail ?? '')?.[1];
      return refusal('conflict', `Another record already has this ${key ? key.replace(/_/g, ' ') : 'value'}.`);
    }
    case '23503':
      return refusal('validation', 'It refers to a record the server does not have (it may have been removed).');
    case '23514':
    case '23502':
      return refusal(
        'validation',
        `The data breaks a rule of the database (${pgError.constraint ?? pgError.message}).`,
      );
    case '23001':
      return refusal('append_only', `${pgError.message}.`);
    default:
      if (pgError.code?.startsWith('22')) return refusal('validation', `A value is not valid: ${pgError.message}.`);
      return error;
  }
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const pgError = error as { code?: string; constraint?: string; message?: string };
  return pgError.code === '23505' && (pgError.constraint === constraint || !!pgError.message?.includes(constraint));
}
