// Local edits the server has not shown back yet. Until then they are re-applied over every server
// row that arrives for the same row, so a user never sees their own edit flicker back:
// - changesets still in the outbox (not answered);
// - changesets the server applied (sent_changesets), until their txid comes down that table's
//   stream, or two up-to-date answers of that stream have passed (the second began after the
//   answer, so it would have carried every row of the changeset this user may see).
// Both are kept in the database, so a restart forgets nothing. When an edit lets go (or is
// refused), its rows go back to their server version (sync_base: what the stream last showed)
// plus what is still pending; re-applied over a newer server row, an edit would otherwise hide
// that newer change for good.
//
//   local edit ──► outbox ──applied──► sent_changesets, awaiting [tables] ──shown back──► kept a while
//                    │                                                     (txid seen, or 2 up-to-dates)
//                    └──refused──► sync_conflicts; its rows go back to sync_base + what is still pending
import type Database from 'better-sqlite3';
import type { ChangesetOp } from '../../db/schema/json-types.js';
import type { SyncedTableName } from '../core/synced-tables.js';
import type { Replica } from './replica.js';
import type { SyncBase } from './sync-base.js';

const rowKey = (table: string, id: string) => `${table}/${id}`;
const RECENT_TXIDS = 10_000;

interface Sent {
  changeset_id: string;
  txid: number;
  ops: string;
  awaiting: string;
}

export class PendingEdits {
  /** Per applied changeset and table still waiting: the stream's up-to-date count at which it lets go. */
  readonly #deadlines = new Map<string, Map<string, number>>();
  readonly #upToDates = new Map<string, number>();
  /** The txids each stream brought lately: an answer that arrives after its changes is matched here. */
  readonly #recent = new Map<string, Set<number>>();
  /** Rows whose edits let go since the last restore, and whether their table is streamed. */
  readonly #released = new Map<string, boolean>();
  readonly #statements: Record<'outbox' | 'awaiting' | 'insertSent' | 'setAwaiting', Database.Statement>;

  constructor(
    sqlite: Database.Database,
    private readonly replica: Replica,
    readonly base: SyncBase,
  ) {
    this.#statements = {
      outbox: sqlite.prepare('SELECT ops FROM outbox ORDER BY position'),
      awaiting: sqlite.prepare(
        `SELECT changeset_id, txid, ops, awaiting FROM sent_changesets WHERE awaiting <> '[]' ORDER BY answered_at, changeset_id`,
      ),
      insertSent: sqlite.prepare(
        `INSERT OR REPLACE INTO sent_changesets (changeset_id, user_id, ops, txid, awaiting, created_at, answered_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      setAwaiting: sqlite.prepare('UPDATE sent_changesets SET awaiting = ? WHERE changeset_id = ?'),
    };
    // After a restart each waiting table gets two fresh up-to-date answers to show the change.
    for (const sent of this.#sent()) {
      this.#deadlines.set(sent.changeset_id, new Map((JSON.parse(sent.awaiting) as string[]).map((t) => [t, 2])));
    }
  }

  /**
   * Records an applied changeset (call in the transaction that takes it out of the outbox, then
   * restore()). Tables without a stream (the user may not read them) let go at once, and so do
   * those whose stream has already shown it.
   */
  answered(
    changeset: { id: string; userId: string; createdAt: string; ops: ChangesetOp[] },
    txid: number,
    answeredAt: string,
    streamed: ReadonlySet<string>,
  ): void {
    const deadlines = new Map<string, number>();
    for (const op of changeset.ops) {
      if (streamed.has(op.table) && !this.#recent.get(op.table)?.has(txid))
        deadlines.set(op.table, (this.#upToDates.get(op.table) ?? 0) + 2);
    }
    this.#statements.insertSent.run(
      changeset.id,
      changeset.userId,
      JSON.stringify(changeset.ops),
      txid,
      JSON.stringify([...deadlines.keys()]),
      changeset.createdAt,
      answeredAt,
    );
    this.#release(changeset.ops, (table) => !deadlines.has(table), streamed);
    if (deadlines.size > 0) this.#deadlines.set(changeset.id, deadlines);
  }

  /**
   * Applied changesets the server no longer has (its database went back in time) go back to the
   * front of the outbox, oldest first, pending again: their rows keep this device's values while
   * the server's truth comes down without them, until they are applied anew. Call inside the
   * replication transaction.
   */
  resend(changesetIds: string[]): void {
    const { sqlite } = this.replica;
    const lost = new Set(changesetIds);
    const rows = (
      sqlite
        .prepare(
          `SELECT changeset_id, user_id, ops, created_at FROM sent_changesets ORDER BY answered_at, changeset_id`,
        )
        .all() as Array<{ changeset_id: string; user_id: string; ops: string; created_at: string }>
    ).filter((row) => lost.has(row.changeset_id));
    const first = (sqlite.prepare('SELECT min(position) FROM outbox').pluck().get() as number | null) ?? 1;
    const insert = sqlite.prepare(
      'INSERT INTO outbox (position, changeset_id, user_id, ops, created_at) VALUES (?, ?, ?, ?, ?)',
    );
    const forget = sqlite.prepare('DELETE FROM sent_changesets WHERE changeset_id = ?');
    rows.forEach((row, index) => {
      for (const op of JSON.parse(row.ops) as ChangesetOp[]) this.base.capture(op.table as SyncedTableName, op.id);
      insert.run(first - rows.length + index, row.changeset_id, row.user_id, row.ops, row.created_at);
      forget.run(row.changeset_id);
      this.#deadlines.delete(row.changeset_id);
    });
  }

  /** A refused changeset left the outbox: its rows go back to their server version at the next restore. */
  refused(ops: ChangesetOp[], streamed: ReadonlySet<string>): void {
    this.#release(ops, () => true, streamed);
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
    if (this.#deadlines.size === 0) return;
    for (const sent of this.#sent()) {
      if (txids.includes(sent.txid)) this.#shown(sent, table);
    }
  }

  upToDate(table: string): void {
    const count = (this.#upToDates.get(table) ?? 0) + 1;
    this.#upToDates.set(table, count);
    if (this.#deadlines.size === 0) return;
    for (const sent of this.#sent()) {
      const at = this.#deadlines.get(sent.changeset_id)?.get(table);
      if (at !== undefined && at <= count) this.#shown(sent, table);
    }
  }

  /** The user may not read this table: nothing will come down it to wait for. */
  unreadable(table: string): void {
    for (const sent of this.#sent()) this.#shown(sent, table, false);
  }

  /** Applied changesets not yet shown back by every stream they touch. */
  get awaiting(): number {
    return this.#deadlines.size;
  }

  /** True if edits let go since the last restore (the caller then takes a new snapshot). */
  get releasedAny(): boolean {
    return this.#released.size > 0;
  }

  /**
   * Puts each released row back to its server version plus the edits still pending, and forgets
   * the server version of rows nothing is pending on any more. Call inside the replication
   * transaction, after the outbox reflects the answers.
   */
  restore(): Set<SyncedTableName> {
    const touched = new Set<SyncedTableName>();
    if (this.#released.size === 0) return touched;
    const mine = this.snapshot();
    for (const [key, streamed] of this.#released) {
      const slash = key.indexOf('/');
      const table = key.slice(0, slash) as SyncedTableName;
      const id = key.slice(slash + 1);
      const base = this.base.get(table, id);
      // A table this user cannot read has no server version to go back to: what is here stays.
      if (streamed && base !== undefined) {
        if (base === null) this.replica.delete(table, id);
        else this.replica.upsert(table, base);
        mine.reapply(table, id);
        touched.add(table);
      }
      if (!mine.has(table, id)) this.base.drop(table, id);
    }
    this.#released.clear();
    return touched;
  }

  #shown(sent: Sent, table: string, streamed = true): void {
    const deadlines = this.#deadlines.get(sent.changeset_id);
    if (!deadlines?.delete(table)) return;
    this.#statements.setAwaiting.run(JSON.stringify([...deadlines.keys()]), sent.changeset_id);
    if (deadlines.size === 0) this.#deadlines.delete(sent.changeset_id);
    const ops = JSON.parse(sent.ops) as ChangesetOp[];
    this.#release(ops, (t) => t === table, new Set(streamed ? [table] : []));
  }

  #release(ops: ChangesetOp[], inTable: (table: string) => boolean, streamed: ReadonlySet<string>): void {
    for (const op of ops) {
      if (op.table === 'audit_log' || !inTable(op.table)) continue;
      const key = rowKey(op.table, op.id);
      this.#released.set(key, (this.#released.get(key) ?? false) || streamed.has(op.table));
    }
  }

  #sent(): Sent[] {
    return this.#statements.awaiting.all() as Sent[];
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
    if (this.#deadlines.size > 0) {
      for (const sent of this.#sent()) {
        const waiting = this.#deadlines.get(sent.changeset_id);
        if (!waiting) continue;
        for (const op of JSON.parse(sent.ops) as ChangesetOp[]) if (waiting.has(op.table)) add(op, true);
      }
    }
    for (const { ops } of this.#statements.outbox.all() as Array<{ ops: string }>)
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
