// Local edits the server has not shown back yet. Until then they are re-applied over every server
// row that arrives for the same row, so a user never sees their own edit flicker back:
// - changesets still in the outbox (not answered);
// - changesets the server applied, until their txid comes down that table's stream, or two
//   up-to-date answers of that stream have passed (the second began after the answer, so it
//   would have carried every row of the changeset this user may see).
// When an edit lets go, its rows go back to the server's last version of them plus what is still
// pending: re-applied over a newer server row (the stream can outrun the upload's answer), an
// edit would otherwise hide that newer change for good.
import type Database from 'better-sqlite3';
import type { ChangesetOp } from '../../db/schema/json-types.js';
import type { SyncedTableName } from '../core/synced-tables.js';
import type { ColumnValues, Replica } from './replica.js';

interface Answered {
  txid: number;
  ops: ChangesetOp[];
  /** Per table still waiting: the stream's up-to-date count at which it may let go. */
  waiting: Map<string, number>;
}

const rowKey = (table: string, id: string) => `${table}/${id}`;
const RECENT_TXIDS = 10_000;

export class PendingEdits {
  readonly #answered = new Map<string, Answered>();
  readonly #upToDates = new Map<string, number>();
  /** The txids each stream brought lately: an answer that arrives after its changes is matched here. */
  readonly #recent = new Map<string, Set<number>>();
  /** The server's last version of each row with pending edits (null: it deleted the row). */
  readonly #base = new Map<string, ColumnValues | null>();
  /** Rows whose edits let go since the last restore. */
  readonly #released = new Set<string>();
  readonly #outbox: Database.Statement;

  constructor(
    sqlite: Database.Database,
    private readonly replica: Replica,
  ) {
    this.#outbox = sqlite.prepare('SELECT ops FROM outbox ORDER BY position');
  }

  /**
   * Records an applied changeset (its outbox row deleted in the same transaction, then restore()).
   * Tables without a stream (the user may not read them) let go at once, and so do those whose
   * stream has already shown it.
   */
  answered(changesetId: string, txid: number, ops: ChangesetOp[], streamed: ReadonlySet<string>): void {
    const waiting = new Map<string, number>();
    for (const op of ops) {
      if (streamed.has(op.table) && !this.#recent.get(op.table)?.has(txid))
        waiting.set(op.table, (this.#upToDates.get(op.table) ?? 0) + 2);
    }
    this.#release(ops, (table) => !waiting.has(table));
    if (waiting.size > 0) this.#answered.set(changesetId, { txid, ops, waiting });
  }

  /** A refused changeset left the outbox: its rows are restored by the caller. */
  refused(ops: ChangesetOp[]): void {
    for (const op of ops) this.#base.delete(rowKey(op.table, op.id));
  }

  /**
   * What the server sent of a row with pending edits: its columns since the edits began (an update
   * message carries only the columns it changed; a delete, null).
   */
  keepBase(table: string, id: string, operation: 'insert' | 'update' | 'delete', values: ColumnValues): void {
    const key = rowKey(table, id);
    const before = operation === 'update' ? this.#base.get(key) : undefined;
    this.#base.set(key, operation === 'delete' ? null : { ...before, ...values });
  }

  /** A change with these txids came down `table`'s stream. */
  seen(table: string, txids: readonly number[] | undefined): void {
    if (!txids?.length) return;
    const recent = this.#recent.get(table) ?? new Set<number>();
    this.#recent.set(table, recent);
    for (const txid of txids) {
      recent.add(txid);
      // Sets iterate oldest first: forget the oldest beyond the window.
      if (recent.size > RECENT_TXIDS) recent.delete(recent.values().next().value!);
    }
    for (const [id, answered] of this.#answered) {
      if (!txids.includes(answered.txid) || !answered.waiting.delete(table)) continue;
      this.#release(answered.ops, (t) => t === table);
      if (answered.waiting.size === 0) this.#answered.delete(id);
    }
  }

  /** Applied changesets not yet shown back by every stream they touch. */
  get awaiting(): number {
    return this.#answered.size;
  }

  upToDate(table: string): void {
    const count = (this.#upToDates.get(table) ?? 0) + 1;
    this.#upToDates.set(table, count);
    for (const [id, answered] of this.#answered) {
      const at = answered.waiting.get(table);
      if (at !== undefined && at <= count) {
        answered.waiting.delete(table);
        this.#release(answered.ops, (t) => t === table);
      }
      if (answered.waiting.size === 0) this.#answered.delete(id);
    }
  }

  /** The user may not read this table: nothing will come down it to wait for. */
  unreadable(table: string): void {
    for (const [id, answered] of this.#answered) {
      if (answered.waiting.delete(table) && answered.waiting.size === 0) this.#answered.delete(id);
    }
  }

  /** True if edits let go since the last restore (the caller then takes a new snapshot). */
  get releasedAny(): boolean {
    return this.#released.size > 0;
  }

  /**
   * Puts each released row back to the server's last version of it plus the edits still pending.
   * Call inside the replication transaction, after the outbox reflects the answers.
   */
  restore(): Set<SyncedTableName> {
    const touched = new Set<SyncedTableName>();
    if (this.#released.size === 0) return touched;
    const mine = this.snapshot();
    for (const key of this.#released) {
      const base = this.#base.get(key);
      const slash = key.indexOf('/');
      const table = key.slice(0, slash) as SyncedTableName;
      const id = key.slice(slash + 1);
      if (base !== undefined) {
        if (base === null) this.replica.delete(table, id);
        else if (!this.replica.update(table, id, base)) this.replica.upsert(table, base);
        mine.reapply(table, id);
        touched.add(table);
      }
      if (!mine.has(table, id)) this.#base.delete(key);
    }
    this.#released.clear();
    return touched;
  }

  #release(ops: ChangesetOp[], inTable: (table: string) => boolean): void {
    for (const op of ops)
      if (op.table !== 'audit_log' && inTable(op.table)) this.#released.add(rowKey(op.table, op.id));
  }

  /** Every pending op by row, oldest first: taken once per batch of server rows. */
  snapshot(): PendingSnapshot {
    const byRow = new Map<string, PendingOp[]>();
    const audits = new Set<string>();
    const add = (op: ChangesetOp, answered: boolean) => {
      // Audit rows never change once written: nothing to re-apply, but they are still pending.
      if (op.table === 'audit_log') return void audits.add(op.id);
      const key = rowKey(op.table, op.id);
      const list = byRow.get(key);
      if (list) list.push({ op, answered });
      else byRow.set(key, [{ op, answered }]);
    };
    // An applied changeset is pending only in the tables whose streams have not shown it yet.
    for (const { ops, waiting } of this.#answered.values())
      for (const op of ops) if (waiting.has(op.table)) add(op, true);
    for (const { ops } of this.#outbox.all() as Array<{ ops: string }>)
      for (const op of JSON.parse(ops) as ChangesetOp[]) add(op, false);
    return new PendingSnapshot(byRow, audits, this.replica);
  }
}

interface PendingOp {
  op: ChangesetOp;
  /** Applied by the server already (waiting to be shown back), or still in the outbox. */
  answered: boolean;
}

export class PendingSnapshot {
  constructor(
    private readonly byRow: Map<string, PendingOp[]>,
    private readonly audits: Set<string>,
    private readonly replica: Replica,
  ) {}

  get empty(): boolean {
    return this.byRow.size === 0;
  }

  /** Whether this device has a pending edit of the row (a refetch must not remove it). */
  has(table: string, id: string): boolean {
    return table === 'audit_log' ? this.audits.has(id) : this.byRow.has(rowKey(table, id));
  }

  /**
   * Puts this device's pending edits of one row back over what the server sent. A snapshot row
   * already holds every edit the server had applied when it was read, so over those only the
   * edits still in the outbox go back (an older applied one would hide newer changes for good).
   */
  reapply(table: string, id: string, fromSnapshot = false): void {
    const ops = this.byRow.get(rowKey(table, id));
    if (!ops) return;
    for (const { op, answered } of ops) if (!(fromSnapshot && answered)) reapplyOp(this.replica, op);
  }
}

export function reapplyOp(replica: Replica, op: ChangesetOp): void {
  const table = op.table as SyncedTableName;
  try {
    if (op.op === 'delete') replica.delete(table, op.id);
    else if (op.op === 'insert') replica.upsert(table, op.values ?? { id: op.id });
    else replica.update(table, op.id, op.values ?? {});
  } catch {
    // A check the server's newer row no longer satisfies with this edit: the server will answer
    // this changeset (a conflict if it refuses), and its row stands meanwhile.
  }
}
