// Writing rows into the device's SQLite as the server has them. Rows arrive keyed by column
// (shape messages, and the ops of local changesets being re-applied); this turns them into SQLite
// values and writes them with cached statements, inside the replication guard of migration 0007.
import type Database from 'better-sqlite3';
import { getTableColumns } from 'drizzle-orm';
import { setReplicating } from '../../db/local-database.js';
import { SYNCED_TABLES, type SyncedTableName } from '../core/synced-tables.js';

export type ColumnValues = Record<string, unknown>;

const DROPPED_INDEXES = 'dropped_indexes:';

interface ColumnInfo {
  name: string;
  kind: 'boolean' | 'json' | 'plain';
  /** What a NOT NULL column holds when the server withholds it from this user (field staff see no prices). */
  withheld: unknown;
}

const COLUMNS = Object.fromEntries(
  Object.entries(SYNCED_TABLES).map(([table, t]) => [
    table,
    Object.values(getTableColumns(t)).map((c): ColumnInfo => {
      const kind = c.columnType === 'SQLiteBoolean' ? 'boolean' : c.columnType === 'SQLiteTextJson' ? 'json' : 'plain';
      const numeric = c.columnType === 'SQLiteInteger' || c.columnType === 'SQLiteReal';
      const withheld = !c.notNull || c.hasDefault ? undefined : numeric ? 0 : c.name === 'currency' ? 'XXX' : '';
      return { name: c.name, kind, withheld };
    }),
  ]),
) as Record<SyncedTableName, ColumnInfo[]>;

export function columnsOf(table: SyncedTableName): readonly string[] {
  return COLUMNS[table].map((c) => c.name);
}

/** One value as SQLite stores it: booleans as 0/1, lists and objects as JSON text. */
function toSqlite(column: ColumnInfo, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (column.kind === 'boolean') return value === true || value === 1 || value === 't' || value === 'true' ? 1 : 0;
  if (column.kind === 'json') return typeof value === 'string' ? value : JSON.stringify(value);
  if (typeof value === 'bigint') return Number(value);
  return value;
}

/** A row as SQLite stores it, for comparing what a device holds with what the server sends. */
export function sqliteValues(table: SyncedTableName, values: ColumnValues): ColumnValues {
  const out: ColumnValues = {};
  for (const column of COLUMNS[table])
    if (column.name in values) out[column.name] = toSqlite(column, values[column.name]);
  return out;
}

export class Replica {
  readonly #statements = new Map<string, Database.Statement>();

  constructor(readonly sqlite: Database.Database) {}

  /**
   * Runs `work` in one transaction in which server rows may land: the guards of migration 0007
   * stand aside for this connection, and only until the transaction ends.
   */
  apply<T>(work: () => T): T {
    return this.sqlite.transaction(() => {
      const was = setReplicating(this.sqlite, true);
      try {
        return work();
      } finally {
        setReplicating(this.sqlite, was);
      }
    })();
  }

  /** Inserts the row, or sets the given columns of the row that is there. */
  upsert(table: SyncedTableName, values: ColumnValues): void {
    const given = COLUMNS[table].filter((c) => c.name in values);
    const withheld = COLUMNS[table].filter((c) => !(c.name in values) && c.withheld !== undefined);
    const key = `upsert ${table} ${given.map((c) => c.name).join(',')}`;
    const names = [...given, ...withheld].map((c) => `"${c.name}"`);
    const updates = given.filter((c) => c.name !== 'id').map((c) => `"${c.name}" = excluded."${c.name}"`);
    const statement = this.#statement(
      key,
      `INSERT INTO "${table}" (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})
       ON CONFLICT (id) DO ${updates.length > 0 ? `UPDATE SET ${updates.join(', ')}` : 'NOTHING'}`,
    );
    statement.run([...given.map((c) => toSqlite(c, values[c.name])), ...withheld.map((c) => c.withheld)]);
  }

  /**
   * A writer for many rows that carry the same columns as `sample` (a snapshot's rows all do):
   * the statement and the conversions are worked out once, not per row. A row with other
   * columns falls back to upsert().
   */
  writerLike(table: SyncedTableName, sample: ColumnValues): (values: ColumnValues) => void {
    const given = COLUMNS[table].filter((c) => c.name in sample);
    const count = Object.keys(sample).length;
    if (given.length !== count) return (values) => this.upsert(table, values);
    const withheld = COLUMNS[table].filter((c) => !(c.name in sample) && c.withheld !== undefined);
    const names = [...given, ...withheld].map((c) => `"${c.name}"`);
    const updates = given.filter((c) => c.name !== 'id').map((c) => `"${c.name}" = excluded."${c.name}"`);
    const statement = this.#statement(
      `upsert ${table} ${given.map((c) => c.name).join(',')}`,
      `INSERT INTO "${table}" (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})
       ON CONFLICT (id) DO ${updates.length > 0 ? `UPDATE SET ${updates.join(', ')}` : 'NOTHING'}`,
    );
    const row: unknown[] = [...given.map(() => null), ...withheld.map((c) => c.withheld)];
    return (values) => {
      let seen = 0;
      for (let i = 0; i < given.length; i++) {
        const column = given[i]!;
        const value = values[column.name];
        if (value !== undefined) seen++;
        row[i] = toSqlite(column, value);
      }
      if (seen !== count) return this.upsert(table, values);
      statement.run(row);
    };
  }

  /** Sets the given columns of a row; false if the row is not here. */
  update(table: SyncedTableName, id: string, values: ColumnValues): boolean {
    const given = COLUMNS[table].filter((c) => c.name in values && c.name !== 'id');
    if (given.length === 0) return this.has(table, id);
    const statement = this.#statement(
      `update ${table} ${given.map((c) => c.name).join(',')}`,
      `UPDATE "${table}" SET ${given.map((c) => `"${c.name}" = ?`).join(', ')} WHERE id = ?`,
    );
    return statement.run([...given.map((c) => toSqlite(c, values[c.name])), id]).changes > 0;
  }

  /**
   * Before a bulk load into an empty table: its secondary indexes are dropped, to be built once
   * the load is complete (several times faster than keeping them up to date row by row). What
   * was dropped is noted in the same transaction, so a crash mid-load cannot lose an index.
   */
  dropIndexes(table: SyncedTableName): void {
    const indexes = this.sqlite
      .prepare(`SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`)
      .pluck()
      .all(table) as string[];
    if (indexes.length === 0) return;
    const noted = this.#droppedIndexes(table);
    this.sqlite
      .prepare(
        `INSERT INTO device_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      )
      .run(`${DROPPED_INDEXES}${table}`, JSON.stringify([...noted, ...indexes]));
    for (const name of this.sqlite
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`)
      .pluck()
      .all(table) as string[])
      this.sqlite.exec(`DROP INDEX "${name}"`);
  }

  /** Builds again the indexes dropIndexes() took away, if any. */
  restoreIndexes(table: SyncedTableName): void {
    const noted = this.#droppedIndexes(table);
    if (noted.length === 0) return;
    for (const sql of noted) this.sqlite.exec(sql.replace(/^CREATE INDEX /i, 'CREATE INDEX IF NOT EXISTS '));
    this.sqlite.prepare('DELETE FROM device_meta WHERE key = ?').run(`${DROPPED_INDEXES}${table}`);
  }

  #droppedIndexes(table: SyncedTableName): string[] {
    const noted = this.sqlite
      .prepare('SELECT value FROM device_meta WHERE key = ?')
      .pluck()
      .get(`${DROPPED_INDEXES}${table}`) as string | undefined;
    return noted ? (JSON.parse(noted) as string[]) : [];
  }

  count(table: SyncedTableName): number {
    return this.#statement(`count ${table}`, `SELECT count(*) FROM "${table}"`).pluck().get() as number;
  }

  delete(table: SyncedTableName, id: string): void {
    this.#statement(`delete ${table}`, `DELETE FROM "${table}" WHERE id = ?`).run(id);
  }

  has(table: SyncedTableName, id: string): boolean {
    return this.#statement(`has ${table}`, `SELECT 1 FROM "${table}" WHERE id = ?`).get(id) !== undefined;
  }

  /** The row as SQLite has it, keyed by column. */
  get(table: SyncedTableName, id: string): ColumnValues | undefined {
    return this.#statement(`get ${table}`, `SELECT * FROM "${table}" WHERE id = ?`).get(id) as ColumnValues | undefined;
  }

  ids(table: SyncedTableName): string[] {
    return this.#statement(`ids ${table}`, `SELECT id FROM "${table}"`).pluck().all() as string[];
  }

  #statement(key: string, sql: string): Database.Statement {
    let statement = this.#statements.get(key);
    if (!statement) {
      statement = this.sqlite.prepare(sql);
      this.#statements.set(key, statement);
    }
    return statement;
  }
}
