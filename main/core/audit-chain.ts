// The audit log's hash chain. Each device chains its own rows: row n carries the hash of row n-1
// of the same device, and its own hash over its content and that previous hash. Editing,
// removing or reordering a row breaks the chain at that row, which `verifyAuditChain` reports.
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { newId } from '../../db/domain/ids.js';
import type { JsonObject, JsonValue } from '../../db/schema/json-types.js';

export const GENESIS_HASH = '0'.repeat(64);
const HEAD_KEY = 'audit_head:';

export interface AuditEvent {
  actorId: string | null;
  actorRole: string | null;
  action: string;
  entityType?: string | null;
  entityId?: string | null;
  before?: JsonObject | null;
  after?: JsonObject | null;
}

export interface AuditRow {
  id: string;
  deviceId: string;
  seq: number;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  entityType: string | null;
  entityId: string | null;
  before: JsonObject | null;
  after: JsonObject | null;
  at: string;
  prevHash: string;
  hash: string;
}

/** JSON with object keys sorted at every depth, so equal content always hashes the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value as JsonValue));
}

function sortKeys(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .filter((k) => value[k] !== undefined)
        .map((k) => [k, sortKeys(value[k]!)]),
    );
  }
  return value;
}

export function auditHash(row: Omit<AuditRow, 'hash'>): string {
  const { prevHash, ...content } = row;
  return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(content)).digest('hex');
}

/** Appends one row to this device's chain. Call inside the transaction of what it records. */
export function appendAudit(sqlite: Database.Database, deviceId: string, at: string, event: AuditEvent): AuditRow {
  const last = sqlite
    .prepare('SELECT seq, hash FROM audit_log WHERE device_id = ? ORDER BY seq DESC LIMIT 1')
    .get(deviceId) as { seq: number; hash: string } | undefined;
  const partial: Omit<AuditRow, 'hash'> = {
    id: newId(),
    deviceId,
    seq: (last?.seq ?? 0) + 1,
    actorId: event.actorId,
    actorRole: event.actorRole,
    action: event.action,
    entityType: event.entityType ?? null,
    entityId: event.entityId ?? null,
    before: event.before ?? null,
    after: event.after ?? null,
    at,
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  const row: AuditRow = { ...partial, hash: auditHash(partial) };
  sqlite
    .prepare(
      `INSERT INTO audit_log (id, device_id, seq, actor_id, actor_role, action, entity_type, entity_id, before, after, at, prev_hash, hash)
       VALUES (@id, @deviceId, @seq, @actorId, @actorRole, @action, @entityType, @entityId, @before, @after, @at, @prevHash, @hash)`,
    )
    .run({ ...row, before: jsonOrNull(row.before), after: jsonOrNull(row.after) });
  // The head of the chain, kept apart from it: removing the newest rows leaves no gap in the
  // chain itself, only a chain that ends before its recorded head.
  sqlite
    .prepare(
      `INSERT INTO device_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    )
    .run(`${HEAD_KEY}${deviceId}`, `${row.seq} ${row.hash}`);
  return row;
}

const jsonOrNull = (value: JsonObject | null) => (value === null ? null : JSON.stringify(value));

export type ChainVerdict =
  | { intact: true; rows: number }
  | {
      intact: false;
      rows: number;
      deviceId: string;
      seq: number;
      rowId: string;
      problem: 'edited' | 'missing-before' | 'out-of-order' | 'missing-at-end';
      message: string;
    };

interface StoredRow {
  id: string;
  device_id: string;
  seq: number;
  actor_id: string | null;
  actor_role: string | null;
  action: string;
  entity_type: string | null;
  entity_id: string | null;
  before: string | null;
  after: string | null;
  at: string;
  prev_hash: string;
  hash: string;
}

/** Walks every device's chain in sequence order and reports the first row that does not fit. */
export function verifyAuditChain(sqlite: Database.Database): ChainVerdict {
  const rows = sqlite
    .prepare('SELECT * FROM audit_log ORDER BY device_id, seq')
    .iterate() as IterableIterator<StoredRow>;
  let count = 0;
  let device: string | null = null;
  let expectedSeq = 1;
  let previousHash = GENESIS_HASH;
  const lastOf = new Map<string, { seq: number; hash: string; id: string }>();
  for (const stored of rows) {
    count++;
    if (stored.device_id !== device) {
      device = stored.device_id;
      expectedSeq = 1;
      previousHash = GENESIS_HASH;
    }
    const fail = (problem: 'edited' | 'missing-before' | 'out-of-order', message: string): ChainVerdict => ({
      intact: false,
      rows: count,
      deviceId: stored.device_id,
      seq: stored.seq,
      rowId: stored.id,
      problem,
      message,
    });
    if (stored.seq !== expectedSeq) {
      return fail(
        'missing-before',
        `Audit row ${stored.seq} of device ${stored.device_id} follows row ${expectedSeq - 1}: rows are missing before it.`,
      );
    }
    if (stored.prev_hash !== previousHash) {
      return fail(
        'out-of-order',
        `Audit row ${stored.seq} of device ${stored.device_id} does not follow the row before it: rows were removed or reordered.`,
      );
    }
    const recomputed = auditHash({
      id: stored.id,
      deviceId: stored.device_id,
      seq: stored.seq,
      actorId: stored.actor_id,
      actorRole: stored.actor_role,
      action: stored.action,
      entityType: stored.entity_type,
      entityId: stored.entity_id,
      before: stored.before === null ? null : (JSON.parse(stored.before) as JsonObject),
      after: stored.after === null ? null : (JSON.parse(stored.after) as JsonObject),
      at: stored.at,
      prevHash: stored.prev_hash,
    });
    if (recomputed !== stored.hash) {
      return fail('edited', `Audit row ${stored.seq} of device ${stored.device_id} was changed after it was written.`);
    }
    previousHash = stored.hash;
    expectedSeq++;
    lastOf.set(stored.device_id, { seq: stored.seq, hash: stored.hash, id: stored.id });
  }
  const heads = sqlite.prepare(`SELECT key, value FROM device_meta WHERE key LIKE '${HEAD_KEY}%'`).all() as {
    key: string;
    value: string;
  }[];
  for (const { key, value } of heads) {
    const deviceId = key.slice(HEAD_KEY.length);
    const [seq, hash] = value.split(' ');
    const last = lastOf.get(deviceId);
    if (!last || String(last.seq) !== seq || last.hash !== hash) {
      return {
        intact: false,
        rows: count,
        deviceId,
        seq: (last?.seq ?? 0) + 1,
        rowId: last?.id ?? '',
        problem: 'missing-at-end',
        message: `The audit chain of device ${deviceId} ends at row ${last?.seq ?? 0}, but row ${seq} was written: its newest rows were removed.`,
      };
    }
  }
  return { intact: true, rows: count };
}
