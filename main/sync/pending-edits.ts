// Local edits the server has not shown back yet. Until then they are re-applied over every server
// row that arrives for the same row, so a user never sees their own edit flicker back:
// - changesets still in the outbox (not answered);
// - changesets the server applied, until their txid comes down that table's stream, or two
//   up-to-date answers of that stream have passed (the second began after the answer, so it
//   would have carried every row of the changeset this user may see).
import type Database from 'better-sqlite3';
import type { ChangesetOp } from '../../db/schema/json-types.js';
import type { SyncedTableName } from '../core/synced-tables.js';
import type { Replica } from './replica.js';

interface Answered {
  txid: number;
  ops: ChangesetOp[];
  /** Per table still waiting: the stream's up-to-date count at which it may let go. */
  waiting: Map<string, number>;
}

const rowKey = (table: string, id: string) => `${table}/${id}`;

export class PendingEdits {
  readonly #answered = new Map<string, Answered>();
  readonly #upToDates = new Map<string, number>();
  readonly #outbox: Database.Statement;

  constructor(
    sqlite: Database.Database,
    private readonly replica: Replica,
  ) {
    this.#outbox = sqlite.prepare('SELECT ops FROM outbox ORDER BY position');
  }

  /** Records an applied changeset. Tables without a stream (the user may not read them) let go at once. */
  answered(changesetId: string, txid: number, ops: ChangesetOp[], streamed: ReadonlySet<string>): void {
    const waiting = new Map<string, number>();
    for (const op of ops) {
      if (streamed.has(op.table)) waiting.set(op.table, (this.#upToDates.get(op.table) ?? 0) + 2);
    }
    if (waiting.size > 0) this.#answered.set(changesetId, { txid, ops, waiting });
  }

  /** A change with these txids came down `table`'s stream; true if that let go of an edit. */
  seen(table: string, txids: readonly number[] | undefined): boolean {
    if (!txids?.length || this.#answered.size === 0) return false;
    let released = false;
    for (const [id, answered] of this.#answered) {
      if (!txids.includes(answered.txid) || !answered.waiting.delete(table)) continue;
      released = true;
      if (answered.waiting.size === 0) this.#answered.delete(id);
    }
    return released;
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
      if (at !== undefined && at <= count) answered.waiting.delete(table);
      if (answered.waiting.size === 0) this.#answered.delete(id);
    }
  }

  /** The user may not read this table: nothing will come down it to wait for. */
  unreadable(table: string): void {
    for (const [id, answered] of this.#answered) {
      if (answered.waiting.delete(table) && answered.waiting.size === 0) this.#answered.delete(id);
    }
  }

  /** Every pending op by row, oldest first: taken once per batch of server rows. */
  snapshot(): PendingSnapshot {
    const byRow = new Map<string, ChangesetOp[]>();
    const add = (op: ChangesetOp) => {
      if (op.table === 'audit_log') return; // never changes once written
      const key = rowKey(op.table, op.id);
      const list = byRow.get(key);
      if (list) list.push(op);
      else byRow.set(key, [op]);
    };
    for (const answered of this.#answered.values()) answered.ops.forEach(add);
    for (const { ops } of this.#outbox.all() as Array<{ ops: string }>) (JSON.parse(ops) as ChangesetOp[]).forEach(add);
    return new PendingSnapshot(byRow, this.replica);
  }
}

export class PendingSnapshot {
  constructor(
    private readonly byRow: Map<string, ChangesetOp[]>,
    private readonly replica: Replica,
  ) {}

  get empty(): boolean {
    return this.byRow.size === 0;
  }

  has(table: string, id: string): boolean {
    return this.byRow.has(rowKey(table, id));
  }

  /** Puts this device's pending edits of one row back over what the server sent. */
  reapply(table: string, id: string): void {
    const ops = this.byRow.get(rowKey(table, id));
    if (ops) for (const op of ops) reapplyOp(this.replica, op);
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
