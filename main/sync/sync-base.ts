// The server's version of each row this device has pending edits of (table sync_base). It is
// taken from the row itself just before the first pending edit (the row then is exactly what the
// stream brought), and from then on follows the row's stream messages alone. When edits let go or
// are refused, the row goes back to it plus whatever is still pending: no server row ever reaches
// the device by another path than its stream, so nothing older can land over something newer.
import type Database from 'better-sqlite3';
import type { SyncedTableName } from '../core/synced-tables.js';
import { sqliteValues, type ColumnValues } from './replica.js';

/** undefined: the row has no pending edits; null: the server shows this user no such row. */
export type Base = ColumnValues | null | undefined;

export class SyncBase {
  readonly #get: Database.Statement;
  readonly #set: Database.Statement;
  readonly #drop: Database.Statement;
  readonly #rows = new Map<string, Database.Statement>();

  constructor(private readonly sqlite: Database.Database) {
    this.#get = sqlite.prepare('SELECT row FROM sync_base WHERE table_name = ? AND row_id = ?');
    this.#set = sqlite.prepare(
      `INSERT INTO sync_base (table_name, row_id, row) VALUES (?, ?, ?)
       ON CONFLICT (table_name, row_id) DO UPDATE SET row = excluded.row`,
    );
    this.#drop = sqlite.prepare('DELETE FROM sync_base WHERE table_name = ? AND row_id = ?');
  }

  /** Before a local edit of a row: its server version, unless an earlier pending edit took it. */
  capture(table: SyncedTableName, id: string): void {
    if (table === 'audit_log' || this.get(table, id) !== undefined) return;
    let select = this.#rows.get(table);
    if (!select) {
      select = this.sqlite.prepare(`SELECT * FROM "${table}" WHERE id = ?`);
      this.#rows.set(table, select);
    }
    const row = select.get(id) as ColumnValues | undefined;
    this.#set.run(table, id, row === undefined ? null : JSON.stringify(row));
  }

  get(table: string, id: string): Base {
    const found = this.#get.get(table, id) as { row: string | null } | undefined;
    if (!found) return undefined;
    return found.row === null ? null : (JSON.parse(found.row) as ColumnValues);
  }

  /** A stream message for a row with pending edits: an insert replaces, an update merges, a delete empties. */
  follow(table: SyncedTableName, id: string, operation: 'insert' | 'update' | 'delete', values: ColumnValues): void {
    const current = this.get(table, id);
    if (current === undefined) return;
    if (operation === 'delete') return void this.#set.run(table, id, null);
    const stored = sqliteValues(table, values);
    const row = operation === 'update' && current ? { ...current, ...stored } : stored;
    this.#set.run(table, id, JSON.stringify(row));
  }

  /** The row left this user's view (a refetch did not bring it). */
  gone(table: SyncedTableName, id: string): void {
    if (this.get(table, id) !== undefined) this.#set.run(table, id, null);
  }

  drop(table: string, id: string): void {
    this.#drop.run(table, id);
  }
}
