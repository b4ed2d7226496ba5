// Loads generated sample data into a migrated SQLite database in one transaction, through one
// prepared INSERT per table built from the drizzle schema (drizzle's query builder is far slower
// for hundreds of thousands of rows).
import type Database from 'better-sqlite3';
import { getTableColumns, getTableName, is, SQL, type Column } from 'drizzle-orm';
import { SQLiteSyncDialect, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import * as schema from '../schema/sqlite.js';
import type { SampleData } from './generate.js';

/** Parents before children, so every foreign key is satisfied when its row arrives. */
export const LOAD_ORDER = [
  'users',
  'locations',
  'properties',
  'reservations',
  'tasks',
  'ledgerEntries',
] as const satisfies readonly (keyof SampleData)[];

export type SampleCounts = Record<keyof SampleData, number>;

/** Page cache while loading, in KiB: the indexes of a large load then stay in memory. */
const LOAD_CACHE_KIB = 128 * 1024;

export function loadSampleData(sqlite: Database.Database, data: SampleData): SampleCounts {
  const inserters = LOAD_ORDER.map((key) => [key, inserterFor(sqlite, schema[key] as SQLiteTable)] as const);
  const load = sqlite.transaction(() => {
    // Checked inside the transaction, so nothing can slip in between the check and the load.
    if (sqlite.prepare('SELECT 1 FROM properties LIMIT 1').get()) {
      throw new Error('sample data can only be loaded into an empty database: this one already has properties');
    }
    const counts = {} as SampleCounts;
    for (const [key, insert] of inserters) counts[key] = insert(data[key]);
    return counts;
  });
  const cacheSize = sqlite.pragma('cache_size', { simple: true }) as number;
  sqlite.pragma(`cache_size = -${LOAD_CACHE_KIB}`);
  try {
    return load();
  } finally {
    sqlite.pragma(`cache_size = ${cacheSize}`);
  }
}

/** A function that inserts rows (objects keyed by the schema's field names) into one table. */
function inserterFor(sqlite: Database.Database, table: SQLiteTable): (rows: readonly object[]) => number {
  const columns = Object.entries(getTableColumns(table)).map(([field, column]) => ({
    field,
    column,
    fallback: defaultValue(sqlite, column),
  }));
  const names = columns.map(({ column }) => `"${column.name}"`).join(', ');
  const params = columns.map(() => '?').join(', ');
  const statement = sqlite.prepare(`INSERT INTO "${getTableName(table)}" (${names}) VALUES (${params})`);
  const values: unknown[] = new Array(columns.length);

  return (rows) => {
    for (const row of rows) {
      const record = row as Record<string, unknown>;
      for (let i = 0; i < columns.length; i++) {
        const { field, column, fallback } = columns[i]!;
        const value = record[field];
        values[i] = value === undefined ? fallback : value === null ? null : column.mapToDriverValue(value);
      }
      statement.run(values);
    }
    return rows.length;
  };
}

/** The value SQLite would have used had the column been left out (null when it has no default). */
function defaultValue(sqlite: Database.Database, column: Column): unknown {
  if (!column.hasDefault || column.default === undefined) return null;
  if (!is(column.default, SQL)) return column.mapToDriverValue(column.default);
  const query = new SQLiteSyncDialect().sqlToQuery(column.default);
  return sqlite.prepare(`SELECT ${query.sql}`).pluck().get(query.params);
}
