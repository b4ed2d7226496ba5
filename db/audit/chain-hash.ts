// How an audit row is hashed into its device's chain, shared by the desktop (which writes and
// verifies its chain) and the sync server (which verifies every chain as it arrives).
//
// Each row's hash is an HMAC-SHA256, keyed per device, over the previous row's hash and the row's
// content as canonical JSON. The key is never in the database the chain lives in: someone holding
// the file can rewrite rows, but not re-key the chain over them. A device's key is issued by the
// sync server it signs in to (which derives it from its own secret, so it can check the chain
// without storing keys); a computer that works alone makes its own and keeps it in its secret store.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { JsonObject, JsonValue } from '../schema/json-types.js';

export const GENESIS_HASH = '0'.repeat(64);

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

/** The row's keyed hash: HMAC-SHA256(key, prevHash + "\n" + canonical JSON of the rest), hex. */
export function auditHash(row: Omit<AuditRow, 'hash'>, key: Buffer): string {
  const { prevHash, ...content } = row;
  return createHmac('sha256', key).update(prevHash).update('\n').update(canonicalJson(content)).digest('hex');
}

/**
 * The rule before chains were keyed: plain SHA-256 over the same input. Rows a device wrote before
 * it had a key keep this hash; anyone can recompute it, so only what follows them in a keyed chain
 * (or an anchor kept outside the database) vouches for them.
 */
export function legacyAuditHash(row: Omit<AuditRow, 'hash'>): string {
  const { prevHash, ...content } = row;
  return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(content)).digest('hex');
}

/** A new random chain key, for a device that keeps its own (one that works alone). */
export function newChainKey(): Buffer {
  return randomBytes(32);
}

/** The chain key the sync server issues to a device: derived from the server's secret, never stored. */
export function serverIssuedChainKey(serverSecret: string, deviceId: string): Buffer {
  return createHmac('sha256', serverSecret).update('roomy audit chain key\n').update(deviceId).digest();
}
