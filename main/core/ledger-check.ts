// Ledger entries tied to the audit chain. The ChangeWriter records each inserted row, as stored, as
// its audit row's after-image; an entry is sound while it still equals that image. Entries loaded
// in bulk without an audit row each (the sample data) are covered by a digest that the load's
// audit row records of every such entry, so they cannot be added to, removed or changed either.
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { getTableColumns } from 'drizzle-orm';
import { canonicalJson } from '../../db/audit/chain-hash.js';
import { formatMoney } from '../../db/domain/money.js';
import type { JsonObject } from '../../db/schema/json-types.js';
import { ledgerEntries } from '../../db/schema/sqlite.js';

/** The key, in a bulk load's audit row, of what it vouches for: `{ entries, digest }`. */
export const BULK_LEDGER = 'ledgerEntriesWithoutTheirOwnAuditRow';

const COLUMNS = Object.entries(getTableColumns(ledgerEntries)).map(([field, column]) => ({ field, column }));

/** A stored row as drizzle reads it (field names, JSON parsed): the form the audit rows record. */
function asEntry(raw: Record<string, unknown>): Record<string, unknown> {
  const entry: Record<string, unknown> = {};
  for (const { field, column } of COLUMNS) {
    const value = raw[column.name];
    entry[field] = value === null || value === undefined ? null : fromDriver(column, value);
  }
  return entry;
}

/** A stored value as drizzle maps it; one that no longer parses stays as stored (and so differs). */
function fromDriver(column: (typeof COLUMNS)[number]['column'], value: unknown): unknown {
  try {
    return column.mapFromDriverValue(value);
  } catch {
    return value;
  }
}

const parsedOrNull = (text: string): JsonObject | null => {
  try {
    return JSON.parse(text) as JsonObject;
  } catch {
    return null;
  }
};

class Digest {
  readonly #hash = createHash('sha256');
  entries = 0;
  add(entry: Record<string, unknown>): void {
    this.#hash.update(canonicalJson(entry)).update('\n');
    this.entries++;
  }
  value(): { entries: number; digest: string } {
    return { entries: this.entries, digest: this.#hash.digest('hex') };
  }
}

const INSERT_AUDIT = `a.entity_type = 'ledger_entries' AND a.entity_id = l.id AND a.before IS NULL AND a.after IS NOT NULL`;

/**
 * What a bulk load's audit row records: every ledger entry with no audited insert on `deviceId`'s
 * chain, leaving out `pending` (entries whose audit rows the same change is about to write).
 */
export function bulkLedgerDigest(
  sqlite: Database.Database,
  deviceId: string,
  pending: ReadonlySet<string>,
): { entries: number; digest: string } {
  const digest = new Digest();
  const rows = sqlite
    .prepare(
      `SELECT l.* FROM ledger_entries l
       WHERE NOT EXISTS (SELECT 1 FROM audit_log a WHERE ${INSERT_AUDIT} AND a.device_id = ?)
       ORDER BY l.id`,
    )
    .iterate(deviceId) as IterableIterator<Record<string, unknown>>;
  for (const row of rows) if (!pending.has(row.id as string)) digest.add(asEntry(row));
  return digest.value();
}

export interface LedgerFinding {
  problem: 'ledger-differs' | 'ledger-unaudited';
  /** The audit row's device and seq, when there is one. */
  deviceId: string;
  seq: number;
  /** The ledger entry's id. */
  rowId: string;
  message: string;
}

export interface LedgerCheck {
  entries: number;
  /** Synced: entries with no audit row here, vouched for by the server, which holds their devices' chains. */
  fromServer: number;
  findings: LedgerFinding[];
}

const FIELD_WORDS: Record<string, string> = {
  amountMinor: 'amount',
  netAmountMinor: 'net amount',
  platformFeeMinor: 'platform fee',
  transactionFeeMinor: 'transaction fee',
  currency: 'currency',
  userId: 'person',
  propertyId: 'property',
  reservationId: 'reservation',
  taskId: 'task',
  referenceEntryId: 'entry it refers to',
  createdAt: 'date',
  processedAt: 'processing date',
  paymentMethod: 'payment method',
};
const inWords = (field: string) => FIELD_WORDS[field] ?? field.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`);

const listed = (words: string[]) =>
  words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)!}`;

function describe(entry: Record<string, unknown>): string {
  let amount: string;
  try {
    amount = formatMoney({ amountMinor: Number(entry.amountMinor), currency: String(entry.currency) }, 'en');
  } catch {
    amount = `${String(entry.amountMinor)} ${String(entry.currency)}`;
  }
  const type = String(entry.type).toLowerCase().replace(/_/g, ' ');
  return `The ledger entry ${String(entry.id)} (${type}, ${amount}, ${String(entry.createdAt).slice(0, 10)})`;
}

interface AuditedInsert {
  deviceId: string;
  seq: number;
  after: JsonObject;
}

/**
 * Each ledger entry against its audited insert. Working alone, an entry must be on this device's
 * own chain (or covered by a bulk load's digest); synced, on any chain present, and entries with
 * none here are counted as the server's.
 */
export function checkLedger(
  sqlite: Database.Database,
  own: { deviceId: string; synced: boolean },
  limit = 20,
): LedgerCheck {
  const rows = sqlite
    .prepare(
      `SELECT l.*, a.device_id AS "audit:device", a.seq AS "audit:seq", a.after AS "audit:after"
       FROM ledger_entries l
       LEFT JOIN audit_log a ON ${INSERT_AUDIT} ${own.synced ? '' : 'AND a.device_id = @device'}
       ORDER BY l.id, a.device_id = @device DESC, a.seq DESC`,
    )
    .iterate({ device: own.deviceId }) as IterableIterator<Record<string, unknown>>;
  const findings: LedgerFinding[] = [];
  const unaudited = new Digest();
  const unauditedFindings: LedgerFinding[] = [];
  let entries = 0;
  let fromServer = 0;
  let current: { entry: Record<string, unknown>; audits: AuditedInsert[] } | null = null;

  const settle = () => {
    if (!current) return;
    const { entry, audits } = current;
    entries++;
    if (audits.length === 0) {
      if (own.synced) fromServer++;
      else {
        unaudited.add(entry);
        if (unauditedFindings.length < limit)
          unauditedFindings.push({
            problem: 'ledger-unaudited',
            deviceId: own.deviceId,
            seq: 0,
            rowId: String(entry.id),
            message: `${describe(entry)} has no audit entry recording its creation: it was added outside Roomy.`,
          });
      }
      return;
    }
    const image = canonicalJson(entry);
    if (audits.some((a) => canonicalJson(a.after) === image)) return;
    const closest = audits[0]!;
    const changed = Object.keys(entry).filter(
      (field) => canonicalJson(entry[field] ?? null) !== canonicalJson(closest.after[field] ?? null),
    );
    if (findings.length < limit)
      findings.push({
        problem: 'ledger-differs',
        deviceId: closest.deviceId,
        seq: closest.seq,
        rowId: String(entry.id),
        message: `${describe(entry)} differs from what was recorded when it was made: the ${listed(changed.map(inWords))} changed outside Roomy.`,
      });
  };

  for (const row of rows) {
    if (current?.entry.id !== row.id) {
      settle();
      current = { entry: asEntry(row), audits: [] };
    }
    const after = typeof row['audit:after'] === 'string' ? parsedOrNull(row['audit:after']) : null;
    if (after) current!.audits.push({ deviceId: String(row['audit:device']), seq: Number(row['audit:seq']), after });
  }
  settle();

  if (!own.synced) findings.push(...bulkFindings(sqlite, own.deviceId, unaudited.value(), unauditedFindings));
  return { entries, fromServer, findings };
}

/** Entries without their own audit row must be exactly those the newest bulk load vouched for. */
function bulkFindings(
  sqlite: Database.Database,
  deviceId: string,
  found: { entries: number; digest: string },
  each: LedgerFinding[],
): LedgerFinding[] {
  const load = sqlite
    .prepare(
      `SELECT seq, after FROM audit_log
       WHERE device_id = ? AND entity_type = 'ledger_entries' AND entity_id IS NULL AND after IS NOT NULL
       ORDER BY seq DESC LIMIT 1`,
    )
    .get(deviceId) as { seq: number; after: string } | undefined;
  const recorded = load ? (parsedOrNull(load.after) as Record<string, unknown> | null) : null;
  const vouched = (recorded?.[BULK_LEDGER] ?? null) as { entries: number; digest: string } | null;
  if (!vouched) return found.entries === 0 ? [] : each;
  if (vouched.entries === found.entries && vouched.digest === found.digest) return [];
  return [
    {
      problem: 'ledger-unaudited',
      deviceId,
      seq: load!.seq,
      rowId: '',
      message:
        `The ${vouched.entries} ledger entries loaded without an audit entry each (audit entry ${load!.seq}, the sample data) ` +
        `no longer match what was loaded: ${found.entries === vouched.entries ? 'some were changed' : `there are ${found.entries} now`}, outside Roomy.`,
    },
  ];
}
