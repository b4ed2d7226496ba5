// The ordered change log: every change the server applies is appended in the same transaction,
// and the shape endpoint serves it. Appends take one advisory lock until commit, so log order is
// commit order and a reader that has seen entry n has seen every entry before it.
import { EventEmitter } from 'node:events';
import type { Query } from '../../db/central-database.js';
import type { SyncedTableName } from '../tables.js';

export type ChangeOp = 'insert' | 'update' | 'delete';

/** A row change with its values as Postgres text (insert: the row; update: the changed columns). */
export interface RowChange {
  table: SyncedTableName;
  op: ChangeOp;
  rowId: string;
  values: Record<string, string | null>;
}

export interface LogEntry extends RowChange {
  seq: number;
  txid: number;
}

const CHANGE_LOG_LOCK = 0x526f6f6d79; // "Roomy"
const READ_BATCH = 5000;

/** Appends `changes` and returns the id of the writing transaction; call last in the transaction. */
export async function appendToChangeLog(
  query: Query,
  changesetId: string | null,
  changes: RowChange[],
): Promise<number> {
  const [row] = await query<{ txid: string }>(
    `SELECT txid_current()::text AS txid FROM (SELECT pg_advisory_xact_lock($1)) AS locked`,
    [CHANGE_LOG_LOCK],
  );
  const txid = Number(row!.txid);
  if (changes.length > 0) {
    await query(
      `INSERT INTO change_log (txid, table_name, row_id, op, values, changeset_id, created_at)
       SELECT $1, u.t, u.r, u.o, u.v::jsonb, $2, now()
       FROM unnest($3::text[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS u(t, r, o, v, n)
       ORDER BY u.n`,
      [
        txid,
        changesetId,
        changes.map((c) => c.table),
        changes.map((c) => c.rowId),
        changes.map((c) => c.op),
        changes.map((c) => JSON.stringify(c.values)),
      ],
    );
  }
  return txid;
}

/**
 * The recent tail of the change log, shared by every shape: read once per commit instead of once
 * per subscriber. Refreshed when this server commits and, for writes by other processes, on a timer.
 */
export class ChangeFeed extends EventEmitter<{ advanced: [] }> {
  #entries: LogEntry[] = [];
  /** Every entry after this seq is in #entries. */
  #retainedAfter: number;
  #head: number;
  #refreshing: Promise<void> | null = null;
  #again = false;
  #timer: NodeJS.Timeout | null = null;

  private constructor(
    private readonly query: Query,
    head: number,
    private readonly capacity: number,
  ) {
    super();
    this.setMaxListeners(0);
    this.#head = head;
    this.#retainedAfter = head;
  }

  static async open(query: Query, options: { capacity?: number; pollMs?: number } = {}): Promise<ChangeFeed> {
    const [row] = await query<{ head: string | null }>(`SELECT max(seq)::text AS head FROM change_log`);
    const feed = new ChangeFeed(query, Number(row?.head ?? 0), options.capacity ?? 20_000);
    if (options.pollMs) {
      feed.#timer = setInterval(() => void feed.refresh().catch(() => {}), options.pollMs);
      feed.#timer.unref();
    }
    return feed;
  }

  get head(): number {
    return this.#head;
  }

  /** Reads entries committed since the last read; concurrent calls share one read (plus one more if asked meanwhile). */
  refresh(): Promise<void> {
    if (this.#refreshing) {
      this.#again = true;
      return this.#refreshing;
    }
    this.#refreshing = (async () => {
      try {
        do {
          this.#again = false;
          await this.#readNew();
        } while (this.#again);
      } finally {
        this.#refreshing = null;
      }
    })();
    return this.#refreshing;
  }

  async #readNew(): Promise<void> {
    let advanced = false;
    for (;;) {
      const rows = await this.query<{
        seq: string;
        txid: string;
        table_name: SyncedTableName;
        row_id: string;
        op: ChangeOp;
        values: Record<string, string | null> | null;
      }>(
        `SELECT seq::text, txid::text, table_name, row_id, op, values FROM change_log WHERE seq > $1 ORDER BY seq LIMIT ${READ_BATCH}`,
        [this.#head],
      );
      for (const r of rows) {
        this.#entries.push({
          seq: Number(r.seq),
          txid: Number(r.txid),
          table: r.table_name,
          rowId: r.row_id,
          op: r.op,
          values: r.values ?? {},
        });
      }
      if (rows.length > 0) {
        this.#head = Number(rows.at(-1)!.seq);
        advanced = true;
      }
      if (rows.length < READ_BATCH) break;
    }
    if (this.#entries.length > this.capacity) {
      const dropped = this.#entries.splice(0, this.#entries.length - this.capacity);
      this.#retainedAfter = dropped.at(-1)!.seq;
    }
    if (advanced) this.emit('advanced');
  }

  /** Entries after `seq` up to the head, or null when some of them are no longer held. */
  entriesAfter(seq: number): LogEntry[] | null {
    if (seq < this.#retainedAfter) return null;
    let low = 0;
    let high = this.#entries.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.#entries[mid]!.seq <= seq) low = mid + 1;
      else high = mid;
    }
    return this.#entries.slice(low);
  }

  close(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.removeAllListeners();
  }
}
