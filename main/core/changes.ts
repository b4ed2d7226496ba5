// Every local change commits in one SQLite transaction together with its audit rows and its
// outbox changeset: a crash leaves all three or none, and the UI never waits for the network.
import type Database from 'better-sqlite3';
import { eq } from 'drizzle-orm';
import { newId } from '../../db/domain/ids.js';
import type { LocalDb } from '../../db/local-database.js';
import type { ChangesetOp, JsonObject } from '../../db/schema/json-types.js';
import { outbox } from '../../db/schema/sqlite.js';
import type { SyncBase } from '../sync/sync-base.js';
import { appendAudit, type AuditEvent } from './audit-chain.js';
import { SYNCED_TABLES, toColumnValues, type InsertOf, type RowOf, type SyncedTableName } from './synced-tables.js';

export interface Actor {
  id: string | null;
  role: string | null;
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
    /** On a synced device: where each row's server version is kept before its first pending edit. */
    private readonly base?: SyncBase,
  ) {}

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
    this.base?.capture(table, id);
    const stamps = 'updatedAt' in t ? { createdAt: this.now, updatedAt: this.now } : { createdAt: this.now };
    this.db
      .insert(t)
      .values({ ...row, ...stamps, id } as never)
      .run();
    const stored = this.get(table, id)!;
    this.#record(table, 'insert', id, null, stored, toColumnValues(table, stored));
    return stored;
  }

  update<N extends SyncedTableName>(table: N, id: string, changes: Partial<InsertOf<N>>): RowOf<N> {
    const t = SYNCED_TABLES[table];
    const before = this.get(table, id);
    if (!before) throw new Error(`${table} ${id} does not exist`);
    this.base?.capture(table, id);
    const stamped = 'updatedAt' in t ? { ...changes, updatedAt: this.now } : changes;
    this.db
      .update(t)
      .set(stamped as never)
      .where(eq(t.id, id))
      .run();
    const after = this.get(table, id)!;
    this.#record(table, 'update', id, before, after, toColumnValues(table, stamped));
    return after;
  }

  delete<N extends SyncedTableName>(table: N, id: string): void {
    const t = SYNCED_TABLES[table];
    const before = this.get(table, id);
    if (!before) return;
    this.base?.capture(table, id);
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
  ): void {
    this.tables.add(table);
    this.#ops.push(values ? { table, op, id, values } : { table, op, id });
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

  /** Writes the audit rows and the outbox changeset. Called once, at the end of the transaction. */
  finish(sqlite: Database.Database, deviceId: string): void {
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
}

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
  base?: SyncBase,
): ChangeResult<T> {
  return sqlite.transaction(() => {
    const writer = new ChangeWriter(db, actor, action, now, base);
    const value = work(writer);
    writer.finish(sqlite, deviceId);
    return { value, tables: [...writer.tables] };
  })();
}
