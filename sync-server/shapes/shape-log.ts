// One shape's log: the rows of one table that one user may see (their role's scope, narrowed by
// the client's where and columns), and every change to that set as Electric messages. Changes
// come from the shared change feed; when a change moves rows into or out of the scope (a
// property given to another agent), the log gets inserts or deletes for them.
import type { Query } from '../../db/central-database.js';
import { newId } from '../../db/domain/ids.js';
import type { LogEntry } from '../changes/change-log.js';
import { quoteIdent, textRowSql, type TableInfo } from '../tables.js';

export interface ShapeDefinition {
  /** Whose shape it is. */
  userId: string;
  table: TableInfo;
  /** Which rows: the role's scope and the client's narrowing, as SQL over `params`; null for every row. */
  conditionSql: string | null;
  params: unknown[];
  /** The columns sent, id first. */
  columns: string[];
  /** Tables whose changes can move rows in or out of this shape. */
  dependsOn: Set<string>;
}

export interface ShapeMessage {
  key: string;
  value: Record<string, string | null>;
  headers: {
    operation: 'insert' | 'update' | 'delete';
    relation: [string, string];
    lsn: string;
    op_position: number;
    txids: number[];
    last?: boolean;
  };
}

export interface Offset {
  tx: number;
  op: number;
}

export const formatOffset = (o: Offset) => `${o.tx}_${o.op}`;
export const isAfter = (a: Offset, b: Offset) => a.tx > b.tx || (a.tx === b.tx && a.op > b.op);

interface Logged {
  offset: Offset;
  message: ShapeMessage;
}

/**
 * A snapshot being read in chunks. Its continuation offsets are `0_n` (tx 0 comes before every
 * change-log position): n = number × 2^32 + the next row, so several readers never mix.
 */
interface Snapshot {
  rows: string[];
  /** Where the log continues once the last chunk is read. */
  endsAt: Offset;
  lastRead: number;
  /** Its last chunk has been read: it is kept only for a re-read of that chunk. */
  finished: boolean;
}

const SNAPSHOT_SLOTS = 2 ** 32;

/** True for a snapshot continuation (a real log offset with tx 0 is 0_0: the log was empty). */
export const isSnapshotOffset = (o: Offset) => o.tx === 0 && o.op >= SNAPSHOT_SLOTS;
/** A snapshot nobody has read for this long is dropped (its reader refetches). */
const SNAPSHOT_IDLE_MS = 5 * 60_000;
/** A snapshot read to its end is dropped sooner: the only read left is a repeat of its last chunk. */
const FINISHED_SNAPSHOT_IDLE_MS = 30_000;

export class ShapeLog {
  readonly handle = newId();
  lastAccess = Date.now();
  #messages: Logged[] = [];
  /** Ids of the rows a client that has read the whole log holds. */
  #members = new Set<string>();
  /** The change-log position this log has caught up to. */
  #cursor: number;
  #offset: Offset;
  #busy: Promise<unknown> = Promise.resolve();
  readonly #snapshots = new Map<number, Snapshot>();
  #nextSnapshot = 1;

  constructor(
    /** What identifies the shape: who asks, for which table, rows and columns. */
    readonly key: string,
    readonly definition: ShapeDefinition,
    startAt: number,
  ) {
    this.#cursor = startAt;
    this.#offset = { tx: startAt, op: 0 };
  }

  get offset(): Offset {
    return this.#offset;
  }

  get size(): number {
    return this.#messages.length;
  }

  get cursor(): number {
    return this.#cursor;
  }

  /** One catch-up or snapshot at a time: each reads and changes the member set. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#busy.then(work, work);
    this.#busy = run.catch(() => {});
    return run;
  }

  /** Messages after `offset`, in order. */
  messagesAfter(offset: Offset): ShapeMessage[] {
    const start = this.#messages.findIndex((m) => isAfter(m.offset, offset));
    return start < 0 ? [] : this.#messages.slice(start).map((m) => m.message);
  }

  offsetOfLastAfter(offset: Offset): Offset {
    const last = this.#messages.at(-1);
    return last && isAfter(last.offset, offset) ? last.offset : offset;
  }

  /** Starts the log at change-log position `head`, with the rows in the shape now. */
  async start(query: Query): Promise<void> {
    if (this.definition.conditionSql !== null) this.#members = new Set(await this.#ids(query, null));
  }

  /**
   * The rows a client holds once it has read the whole log, as insert messages already in JSON:
   * the answer to offset -1. Postgres renders each row's text once; it is never parsed and
   * serialised again here, which is most of a large snapshot's cost.
   */
  async snapshot(query: Query): Promise<string[]> {
    const { table } = this.definition;
    const { sql, params } = this.#select(
      `id, (${textRowSql(this.definition.columns)})::text AS row`,
      this.definition.conditionSql === null ? null : [...this.#members],
    );
    const rows = await query<{ id: string; row: string }>(`${sql} ORDER BY id`, params);
    // As Electric's own snapshot rows: no lsn, position or txids (they belong to logged changes).
    const headers = `{"operation":"insert","relation":${JSON.stringify(['public', table.name])}}`;
    const keyOf = (id: string) => JSON.stringify(`"public"."${table.name}"/"${id}"`);
    return rows.map(({ id, row }) => `{"key":${keyOf(id)},"value":${row},"headers":${headers}}`);
  }

  /**
   * The first `chunk` rows of a new snapshot, and where the rest continues (null: it was all).
   * The rest is kept for its reader, who asks for it chunk by chunk.
   */
  async startSnapshot(query: Query, chunk: number): Promise<{ rows: string[]; next: Offset | null }> {
    const rows = await this.snapshot(query);
    if (rows.length <= chunk) return { rows, next: null };
    const number = this.#nextSnapshot++;
    this.#snapshots.set(number, { rows, endsAt: this.#offset, lastRead: Date.now(), finished: false });
    this.#sweepSnapshots();
    return { rows: rows.slice(0, chunk), next: { tx: 0, op: number * SNAPSHOT_SLOTS + chunk } };
  }

  /**
   * The chunk of a kept snapshot at a continuation offset; `next` is where its reader goes on
   * (the log's offset after the last chunk). Undefined if that snapshot is gone. A chunk can be
   * read again (the client prefetches the next chunk, then asks for it itself): a snapshot goes
   * only once nobody has read it for a while.
   */
  snapshotChunk(at: Offset, chunk: number): { rows: string[]; next: Offset; last: boolean } | undefined {
    this.#sweepSnapshots();
    const number = Math.floor(at.op / SNAPSHOT_SLOTS);
    const from = at.op % SNAPSHOT_SLOTS;
    const snapshot = this.#snapshots.get(number);
    if (!snapshot || from >= snapshot.rows.length) return undefined;
    snapshot.lastRead = Date.now();
    const rows = snapshot.rows.slice(from, from + chunk);
    const last = from + chunk >= snapshot.rows.length;
    if (last) snapshot.finished = true;
    return { rows, next: last ? snapshot.endsAt : { tx: 0, op: number * SNAPSHOT_SLOTS + from + chunk }, last };
  }

  #sweepSnapshots(): void {
    for (const [number, snapshot] of this.#snapshots) {
      const idle = snapshot.finished ? FINISHED_SNAPSHOT_IDLE_MS : SNAPSHOT_IDLE_MS;
      if (Date.now() - snapshot.lastRead > idle) this.#snapshots.delete(number);
    }
  }

  /** Appends messages for the change-log entries after the cursor (all of them, up to the feed's head). */
  async catchUp(query: Query, entries: LogEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const def = this.definition;
    const head = entries.at(-1)!.seq;
    const own = entries.filter((e) => e.table === def.table.name);
    const scopeMoved = entries.some((e) => def.dependsOn.has(e.table));
    const out: Array<{ op: 'insert' | 'update' | 'delete'; value: Record<string, string | null>; txids: number[] }> =
      [];

    if (def.conditionSql === null) {
      // Every row of the table: pass each change through.
      for (const e of own) out.push({ op: e.op, value: this.#visible(e.rowId, e.values), txids: [e.txid] });
    } else {
      const touched = [...new Set(own.map((e) => e.rowId))];
      const inShape = new Set(
        scopeMoved ? await this.#ids(query, null) : touched.length > 0 ? await this.#ids(query, touched) : [],
      );
      const considered = scopeMoved ? new Set([...this.#members, ...inShape]) : new Set(touched);
      const entering = [...considered].filter((id) => inShape.has(id) && !this.#members.has(id));
      const leaving = [...considered].filter((id) => !inShape.has(id) && this.#members.has(id));
      const txidsOf = (rowId: string) => {
        const mine = own.filter((e) => e.rowId === rowId).map((e) => e.txid);
        return [
          ...new Set(mine.length > 0 ? mine : entries.filter((e) => def.dependsOn.has(e.table)).map((e) => e.txid)),
        ];
      };
      const stays = (id: string) => this.#members.has(id) && inShape.has(id);
      for (const e of own) {
        if (stays(e.rowId) && e.op !== 'delete') {
          out.push({ op: 'update', value: this.#visible(e.rowId, e.values), txids: [e.txid] });
        }
      }
      for (const row of entering.length > 0 ? await this.#rows(query, entering) : []) {
        out.push({ op: 'insert', value: row, txids: txidsOf(row.id!) });
        this.#members.add(row.id!);
      }
      for (const id of leaving) {
        out.push({ op: 'delete', value: { id }, txids: txidsOf(id) });
        this.#members.delete(id);
      }
    }
    const meaningful = out.filter((m) => m.op !== 'update' || Object.keys(m.value).length > 1);
    for (const [position, m] of meaningful.entries()) {
      const message = this.#message(m.op, m.value, head, position, m.txids);
      this.#messages.push({ offset: { tx: head, op: position }, message });
    }
    if (meaningful.length > 0) {
      this.#messages.at(-1)!.message.headers.last = true;
      this.#offset = { tx: head, op: meaningful.length - 1 };
    }
    this.#cursor = head;
  }

  #message(
    operation: 'insert' | 'update' | 'delete',
    value: Record<string, string | null>,
    lsn: number,
    position: number,
    txids: number[],
  ): ShapeMessage {
    return {
      key: `"public"."${this.definition.table.name}"/"${value.id}"`,
      value,
      headers: {
        operation,
        relation: ['public', this.definition.table.name],
        lsn: String(lsn),
        op_position: position,
        txids,
      },
    };
  }

  /** The changed values this shape may send, with the primary key. */
  #visible(rowId: string, values: Record<string, string | null>): Record<string, string | null> {
    const visible: Record<string, string | null> = { id: rowId };
    for (const column of this.definition.columns)
      if (column in values && column !== 'id') visible[column] = values[column]!;
    return visible;
  }

  async #ids(query: Query, only: string[] | null): Promise<string[]> {
    const { sql, params } = this.#select('id', only);
    return (await query<{ id: string }>(sql, params)).map((r) => r.id);
  }

  async #rows(query: Query, only: string[] | null): Promise<Array<Record<string, string | null>>> {
    const { sql, params } = this.#select(`${textRowSql(this.definition.columns)} AS row`, only);
    return (await query<{ row: Record<string, string | null> }>(`${sql} ORDER BY id`, params)).map((r) => r.row);
  }

  #select(what: string, only: string[] | null): { sql: string; params: unknown[] } {
    const { table, conditionSql, params } = this.definition;
    const conditions = [conditionSql ?? 'true'];
    if (only) conditions.push(`id = ANY($${params.length + 1}::text[])`);
    return {
      sql: `SELECT ${what} FROM ${quoteIdent(table.name)} WHERE ${conditions.join(' AND ')}`,
      params: only ? [...params, only] : params,
    };
  }
}
