// Every local change commits in one SQLite transaction together with its audit rows and its
// outbox changeset: a crash leaves all three or none, and the UI never waits for the network.
import type Database from 'better-sqlite3';
import { eq } from 'drizzle-orm';
import { newId } from '../../db/domain/ids.js';
import type { LocalDb } from '../../db/local-database.js';
import type { ChangesetOp, JsonObject } from '../../db/schema/json-types.js';
import { outbox } from '../../db/schema/sqlite.js';
import type { SyncBase } from '../sync/sync-base.js';
import { STAMP_COLUMNS } from '../../db/policy/row-operations.js';
import { canSignIn, type SignInRole } from '../../db/policy/roles.js';
import type { UserRole } from '../../db/domain/enums.js';
import type { RuleActor } from '../../db/rules/index.js';
import { appendAudit, type AuditEvent } from './audit-chain.js';
import { BULK_LEDGER, bulkLedgerDigest } from './ledger-check.js';
import type { RuleChecks } from './rule-checks.js';
import { refuseStale } from './stale-edits.js';
import { SYNCED_TABLES, toColumnValues, type InsertOf, type RowOf, type SyncedTableName } from './synced-tables.js';

export interface Actor {
  id: string | null;
  role: string | null;
}

/** What a change runs with besides its work: the rulebook and, on a synced device, the rows' server versions. */
export interface ChangeServices {
  rules?: RuleChecks;
  /** On a synced device: where each row's server version is kept before its first pending edit. */
  base?: SyncBase;
}

/** What a change may do to synced rows. Each write becomes an op and an audit row. */
export class ChangeWriter {
  readonly #ops: ChangesetOp[] = [];
  readonly #audits: AuditEvent[] = [];
  readonly tables = new Set<SyncedTableName>();

  constructor(
    private readonly db: LocalDb,
    private readonly actor: Actor,
    private readonly action: string,
    readonly now: string,
    private readonly services: ChangeServices = {},
  ) {}

  /** Who the rulebook judges: the signed-in user, or none for the app's own writes. */
  get #ruleActor(): RuleActor | null {
    return this.actor.id && this.actor.role && canSignIn(this.actor.role as UserRole)
      ? { id: this.actor.id, role: this.actor.role as SignInRole }
      : null;
  }

  get<N extends SyncedTableName>(table: N, id: string): RowOf<N> | undefined {
    const t = SYNCED_TABLES[table];
    return this.db.select().from(t).where(eq(t.id, id)).get() as RowOf<N> | undefined;
  }

  insert<N extends SyncedTableName>(
    table: N,
    row: Omit<InsertOf<N>, 'id' | 'createdAt' | 'updatedAt'> & { id?: string },
  ): RowOf<N> {
    const t = SYNCED_TABLES[table];
    const id = row.id ?? newId();
    const { rules, base } = this.services;
    const stamps = 'updatedAt' in t ? { createdAt: this.now, updatedAt: this.now } : { createdAt: this.now };
    const proposed = toColumnValues(table, { ...row, ...stamps, id });
    const changed = Object.keys(proposed);
    const at = new Date(this.now);
    rules?.before(table, 'insert', { before: null, after: proposed, changed }, this.#ruleActor, at);
    base?.capture(table, id);
    this.db
      .insert(t)
      .values({ ...row, ...stamps, id } as never)
      .run();
    const stored = this.get(table, id)!;
    const values = toColumnValues(table, stored);
    rules?.after(table, 'insert', values, changed, this.#ruleActor, at);
    this.#record(table, 'insert', id, null, stored, values);
    return stored;
  }

  /**
   * Sets columns of a row. `expected` holds the changed fields as the person saw them (the form
   * they edited): if one of them has changed since, the update is stale and refused, naming what
   * changed, who changed it and when. The server applies the same check to the changeset, with the
   * values this device had before the edit.
   */
  update<N extends SyncedTableName>(
    table: N,
    id: string,
    changes: Partial<InsertOf<N>>,
    expected?: Partial<InsertOf<N>>,
  ): RowOf<N> {
    const t = SYNCED_TABLES[table];
    const before = this.get(table, id);
    if (!before) throw new Error(`${table} ${id} does not exist`);
    if (expected) refuseStale(this.db, table, before, changes, expected);
    const { rules, base } = this.services;
    const stamped = 'updatedAt' in t ? { ...changes, updatedAt: this.now } : changes;
    const set = toColumnValues(table, stamped);
    const changed = Object.keys(set);
    const beforeValues = toColumnValues(table, before);
    const at = new Date(this.now);
    rules?.before(
      table,
      'update',
      { before: beforeValues, after: { ...beforeValues, ...set }, changed },
      this.#ruleActor,
      at,
    );
    base?.capture(table, id);
    this.db
      .update(t)
      .set(stamped as never)
      .where(eq(t.id, id))
      .run();
    const after = this.get(table, id)!;
    rules?.after(table, 'update', toColumnValues(table, after), changed, this.#ruleActor, at);
    // What this device saw before the edit, so the server can tell an edit made from an older row.
    const seen = Object.fromEntries(
      changed.filter((c) => !STAMP_COLUMNS.includes(c)).map((c) => [c, beforeValues[c] ?? null]),
    ) as JsonObject;
    this.#record(table, 'update', id, before, after, set, seen);
    return after;
  }

  delete<N extends SyncedTableName>(table: N, id: string): void {
    const t = SYNCED_TABLES[table];
    const before = this.get(table, id);
    if (!before) return;
    const { rules, base } = this.services;
    const beforeValues = toColumnValues(table, before);
    rules?.before(
      table,
      'delete',
      { before: beforeValues, after: null, changed: [] },
      this.#ruleActor,
      new Date(this.now),
    );
    base?.capture(table, id);
    this.db.delete(t).where(eq(t.id, id)).run();
    this.#record(table, 'delete', id, before, null, undefined);
  }

  /** An audit row for something that is not a row change (a sign-in, an export, a denial). */
  audit(event: Omit<AuditEvent, 'actorId' | 'actorRole'>): void {
    this.#audits.push({ ...event, actorId: this.actor.id, actorRole: this.actor.role });
  }

  #record(
    table: SyncedTableName,
    op: ChangesetOp['op'],
    id: string,
    before: object | null,
    after: object | null,
    values: JsonObject | undefined,
    expected?: JsonObject,
  ): void {
    this.tables.add(table);
    this.#ops.push({
      table,
      op,
      id,
      ...(values ? { values } : {}),
      ...(expected && Object.keys(expected).length > 0 ? { expected } : {}),
    });
    this.#audits.push({
      actorId: this.actor.id,
      actorRole: this.actor.role,
      action: this.action,
      entityType: table,
      entityId: id,
      before: before as JsonObject | null,
      after: after as JsonObject | null,
    });
  }

  /**
   * Writes the audit rows and the outbox changeset. Called once, at the end of the transaction.
   * `ledgerMark` is the ledger's largest rowid when the change began: entries written since, but
   * not through this writer (a bulk load), get one more audit row vouching for them (ledger-check.ts).
   */
  finish(sqlite: Database.Database, deviceId: string, ledgerMark?: number): void {
    if (ledgerMark !== undefined) this.#vouchForBulkLedger(sqlite, deviceId, ledgerMark);
    for (const event of this.#audits) {
      const row = appendAudit(sqlite, deviceId, this.now, event);
      this.#ops.push({ table: 'audit_log', op: 'insert', id: row.id, values: toColumnValues('audit_log', { ...row }) });
    }
    if (this.#audits.length > 0) this.tables.add('audit_log');
    if (this.#ops.length === 0) return;
    this.db
      .insert(outbox)
      .values({ changesetId: newId(), userId: this.actor.id ?? 'anonymous', ops: this.#ops, createdAt: this.now })
      .run();
  }

  #vouchForBulkLedger(sqlite: Database.Database, deviceId: string, mark: number): void {
    const recorded = new Set(this.#ops.filter((op) => op.table === 'ledger_entries').map((op) => op.id));
    const written = sqlite.prepare('SELECT id FROM ledger_entries WHERE rowid > ?').pluck().all(mark) as string[];
    if (written.every((id) => recorded.has(id))) return;
    this.#audits.push({
      actorId: this.actor.id,
      actorRole: this.actor.role,
      action: this.action,
      entityType: 'ledger_entries',
      entityId: null,
      after: { [BULK_LEDGER]: bulkLedgerDigest(sqlite, deviceId, recorded) },
    });
  }
}

/** The ledger's largest rowid: what tells a change's bulk-written entries apart. */
const ledgerMark = (sqlite: Database.Database): number =>
  (sqlite.prepare('SELECT max(rowid) FROM ledger_entries').pluck().get() as number | null) ?? 0;

export interface ChangeResult<T> {
  value: T;
  tables: SyncedTableName[];
}

/** Runs `work` in one transaction with its audit rows and outbox entry; all or nothing. */
export function commitChange<T>(
  sqlite: Database.Database,
  db: LocalDb,
  deviceId: string,
  actor: Actor,
  action: string,
  now: string,
  work: (writer: ChangeWriter) => T,
  services: ChangeServices = {},
): ChangeResult<T> {
  return sqlite.transaction(() => {
    const mark = ledgerMark(sqlite);
    const writer = new ChangeWriter(db, actor, action, now, services);
    const value = work(writer);
    writer.finish(sqlite, deviceId, mark);
    return { value, tables: [...writer.tables] };
  })();
}
