// The audit log's hash chain. Each device chains its own rows: row n carries the hash of row n-1
// of the same device, and its own hash, keyed with the device's chain key (db/audit/chain-hash.ts),
// over its content and that previous hash. The key and a lower bound of the newest row live
// outside the database (chain-keeper.ts). So editing, removing, reordering or re-hashing a row,
// dropping the newest rows, or a ledger entry that no longer matches its audited insert, is
// reported by `verifyAuditChain`; and nothing is appended over a chain that was cut short.
import type Database from 'better-sqlite3';
import { auditHash, GENESIS_HASH, legacyAuditHash, type AuditRow } from '../../db/audit/chain-hash.js';
import { newId } from '../../db/domain/ids.js';
import type { JsonObject } from '../../db/schema/json-types.js';
import {
  chainKeeperOf,
  HEAD_KEY,
  headSeal,
  headSealMatches,
  parseHead,
  readHead,
  writeHead,
  type ChainHead,
  type ChainSecret,
  type KeyUnavailable,
  type TamperNotice,
} from './chain-keeper.js';
import { checkLedger } from './ledger-check.js';
import type { AnchorStatus } from '../sync/anchor.js';

export type { AuditRow } from '../../db/audit/chain-hash.js';

export interface AuditEvent {
  actorId: string | null;
  actorRole: string | null;
  action: string;
  entityType?: string | null;
  entityId?: string | null;
  before?: JsonObject | null;
  after?: JsonObject | null;
}

/** An audit_log row as SQLite stores it. */
export interface StoredAuditRow {
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

/** The row a stored one hashes as: its JSON parsed, its hash left out. */
export const auditRowOf = (stored: StoredAuditRow): Omit<AuditRow, 'hash'> => ({
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

/** Sealed with the key from keyedFrom on; before that (or with no key yet), plain SHA-256. */
function expectedHash(row: Omit<AuditRow, 'hash'>, secret: ChainSecret | null): string {
  const keyed = secret?.key && secret.keyedFrom !== null && row.seq >= secret.keyedFrom;
  return keyed ? auditHash(row, secret.key!) : legacyAuditHash(row);
}

/** Whether a row is one the key sealed; a row that does not match (or no longer parses) was edited or re-hashed. */
function sealedByKey(stored: StoredAuditRow, secret: ChainSecret | null): boolean {
  try {
    return expectedHash(auditRowOf(stored), secret) === stored.hash;
  } catch {
    return false;
  }
}

/** Re-hashed: the row's hash is what someone without the key could compute (plain SHA-256). */
function rehashedWithoutKey(stored: StoredAuditRow): boolean {
  try {
    return legacyAuditHash(auditRowOf(stored)) === stored.hash;
  } catch {
    return false;
  }
}

export type ChainProblem =
  | 'edited'
  | 'missing-before'
  | 'out-of-order'
  | 'rehashed'
  | 'missing-at-end'
  | 'missing-head'
  | 'head-altered'
  | 'key-missing'
  | 'ledger-differs'
  | 'ledger-unaudited'
  // The sync server's anchor (main/sync/anchor.ts): history already synced was cut short or rewritten here.
  | 'truncated'
  | 'rewritten';

export interface ChainFinding {
  problem: ChainProblem;
  deviceId: string;
  seq: number;
  /** The audit row's id; for a ledger problem, the ledger entry's. */
  rowId: string;
  message: string;
}

/** How a device's entry is named to a person: this computer's, or another device's. */
const entryOf = (own: string | null, deviceId: string, seq: number) =>
  deviceId === own ? `This computer's audit entry ${seq}` : `Audit entry ${seq} from device ${deviceId}`;

/**
 * What is wrong with the end of this device's chain, if anything: the newest row against the head
 * kept beside the chain and its seal, and the chain's length against the bound kept outside.
 */
function tailProblem(
  sqlite: Database.Database,
  secret: ChainSecret,
  last: StoredAuditRow | undefined,
  head: ChainHead | null,
  checkBound: boolean,
): ChainFinding | null {
  const { deviceId } = secret;
  const lastSeq = last?.seq ?? 0;
  const at = (problem: ChainProblem, message: string, seq = lastSeq): ChainFinding => ({
    problem,
    deviceId,
    seq,
    rowId: last?.id ?? '',
    message,
  });
  if (!head && last) {
    return at(
      'missing-head',
      `This computer's audit trail has ${lastSeq} entries, but the record of its newest entry was removed outside Roomy.`,
    );
  }
  if (head && !last) {
    return at(
      'missing-at-end',
      `This computer's audit trail is empty, but entry ${head.seq} had been written: its entries were removed.`,
      1,
    );
  }
  if (head && last) {
    if (head.seq > lastSeq) {
      return at(
        'missing-at-end',
        `This computer's audit trail ends at entry ${lastSeq}, but entry ${head.seq} had been written: its newest entries were removed.`,
        lastSeq + 1,
      );
    }
    if (head.seq === lastSeq ? head.hash !== last.hash : !extendsHead(sqlite, secret, head)) {
      return at(
        'head-altered',
        `The record of this computer's newest audit entry does not match entry ${lastSeq}: entries were added or replaced outside Roomy.`,
      );
    }
    const mustBeSealed = secret.key !== null && secret.keyedFrom !== null && head.seq >= secret.keyedFrom;
    if ((head.seal || mustBeSealed) && secret.key && !headSealMatches(secret.key, deviceId, head)) {
      return at(
        'head-altered',
        `The record of this computer's newest audit entry (${head.seq}) was rewritten outside Roomy: it does not carry this computer's seal.`,
      );
    }
  }
  if (checkBound && lastSeq < secret.headAtLeast) {
    return at(
      'missing-at-end',
      lastSeq === 0
        ? `This computer's audit trail is empty, but ${secret.headAtLeast} entries had been written: they were removed.`
        : `This computer's audit trail ends at entry ${lastSeq}, but entry ${secret.headAtLeast} had been written: its newest entries were removed.`,
      lastSeq + 1,
    );
  }
  if (last && !sealedByKey(last, secret)) {
    return rowProblem(secret.deviceId, last, secret, null);
  }
  return null;
}

/**
 * Rows after the head that this device did not append here: its own rows coming back down from the
 * server to a database restored to an earlier point. They stand only if they follow the head's row
 * and each is sealed as this device seals (with its key, which nobody else has).
 */
function extendsHead(sqlite: Database.Database, secret: ChainSecret, head: ChainHead): boolean {
  const rows = sqlite
    .prepare('SELECT * FROM audit_log WHERE device_id = ? AND seq >= ? ORDER BY seq')
    .all(secret.deviceId, head.seq) as StoredAuditRow[];
  if (rows[0]?.seq !== head.seq || rows[0].hash !== head.hash) return false;
  return rows
    .slice(1)
    .every((row, i) => row.seq === head.seq + i + 1 && row.prev_hash === rows[i]!.hash && sealedByKey(row, secret));
}

/** A row whose hash does not match: re-hashed when the next row follows it but is no better. */
function rowProblem(
  own: string | null,
  stored: StoredAuditRow,
  secret: ChainSecret | null,
  next: { followsIt: boolean; sealed: boolean } | null,
): ChainFinding {
  const keyed = secret?.key && secret.keyedFrom !== null && stored.seq >= secret.keyedFrom;
  const rehashed = keyed && (next ? next.followsIt && !next.sealed : rehashedWithoutKey(stored));
  return {
    problem: rehashed ? 'rehashed' : 'edited',
    deviceId: stored.device_id,
    seq: stored.seq,
    rowId: stored.id,
    message: rehashed
      ? `${entryOf(own, stored.device_id, stored.seq)} and those after it were re-sealed without this computer's key: the audit trail was rewritten outside Roomy.`
      : `${entryOf(own, stored.device_id, stored.seq)} was changed after it was written.`,
  };
}

/** Appends one row to this device's chain. Call inside the transaction of what it records. */
export function appendAudit(sqlite: Database.Database, deviceId: string, at: string, event: AuditEvent): AuditRow {
  const keeper = chainKeeperOf(sqlite);
  if (!keeper || keeper.deviceId !== deviceId) {
    throw new Error(`No audit chain is kept for device ${deviceId} on this connection (see keepAuditChain).`);
  }
  const secret = keeper.secret();
  if ('problem' in secret) throw keeper.refuse(secret.problem, secret.message);
  const last = sqlite.prepare('SELECT * FROM audit_log WHERE device_id = ? ORDER BY seq DESC LIMIT 1').get(deviceId) as
    StoredAuditRow | undefined;
  // Never chain onto a tail that was cut or rewritten: that would heal the evidence.
  const problem = tailProblem(sqlite, secret, last, readHead(sqlite, deviceId), true);
  if (problem) throw keeper.refuse(problem.problem, problem.message);
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
  const row: AuditRow = { ...partial, hash: expectedHash(partial, secret) };
  sqlite
    .prepare(
      `INSERT INTO audit_log (id, device_id, seq, actor_id, actor_role, action, entity_type, entity_id, before, after, at, prev_hash, hash)
       VALUES (@id, @deviceId, @seq, @actorId, @actorRole, @action, @entityType, @entityId, @before, @after, @at, @prevHash, @hash)`,
    )
    .run({ ...row, before: jsonOrNull(row.before), after: jsonOrNull(row.after) });
  // The head of the chain, kept apart from it and sealed: removing the newest rows leaves no gap
  // in the chain itself, only a chain that ends before its head, which cannot be re-sealed.
  writeHead(sqlite, deviceId, {
    seq: row.seq,
    hash: row.hash,
    seal: secret.key ? headSeal(secret.key, deviceId, row.seq, row.hash) : null,
  });
  keeper.appended(row.seq);
  return row;
}

const jsonOrNull = (value: JsonObject | null) => (value === null ? null : JSON.stringify(value));

export type ChainVerdict =
  | { intact: true; rows: number; ledgerEntries: number; noticed: TamperNotice | null; anchor: AnchorStatus | null }
  | ({
      intact: false;
      rows: number;
      ledgerEntries: number;
      /** Every problem found (the first of each chain, and each ledger entry at fault), first one first. */
      problems: ChainFinding[];
      noticed: TamperNotice | null;
      /** This device's trail against the sync server's anchor; null where it was not asked (not synced). */
      anchor: AnchorStatus | null;
    } & ChainFinding);

export interface VerifyOptions {
  /**
   * This device's key and bounds (from its keeper); null when none is known here. Without one,
   * rows are checked by the rule before keys, and a sealed chain is reported as not checkable.
   */
  secret?: ChainSecret | KeyUnavailable | null;
  /** Compare the chain's length with the bound kept outside it (not for a backup, older by nature). */
  checkBound?: boolean;
  /** This device's trail compared with the sync server's anchor, when synced: a broken one is a finding. */
  anchor?: AnchorStatus;
}

/**
 * Walks every device's chain in sequence order: this device's in full (keyed hashes, its sealed
 * head, the bound kept outside), other devices' for order and linkage (their keys are not here).
 * Then checks each ledger entry against its audited insert.
 */
export function verifyAuditChain(sqlite: Database.Database, options?: VerifyOptions): ChainVerdict {
  const keeper = chainKeeperOf(sqlite);
  const given = options?.secret !== undefined ? options.secret : (keeper?.secret() ?? null);
  const checkBound = options?.checkBound ?? true;
  const ownDevice =
    given && 'deviceId' in given
      ? given.deviceId
      : (keeper?.deviceId ??
        (sqlite.prepare(`SELECT value FROM device_meta WHERE key = 'device_id'`).pluck().get() as string | undefined) ??
        null);
  const secret = given && 'deviceId' in given ? given : null;
  // Without this device's key its own rows can be checked for order only, like another device's.
  const unavailable =
    given && 'problem' in given
      ? given
      : !secret && ownDevice && readHead(sqlite, ownDevice)?.seal
        ? {
            problem: 'key-missing' as const,
            message:
              "This database's audit trail is sealed with a key this computer does not hold, so edits to it cannot be ruled out.",
          }
        : null;
  const findings: ChainFinding[] = [];

  const rows = sqlite
    .prepare('SELECT * FROM audit_log ORDER BY device_id, seq')
    .iterate() as IterableIterator<StoredAuditRow>;
  let count = 0;
  let device: string | null = null;
  let broken = false;
  let expectedSeq = 1;
  let previousHash = GENESIS_HASH;
  let suspect: StoredAuditRow | null = null;
  let ownLast: StoredAuditRow | undefined;
  const lastOf = new Map<string, StoredAuditRow>();

  for (const stored of rows) {
    count++;
    if (stored.device_id !== device) {
      if (suspect) findings.push(rowProblem(ownDevice, suspect, secret, null));
      device = stored.device_id;
      broken = false;
      suspect = null;
      expectedSeq = 1;
      previousHash = GENESIS_HASH;
    }
    lastOf.set(stored.device_id, stored);
    if (stored.device_id === ownDevice) ownLast = stored;
    if (broken) continue;
    const own = stored.device_id === ownDevice;
    if (suspect) {
      // The row before did not match its hash: this one tells an edit from a re-hashed chain.
      findings.push(
        rowProblem(ownDevice, suspect, secret, {
          followsIt: stored.prev_hash === suspect.hash,
          sealed: sealedByKey(stored, secret),
        }),
      );
      suspect = null;
      broken = true;
      continue;
    }
    if (stored.seq !== expectedSeq) {
      findings.push({
        problem: 'missing-before',
        deviceId: stored.device_id,
        seq: stored.seq,
        rowId: stored.id,
        message: `${entryOf(ownDevice, stored.device_id, stored.seq)} follows entry ${expectedSeq - 1}: the entries between were removed.`,
      });
      broken = true;
      continue;
    }
    if (stored.prev_hash !== previousHash) {
      findings.push({
        problem: 'out-of-order',
        deviceId: stored.device_id,
        seq: stored.seq,
        rowId: stored.id,
        message: `${entryOf(ownDevice, stored.device_id, stored.seq)} does not follow the entry before it: entries were removed or put in another order.`,
      });
      broken = true;
      continue;
    }
    if (own && !unavailable) {
      if (
        secret?.anchor &&
        secret.keyedFrom !== null &&
        stored.seq === secret.keyedFrom - 1 &&
        stored.hash !== secret.anchor
      ) {
        findings.push({
          problem: 'edited',
          deviceId: stored.device_id,
          seq: stored.seq,
          rowId: stored.id,
          message: `${entryOf(ownDevice, stored.device_id, stored.seq)} or one before it was changed after it was written.`,
        });
        broken = true;
        continue;
      }
      if (!sealedByKey(stored, secret)) suspect = stored;
    }
    previousHash = stored.hash;
    expectedSeq++;
  }
  if (suspect) findings.push(rowProblem(ownDevice, suspect, secret, null));

  if (unavailable && ownDevice && (ownLast || readHead(sqlite, ownDevice))) {
    findings.unshift({ problem: 'key-missing', deviceId: ownDevice, seq: 0, rowId: '', message: unavailable.message });
  }
  if (ownDevice && !unavailable && !findings.some((f) => f.deviceId === ownDevice)) {
    const tail = tailProblem(
      sqlite,
      secret ?? {
        deviceId: ownDevice,
        key: null,
        keyedFrom: null,
        anchor: null,
        headAtLeast: 0,
        synced: false,
        noticed: null,
      },
      ownLast,
      readHead(sqlite, ownDevice),
      checkBound,
    );
    if (tail) findings.push(tail);
  }
  const anchor = options?.anchor ?? null;
  if (anchor?.state === 'broken' && ownDevice) findings.push(anchorFinding(sqlite, ownDevice, anchor));
  findings.push(...otherHeads(sqlite, ownDevice, lastOf));

  const ledger = ownDevice
    ? checkLedger(sqlite, { deviceId: ownDevice, synced: secret?.synced ?? false })
    : { entries: 0, fromServer: 0, findings: [] };
  findings.push(...ledger.findings);

  const noticed = secret?.noticed ?? null;
  if (findings.length === 0) return { intact: true, rows: count, ledgerEntries: ledger.entries, noticed, anchor };
  const first = findings[0]!;
  const shown = findings.slice(0, 3).map((f) => f.message);
  if (findings.length > 3) shown.push(`And ${findings.length - 3} more problems.`);
  if (noticed) shown.push(noticedText(noticed));
  return {
    intact: false,
    rows: count,
    ledgerEntries: ledger.entries,
    problems: findings,
    noticed,
    anchor,
    ...first,
    message: shown.join(' '),
  };
}

/** A notice of the anchor is from the sync engine's check; any other, from a refused change. */
export const noticedText = (noticed: TamperNotice) =>
  noticed.problem === 'truncated' || noticed.problem === 'rewritten'
    ? `Roomy first noticed this on ${noticed.at}, comparing with the sync server.`
    : `Roomy has refused changes here since ${noticed.at}.`;

function anchorFinding(
  sqlite: Database.Database,
  deviceId: string,
  anchor: Extract<AnchorStatus, { state: 'broken' }>,
): ChainFinding {
  const rowId = sqlite
    .prepare('SELECT id FROM audit_log WHERE device_id = ? AND seq = ?')
    .pluck()
    .get(deviceId, anchor.seq) as string | undefined;
  return { problem: anchor.problem, deviceId, seq: anchor.seq, rowId: rowId ?? '', message: anchor.message };
}

/** A head kept for another device (an older database's) must still match that device's last row. */
function otherHeads(
  sqlite: Database.Database,
  own: string | null,
  lastOf: Map<string, StoredAuditRow>,
): ChainFinding[] {
  const heads = sqlite.prepare(`SELECT key, value FROM device_meta WHERE key LIKE '${HEAD_KEY}%'`).all() as {
    key: string;
    value: string;
  }[];
  const findings: ChainFinding[] = [];
  for (const { key, value } of heads) {
    const deviceId = key.slice(HEAD_KEY.length);
    if (deviceId === own) continue;
    const head = parseHead(value);
    const last = lastOf.get(deviceId);
    if (last && last.seq === head.seq && last.hash === head.hash) continue;
    findings.push({
      problem: 'missing-at-end',
      deviceId,
      seq: (last?.seq ?? 0) + 1,
      rowId: last?.id ?? '',
      message: `The audit trail of device ${deviceId} ends at entry ${last?.seq ?? 0}, but entry ${head.seq} had been written: its newest entries were removed.`,
    });
  }
  return findings;
}
