// Where a database's audit chain is anchored outside it: the key its rows are sealed with, the
// entry from which they are sealed, and a lower bound of its newest entry. That record lives in a
// secret store (the app's is sealed by the operating system's keychain), so someone holding the
// database file can neither re-seal rows after editing them nor make the newest ones vanish.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { resolve } from 'node:path';
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { newChainKey } from '../../db/audit/chain-hash.js';
import type { SecretStore } from '../sync/server-connection.js';
import { AppError } from './errors.js';
import { silentLogger, type Logger } from './logger.js';

/** What the core is given to find its chain's key: a secret store and the entry for this database. */
export interface ChainKeySource {
  store: SecretStore;
  /** The store entry of this database's chain record (one database, one entry). */
  entry: string;
  /**
   * The key the sync server issued for a device, when this database is synced: it never makes a
   * key of its own then, and until one is issued its rows follow the rule before keys.
   */
  issued?: (deviceId: string) => Buffer | undefined;
}

const noticeSchema = z.object({ at: z.string(), problem: z.string(), message: z.string() });
export type TamperNotice = z.infer<typeof noticeSchema>;

const recordSchema = z.object({
  deviceId: z.string(),
  /** base64; absent when the sync server issues the key. */
  key: z.string().optional(),
  /** The first entry sealed with the key; null while a synced database waits for its key. */
  keyedFrom: z.number().int().min(1).nullable(),
  /** The hash of the entry before keyedFrom when keying began: it vouches for the older entries. */
  anchor: z.string().nullable(),
  /** The chain was known to reach at least this entry. */
  headAtLeast: z.number().int().min(0),
  /** The first time a change was refused because the chain had been tampered with. */
  noticed: noticeSchema.optional(),
  /** The last restore from a backup, which legitimately took the chain back. */
  restored: z.object({ at: z.string(), fromSeq: z.number(), toSeq: z.number() }).optional(),
});
type ChainRecord = z.infer<typeof recordSchema>;

/** What checking one device's chain in full needs. */
export interface ChainSecret {
  deviceId: string;
  /** Null while the chain is not keyed yet (a synced database before the server issued its key). */
  key: Buffer | null;
  keyedFrom: number | null;
  anchor: string | null;
  headAtLeast: number;
  /** A synced database holds ledger rows from the server whose audit rows it may not hold. */
  synced: boolean;
  noticed: TamperNotice | null;
}

/** Why this device's chain cannot be checked or extended here. */
export interface KeyUnavailable {
  problem: 'key-missing';
  message: string;
}

/** The record of a device's newest entry, kept in device_meta beside (not in) the chain. */
export interface ChainHead {
  seq: number;
  hash: string;
  /** HMAC of seq and hash under the chain key; absent on a head written before keys. */
  seal: string | null;
}

export const HEAD_KEY = 'audit_head:';

export function headSeal(key: Buffer, deviceId: string, seq: number, hash: string): string {
  return createHmac('sha256', key).update(`roomy audit head\n${deviceId}\n${seq}\n${hash}`).digest('hex');
}

export function headSealMatches(key: Buffer, deviceId: string, head: ChainHead): boolean {
  if (!head.seal || !/^[0-9a-f]{64}$/.test(head.seal)) return false;
  const expected = Buffer.from(headSeal(key, deviceId, head.seq, head.hash), 'hex');
  return timingSafeEqual(expected, Buffer.from(head.seal, 'hex'));
}

export function readHead(sqlite: Database.Database, deviceId: string): ChainHead | null {
  const value = sqlite.prepare('SELECT value FROM device_meta WHERE key = ?').pluck().get(`${HEAD_KEY}${deviceId}`) as
    string | undefined;
  return value === undefined ? null : parseHead(value);
}

export function parseHead(value: string): ChainHead {
  const [seq, hash, seal] = value.split(' ');
  return { seq: Number(seq), hash: hash ?? '', seal: seal ?? null };
}

export function writeHead(sqlite: Database.Database, deviceId: string, head: ChainHead): void {
  sqlite
    .prepare(
      'INSERT INTO device_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    )
    .run(`${HEAD_KEY}${deviceId}`, [head.seq, head.hash, ...(head.seal ? [head.seal] : [])].join(' '));
}

function lastOwnRow(sqlite: Database.Database, deviceId: string): { seq: number; hash: string } | undefined {
  return sqlite
    .prepare('SELECT seq, hash FROM audit_log WHERE device_id = ? ORDER BY seq DESC LIMIT 1')
    .get(deviceId) as { seq: number; hash: string } | undefined;
}

/** Refused: the chain cannot be extended (tampered with, or its key is not here). The change is not made. */
export class AuditTrailRefusal extends AppError {
  override name = 'AuditTrailRefusal';
  constructor(
    readonly problem: string,
    message: string,
  ) {
    super('conflict', message);
  }
}

/**
 * Runs a change that only records a moment (a sign-in, a restore asked for) and goes on without
 * it when the audit trail has been tampered with: every change is refused then, but people must
 * still sign in to see the tamper and restore a backup.
 */
export function unlessTrailBroken(change: () => unknown): void {
  try {
    change();
  } catch (error) {
    if (!(error instanceof AuditTrailRefusal)) throw error;
  }
}

/** Reads a device's record from the store: enough to check a backup of its database. */
export function chainSecretOf(source: ChainKeySource, deviceId: string): ChainSecret | null {
  const record = readRecord(source);
  if (!record || record.deviceId !== deviceId) return null;
  return secretOf(source, record);
}

function readRecord(source: ChainKeySource): ChainRecord | undefined {
  const stored = source.store.get(source.entry);
  if (stored === undefined) return undefined;
  try {
    const parsed = recordSchema.safeParse(JSON.parse(stored));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function secretOf(source: ChainKeySource, record: ChainRecord): ChainSecret {
  const key = source.issued
    ? (source.issued(record.deviceId) ?? null)
    : record.key
      ? Buffer.from(record.key, 'base64')
      : null;
  return {
    deviceId: record.deviceId,
    key: record.keyedFrom === null ? null : key,
    keyedFrom: record.keyedFrom,
    anchor: record.anchor,
    headAtLeast: record.headAtLeast,
    synced: source.issued !== undefined,
    noticed: record.noticed ?? null,
  };
}

const byConnection = new WeakMap<Database.Database, ChainKeeper>();
const byFile = new Map<string, ChainKeeper>();

/** Keeps `deviceId`'s chain on this connection: appendAudit and verifyAuditChain find it there. */
export function keepAuditChain(
  sqlite: Database.Database,
  deviceId: string,
  source: ChainKeySource,
  options: { logger?: Logger; now?: () => Date } = {},
): ChainKeeper {
  const keeper = new ChainKeeper(
    sqlite,
    deviceId,
    source,
    options.logger ?? silentLogger,
    options.now ?? (() => new Date()),
  );
  byConnection.set(sqlite, keeper);
  if (!sqlite.memory) byFile.set(resolve(sqlite.name), keeper);
  return keeper;
}

export const chainKeeperOf = (sqlite: Database.Database): ChainKeeper | undefined => byConnection.get(sqlite);

/** The keeper of the database open at `file`, if any: what a restore of that database is checked with. */
export const chainKeeperOfFile = (file: string): ChainKeeper | undefined => byFile.get(resolve(file));

/**
 * One database's chain record: made when the database first opens (a key of its own when it works
 * alone; the server's when synced), read on every append, and raised to the newest committed entry
 * after each one.
 */
export class ChainKeeper {
  #record: ChainRecord | undefined;
  #appended = 0;
  #boundScheduled = false;

  constructor(
    readonly sqlite: Database.Database,
    readonly deviceId: string,
    readonly source: ChainKeySource,
    private readonly logger: Logger,
    private readonly now: () => Date,
  ) {}

  /** The chain's secret, making the record on first use; or why the chain cannot be keyed here. */
  secret(): ChainSecret | KeyUnavailable {
    const record = this.#resolve();
    if ('problem' in record) return record;
    const secret = secretOf(this.source, record);
    if (record.keyedFrom !== null && !secret.key) {
      return {
        problem: 'key-missing',
        message: this.source.issued
          ? 'This computer does not hold the key that seals your audit trail: sign in once while the sync server can be reached.'
          : "This computer no longer holds the key that seals this database's audit trail, so edits to it cannot be ruled out (the key store was removed or the database came from another computer).",
      };
    }
    return secret;
  }

  #resolve(): ChainRecord | KeyUnavailable {
    if (this.#record?.deviceId === this.deviceId && this.#record.keyedFrom !== null) return this.#record;
    let record = readRecord(this.source);
    const last = lastOwnRow(this.sqlite, this.deviceId);
    const head = readHead(this.sqlite, this.deviceId);
    if (record && record.deviceId !== this.deviceId) {
      if (last || head) {
        return {
          problem: 'key-missing',
          message: `This database's audit trail (device ${this.deviceId}) is not the one this computer keeps the key for (device ${record.deviceId}): the database was replaced or brought from another computer.`,
        };
      }
      this.logger.warn('A new database took the place of another: its audit chain gets a key of its own', {
        previousDevice: record.deviceId,
      });
      record = undefined;
    }
    if (!record) {
      if (head?.seal) {
        return {
          problem: 'key-missing',
          message:
            "This database's audit trail is sealed with a key this computer does not hold, so edits to it cannot be ruled out (the keychain is locked, the key store was removed, or the database was moved here from another computer or opened by the desktop app, whose keychain holds it).",
        };
      }
      record = this.#begin(undefined, last);
    } else if (record.keyedFrom === null && this.source.issued?.(this.deviceId)) {
      record = this.#begin(record, last);
    }
    this.#record = record;
    return record;
  }

  /** Keying begins after the entries already there, which keep the old rule and are anchored. */
  #begin(previous: ChainRecord | undefined, last: { seq: number; hash: string } | undefined): ChainRecord {
    const issued = this.source.issued;
    const key = issued ? issued(this.deviceId) : newChainKey();
    const record: ChainRecord = {
      deviceId: this.deviceId,
      ...(key && !issued ? { key: key.toString('base64') } : {}),
      keyedFrom: key ? (last?.seq ?? 0) + 1 : null,
      anchor: key ? (last?.hash ?? null) : null,
      headAtLeast: Math.max(previous?.headAtLeast ?? 0, last?.seq ?? 0),
    };
    this.#write(record);
    // The head is sealed at once, so it never stays in the unsealed form an attacker can write.
    if (key && last)
      writeHead(this.sqlite, this.deviceId, { ...last, seal: headSeal(key, this.deviceId, last.seq, last.hash) });
    if (key && last) this.logger.info('The audit chain is keyed from now on', { keyedFrom: record.keyedFrom });
    return record;
  }

  /** Called for each entry appended: the bound follows once its transaction has committed. */
  appended(seq: number): void {
    this.#appended = Math.max(this.#appended, seq);
    if (this.#boundScheduled) return;
    this.#boundScheduled = true;
    queueMicrotask(() => this.#raiseBound());
  }

  /**
   * Only what is committed raises the bound, and never past what this keeper appended: an entry
   * rolled back with its change, or one slipped in by someone else, does not count.
   */
  #raiseBound(): void {
    if (!this.sqlite.open) return;
    if (this.sqlite.inTransaction) {
      setImmediate(() => this.#raiseBound());
      return;
    }
    this.#boundScheduled = false;
    const record = this.#record;
    if (!record) return;
    const committed = Math.min(lastOwnRow(this.sqlite, this.deviceId)?.seq ?? 0, this.#appended);
    if (committed > record.headAtLeast) this.#write({ ...record, headAtLeast: committed });
  }

  /** Records (once) and logs that a change was refused because the chain was tampered with. */
  refuse(problem: string, what: string): AuditTrailRefusal {
    this.logger.error('A change was refused: the audit trail cannot be extended', { problem, message: what });
    const record = this.#record ?? readRecord(this.source);
    if (record && record.deviceId === this.deviceId && !record.noticed && problem !== 'key-missing') {
      this.#write({ ...record, noticed: { at: this.now().toISOString(), problem, message: what } });
    }
    const remedy =
      problem === 'key-missing'
        ? ''
        : ' Roomy records nothing more in this database until it is restored from a backup made before then: tell your administrator.';
    return new AuditTrailRefusal(problem, `This change was not saved. ${what}${remedy}`);
  }

  /**
   * After a restore (verified with this key before it was swapped in): the chain legitimately went
   * back, so the bound follows it, and the restore is remembered in place of any tamper notice.
   */
  restored(at: Date): void {
    const record = readRecord(this.source);
    const last = lastOwnRow(this.sqlite, this.deviceId);
    if (!record || record.deviceId !== this.deviceId) {
      this.#record = undefined;
      if (record) this.source.store.delete(this.source.entry);
      return;
    }
    const toSeq = last?.seq ?? 0;
    const { noticed: _cleared, ...rest } = record;
    const next: ChainRecord = {
      ...rest,
      headAtLeast: toSeq,
      restored: { at: at.toISOString(), fromSeq: record.headAtLeast, toSeq },
    };
    if (next.keyedFrom !== null && next.keyedFrom > toSeq + 1) {
      // A backup from before keying began: keying begins again after its last entry.
      next.keyedFrom = toSeq + 1;
      next.anchor = last?.hash ?? null;
    }
    this.#write(next);
    const key = secretOf(this.source, next).key;
    if (key && last)
      writeHead(this.sqlite, this.deviceId, { ...last, seal: headSeal(key, this.deviceId, last.seq, last.hash) });
    this.#record = next;
  }

  /** Forgets the connection (the database is closing). */
  release(): void {
    byConnection.delete(this.sqlite);
    if (!this.sqlite.memory && byFile.get(resolve(this.sqlite.name)) === this) byFile.delete(resolve(this.sqlite.name));
  }

  #write(record: ChainRecord): void {
    this.#record = record;
    this.source.store.set(this.source.entry, JSON.stringify(record));
  }
}

/** Where the sync server's key for a device is kept, beside the database's chain record. */
export const issuedKeyEntry = (server: string, deviceId: string) => `audit-chain-key ${server} ${deviceId}`;

export function saveIssuedChainKey(store: SecretStore, server: string, deviceId: string, key: Buffer): void {
  const entry = issuedKeyEntry(server, deviceId);
  const encoded = key.toString('base64');
  if (store.get(entry) !== encoded) store.set(entry, encoded);
}

export function issuedChainKey(store: SecretStore, server: string, deviceId: string): Buffer | undefined {
  const stored = store.get(issuedKeyEntry(server, deviceId));
  return stored ? Buffer.from(stored, 'base64') : undefined;
}
