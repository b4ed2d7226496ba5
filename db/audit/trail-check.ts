// Whether an audit row a device sends continues that device's trail as the sync server holds it.
// The server keeps, per device, its newest entry and where keying began; this decides from those
// and the entries held on either side of the row. Pure, so the rule reads in one place.
import { timingSafeEqual } from 'node:crypto';
import { auditHash, GENESIS_HASH, legacyAuditHash, type AuditRow } from './chain-hash.js';

/** What the server holds of a device's trail. */
export interface HeldTrail {
  /** The newest entry accepted (0 before any) and its hash (the genesis hash before any). */
  headSeq: number;
  headHash: string;
  /** The first entry sealed with the device's key; null while none has been. */
  keyedFrom: number | null;
}

/** The entries held at the row's place and on either side of it (absent when not held). */
export interface Neighbours {
  previous?: { hash: string };
  same?: { id: string; hash: string };
  next?: { prevHash: string };
}

export type TrailCheck =
  /** Taken: a new newest entry, or one the server lost (its database went back) coming back as it was. */
  | { outcome: 'taken'; keyed: boolean }
  /** The very entry the server holds, sent again: nothing to write. */
  | { outcome: 'held' }
  | { outcome: 'refused'; code: 'validation' | 'conflict'; message: string };

export const NOT_CONTINUING = "This device's audit trail does not continue from what the server holds: ";

/** How a row's hash was made: with the device's key, by the rule before keys, or neither (it was changed). */
export function sealOf(row: AuditRow, key: Buffer): 'keyed' | 'legacy' | null {
  const { hash, ...content } = row;
  if (sameHex(auditHash(content, key), hash)) return 'keyed';
  if (legacyAuditHash(content) === hash) return 'legacy';
  return null;
}

/**
 * Checks `row` against the trail: sealed with `key` (or, before the device's first keyed entry, by
 * the rule before keys), numbered next after the newest entry held and following on from it. An
 * entry below the newest is taken only where the server lost it, linking the entries held around it.
 */
export function checkTrail(row: AuditRow, key: Buffer, trail: HeldTrail, held: Neighbours): TrailCheck {
  const refused = (code: 'validation' | 'conflict', why: string): TrailCheck => ({
    outcome: 'refused',
    code,
    message: `${NOT_CONTINUING}${why}`,
  });
  const { seq } = row;
  const seal = sealOf(row, key);
  if (held.same) {
    if (held.same.id === row.id && held.same.hash === row.hash && seal) return { outcome: 'held' };
    return refused('conflict', `the server already holds an entry ${seq} from this device, with other content.`);
  }
  if (!seal) {
    return refused(
      'validation',
      `entry ${seq} does not carry this device's seal: it was changed after it was sealed, or sealed with another key.`,
    );
  }
  if (seal === 'legacy' && trail.keyedFrom !== null && seq >= trail.keyedFrom) {
    return refused(
      'validation',
      `entry ${seq} is sealed by the rule before keys, but this device seals its entries with its key from entry ${trail.keyedFrom} on.`,
    );
  }
  if (seal === 'keyed' && seq <= trail.headSeq && (trail.keyedFrom === null || seq < trail.keyedFrom)) {
    return refused(
      'validation',
      `entry ${seq} is sealed with this device's key, but the entries the server holds after it follow the rule before keys.`,
    );
  }
  if (seq > trail.headSeq + 1) {
    return refused(
      'conflict',
      `entry ${seq} would follow entry ${seq - 1}, but the server holds this device's entries up to ${trail.headSeq}.`,
    );
  }
  const previous = seq === 1 ? GENESIS_HASH : seq === trail.headSeq + 1 ? trail.headHash : held.previous?.hash;
  if (previous === undefined) {
    return refused('conflict', `entry ${seq} would follow entry ${seq - 1}, which the server does not hold.`);
  }
  if (row.prevHash !== previous) {
    return refused('conflict', `entry ${seq} does not follow on from entry ${seq - 1} as the server holds it.`);
  }
  // Below the newest entry: the entry after it (or the newest itself) says what its hash must be.
  const pinned = seq === trail.headSeq ? trail.headHash : held.next?.prevHash;
  if (seq <= trail.headSeq && pinned !== undefined && pinned !== row.hash) {
    return refused('conflict', `entry ${seq} is not the entry that entry ${seq + 1} follows on from.`);
  }
  return { outcome: 'taken', keyed: seal === 'keyed' };
}

function sameHex(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
