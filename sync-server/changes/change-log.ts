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
 * What identifies a log entry beyond its position: a database restored to an earlier point can
 * reuse positions (and even transaction ids), but not the moment the entry was written.
 */
interface Fingerprint {
  seq: number;
  txid: string;
  at: string;
}

const sameEntry = (a: Fingerprint | null, b: Fingerprint | null) =>
  a?.seq === b?.seq && a?.txid === b?.txid && a?.at === b?.at;

/**
 * The recent tail of the change log, shared by every shape: read once per commit instead of once
 * per subscriber. Refreshed when this server commits and, for writes by other processes, on a timer.
 *
 * Each read first checks that the entry at the head is still the one read before. If it is not,
 * the database has gone back in time (commits lost after an asynchronous commit or a failover, a
 * point-in-time restore): what was served past that point may not exist, and new entries may take
 * positions already served. The feed then starts again at the log's real head and says 'reset':
 * every shape starts again under a new handle, so devices refetch the server's truth.
 */
export class ChangeFeed extends EventEmitter<{ advanced: []; reset: [] }> {
  #entries: LogEntry[] = [];
  /** Every entry after this seq is in #entries. */
  #retainedAfter: number;
  #head: Fingerprint | null;
  #refreshing: Promise<void> | null = null;
  #again = false;
  #timer: NodeJS.Timeout | null = null;

  private constructor(
    private readonly query: Query,
    head: Fingerprint | null,
    private readonly capacity: number,
  ) {
    super();
    this.setMaxListeners(0);
    this.#head = head;
    this.#retainedAfter = head?.seq ?? 0;
  }

  static async open(query: Query, options: { capacity?: number; pollMs?: number } = {}): Promise<ChangeFeed> {
    const feed = new ChangeFeed(query, await headOf(query), options.capacity ?? 20_000);
    if (options.pollMs) {
      feed.#timer = setInterval(() => void feed.refresh().catch(() => {}), options.pollMs);
      feed.#timer.unref();
    }
    return feed;
  }

  get head(): number {
    return this.#head?.seq ?? 0;
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
      // From the head itself: its entry must still be the one read before.
      const rows = await this.query<{
        seq: string;
        txid: string;
        at: string;
        table_name: SyncedTableName;
        row_id: string;
        op: ChangeOp;
        values: Record<string, string | null> | null;
      }>(
        // Ordered by the column, not by the text alias of the same name (which sorts "10" before "9").
        `SELECT c.seq::text AS seq, c.txid::text AS txid, c.created_at::text AS at, c.table_name, c.row_id, c.op, c.values
         FROM change_log c WHERE c.seq >= $1 ORDER BY c.seq LIMIT ${READ_BATCH + 1}`,
        [this.head],
      );
      if (this.#head) {
        if (!sameEntry(this.#head, rows[0] ? fingerprint(rows[0]) : null)) return this.#wentBack();
        rows.shift();
      }
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
        this.#head = fingerprint(rows.at(-1)!);
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

  /** The log is behind what was read: start again from its real head, and say so. */
  async #wentBack(): Promise<void> {
    this.#head = await headOf(this.query);
    this.#entries = [];
    this.#retainedAfter = this.head;
    this.emit('reset');
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

function fingerprint(row: { seq: string; txid: string; at: string }): Fingerprint {
  return { seq: Number(row.seq), txid: row.txid, at: row.at };
}

async function headOf(query: Query): Promise<Fingerprint | null> {
  const [row] = await query<{ seq: string; txid: string; at: string }>(
    `SELECT c.seq::text AS seq, c.txid::text AS txid, c.created_at::text AS at FROM change_log c ORDER BY c.seq DESC LIMIT 1`,
  );
  return row ? fingerprint(row) : null;
}
