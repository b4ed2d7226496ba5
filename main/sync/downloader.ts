// Down: one Electric ShapeStream per table, each batch applied to SQLite in one transaction with
// the stream's handle and offset, so a restart resumes where the last committed batch ended.
import type Database from 'better-sqlite3';
import { FetchError, isChangeMessage, ShapeStream, type Message, type Offset, type Row } from '@electric-sql/client';
import type { Logger } from '../core/logger.js';
import type { SyncedTableName } from '../core/synced-tables.js';
import type { PendingEdits } from './pending-edits.js';
import type { Replica } from './replica.js';
import { SHAPE_BACKOFF, SHAPE_PARSER } from './shape-values.js';

export interface DownloadHost {
  url: string;
  fetch: typeof fetch;
  sqlite: Database.Database;
  replica: Replica;
  pending: PendingEdits;
  logger: Logger;
  /** A batch landed (changed: whether any row did). */
  landed(table: SyncedTableName, changed: boolean): void;
  unreachable(reason: string): void;
  /** The server refused this user's sign-in (expired or revoked): streams stop until they sign in. */
  needsSignIn(): void;
  failed(reason: string): void;
  /** The server started this table's shape again (it restarted, or its database went back in time). */
  refetching(): void;
}

const RESTART_AFTER_FAILURE_MS = 2_000;
/** From this many rows in a first batch into an empty table, indexes are built after the load. */
const BULK_LOAD_ROWS = 2_000;

export class TableFollower {
  #controller: AbortController | null = null;
  #stream: ShapeStream<Row> | null = null;
  /** While a snapshot is coming in place of what is here: the ids it has brought so far. */
  #refetching: Set<string> | null = null;
  #restart: NodeJS.Timeout | null = null;
  /** False once the server says this user may not read the table. */
  readable = true;
  upToDate = false;

  constructor(
    readonly table: SyncedTableName,
    private readonly host: DownloadHost,
  ) {}

  get running(): boolean {
    return this.#controller !== null;
  }

  start(): void {
    if (this.#controller || !this.readable) return;
    const state = this.host.sqlite
      .prepare('SELECT handle, "offset" FROM shape_state WHERE table_name = ?')
      .get(this.table) as { handle: string | null; offset: string } | undefined;
    const fresh = !state || state.offset === '-1' || !state.handle;
    // A bulk load cut short by a crash left the table without its indexes: they come back first.
    this.host.replica.apply(() => this.host.replica.restoreIndexes(this.table));
    // From the start, what the snapshot does not bring has left this user's view meanwhile.
    this.#refetching = fresh ? new Set() : null;
    const controller = new AbortController();
    this.#controller = controller;
    this.upToDate = false;
    const stream = new ShapeStream<Row>({
      url: `${this.host.url}/v1/shape`,
      params: { table: this.table },
      ...(fresh ? {} : { offset: state.offset as Offset, handle: state.handle! }),
      fetchClient: this.host.fetch,
      parser: SHAPE_PARSER,
      backoffOptions: {
        ...SHAPE_BACKOFF,
        onFailedAttempt: () => {
          this.upToDate = false;
          if (controller.signal.aborted) return;
          this.host.unreachable('The sync server cannot be reached.');
        },
      },
      signal: controller.signal,
      onError: (error) => {
        if (controller.signal.aborted) return;
        if (error instanceof FetchError && error.status === 403) {
          this.readable = false;
          this.host.pending.unreadable(this.table);
          this.stop();
          return;
        }
        if (error instanceof FetchError && error.status === 401) {
          this.stop();
          this.host.needsSignIn();
          return;
        }
        this.host.logger.warn('A shape request failed; retrying', { table: this.table, error: String(error) });
        return {};
      },
    });
    this.#stream = stream;
    stream.subscribe(
      (messages) => this.#apply(stream, messages),
      (error) => {
        // The client gave up on this stream: start it again from the stored offset.
        if (stream !== this.#stream) return;
        this.host.logger.warn('A shape stream stopped; starting it again', { table: this.table, error: String(error) });
        this.stop();
        this.#restart = setTimeout(() => this.start(), RESTART_AFTER_FAILURE_MS);
      },
    );
  }

  stop(): void {
    this.#controller?.abort();
    this.#controller = null;
    this.#stream = null;
    if (this.#restart) clearTimeout(this.#restart);
    this.#restart = null;
  }

  /** Never throws: the client would rethrow it where nothing catches it. */
  #apply(stream: ShapeStream<Row>, messages: Message<Row>[]): void {
    if (stream !== this.#stream) return;
    try {
      const changed = this.#applyBatch(stream, messages);
      this.host.landed(this.table, changed);
    } catch (error) {
      // Nothing of the batch is kept; following again from the stored offset fetches it again.
      this.host.logger.error('Applying server rows failed', { table: this.table, error: String(error) });
      this.host.failed(`Rows of ${this.table} from the server could not be stored: ${String(error)}`);
      this.stop();
      this.#restart = setTimeout(() => this.start(), RESTART_AFTER_FAILURE_MS);
    }
  }

  #applyBatch(stream: ShapeStream<Row>, messages: Message<Row>[]): boolean {
    const { replica, pending, sqlite } = this.host;
    const table = this.table;
    let mine = pending.snapshot();
    let changed = false;
    let write: ((values: Record<string, unknown>) => void) | undefined;
    const each = () => {
      for (const message of messages) {
        if (isChangeMessage(message)) {
          const id = String(message.value.id);
          const values = message.value as Record<string, unknown>;
          const operation = message.headers.operation;
          if (!mine.empty && mine.has(table, id) && table !== 'audit_log') {
            // A row this device has edits pending on: the message moves its server version, the
            // row becomes that version whole, and the edits go back over it. A partial message
            // written over the edited row could make a row no database would hold (a stay ending
            // before it starts), and the batch would never land.
            pending.base.follow(table, id, operation, values);
            const base = pending.base.get(table, id);
            if (base) replica.upsert(table, base);
            else if (base === null) replica.delete(table, id);
            else if (operation === 'delete') replica.delete(table, id);
            else replica.upsert(table, values);
            mine.reapply(table, id, this.#refetching !== null);
          } else if (operation === 'delete') replica.delete(table, id);
          else if (operation === 'insert') (write ??= replica.writerLike(table, values))(values);
          else if (!replica.update(table, id, values)) replica.upsert(table, values);
          this.#refetching?.add(id);
          pending.seen(table, message.headers.txids as number[] | undefined);
          // Once the server shows an edit back, later rows of this batch are newer than it.
          if (pending.releasedAny) {
            pending.restore();
            mine = pending.snapshot();
          }
          changed = true;
        } else if (message.headers.control === 'must-refetch') {
          this.#refetching = new Set();
          this.host.refetching();
        } else if (message.headers.control === 'up-to-date') {
          if (this.#refetching) {
            replica.restoreIndexes(table);
            // What the new snapshot did not bring has left this user's view, pending edits or not:
            // a row this device changed lately is gone on the server too, plus what is still unsent.
            for (const id of replica.ids(table)) {
              if (this.#refetching.has(id)) continue;
              // This device's own audit rows waiting to go up are the chain itself: never dropped.
              if (table === 'audit_log' && mine.has(table, id)) continue;
              replica.delete(table, id);
              if (mine.has(table, id)) {
                pending.base.gone(table, id);
                mine.reapply(table, id);
              }
              changed = true;
            }
            this.#refetching = null;
          }
          pending.upToDate(table);
          if (pending.releasedAny) {
            pending.restore();
            mine = pending.snapshot();
          }
          this.upToDate = true;
        }
      }
    };
    // A first download of many rows into an empty table is a bulk load: indexes after.
    const bulk = this.#refetching !== null && messages.length >= BULK_LOAD_ROWS && replica.count(table) === 0;
    replica.apply(() => {
      if (bulk) replica.dropIndexes(table);
      each();
      sqlite
        .prepare(
          `INSERT INTO shape_state (table_name, handle, "offset", updated_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (table_name) DO UPDATE SET handle = excluded.handle, "offset" = excluded."offset", updated_at = excluded.updated_at`,
        )
        .run(table, stream.shapeHandle ?? null, this.#refetching ? '-1' : stream.lastOffset, new Date().toISOString());
    });
    return changed;
  }
}
