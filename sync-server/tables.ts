// The tables devices replicate, as the server sees them: their columns (read from the live
// database, so the shape schema header always matches it), how a column maps to the contracts'
// field names, and SQL that reads a row as Postgres text, the form the shape protocol carries.
import { getTableColumns } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Query } from '../db/central-database.js';
import * as central from '../db/schema/postgres.js';

export const SYNCED_TABLES = {
  users: central.users,
  locations: central.locations,
  properties: central.properties,
  reservations: central.reservations,
  tasks: central.tasks,
  ledger_entries: central.ledgerEntries,
  audit_log: central.auditLog,
} as const satisfies Record<string, PgTable>;

export type SyncedTableName = keyof typeof SYNCED_TABLES;

export function isSyncedTable(name: string): name is SyncedTableName {
  return Object.hasOwn(SYNCED_TABLES, name);
}

/** Columns that never leave the server, whoever asks. */
const SERVER_ONLY_COLUMNS: Record<string, readonly string[]> = { users: ['password_hash'] };

export interface ColumnInfo {
  name: string;
  /** The Postgres type name as the shape schema header gives it: int4, int8, text, date, ... */
  type: string;
  dims?: number;
  notNull: boolean;
}

export interface TableInfo {
  name: SyncedTableName;
  /** The columns a device may ever see, in table order. */
  columns: ColumnInfo[];
  columnNames: Set<string>;
  /** column name → the contracts' field name, and back. */
  fieldOf: Map<string, string>;
  columnOf: Map<string, string>;
}

export type Catalog = Record<SyncedTableName, TableInfo>;

export async function loadCatalog(query: Query): Promise<Catalog> {
  const rows = await query<{ table_name: string; column_name: string; udt_name: string; is_nullable: string }>(
    `SELECT table_name, column_name, udt_name, is_nullable FROM information_schema.columns
     WHERE table_schema = 'public' AND table_name = ANY($1) ORDER BY table_name, ordinal_position`,
    [Object.keys(SYNCED_TABLES)],
  );
  const catalog = {} as Catalog;
  for (const [name, table] of Object.entries(SYNCED_TABLES) as [SyncedTableName, PgTable][]) {
    const hidden = SERVER_ONLY_COLUMNS[name] ?? [];
    const columns = rows
      .filter((r) => r.table_name === name && !hidden.includes(r.column_name))
      .map((r): ColumnInfo => {
        const isArray = r.udt_name.startsWith('_');
        return {
          name: r.column_name,
          type: isArray ? r.udt_name.slice(1) : r.udt_name,
          ...(isArray ? { dims: 1 } : {}),
          notNull: r.is_nullable === 'NO',
        };
      });
    if (columns.length === 0) throw new Error(`The central database has no table ${name}: are its migrations applied?`);
    const fieldOf = new Map(Object.entries(getTableColumns(table)).map(([field, column]) => [column.name, field]));
    catalog[name] = {
      name,
      columns,
      columnNames: new Set(columns.map((c) => c.name)),
      fieldOf,
      columnOf: new Map([...fieldOf].map(([column, field]) => [field, column])),
    };
  }
  return catalog;
}

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** `json_build_object('col', "col"::text, ...)`: a row (or some of its columns) as Postgres text. */
export function textRowSql(columns: readonly string[], alias?: string): string {
  const prefix = alias ? `${alias}.` : '';
  return `json_build_object(${columns.map((c) => `'${c}', ${prefix}${quoteIdent(c)}::text`).join(', ')})`;
}

/** The `electric-schema` header: {column: {type, dims?, not_null?, pk_index?}}. */
export function schemaHeader(table: TableInfo, columns: readonly string[]): string {
  const schema: Record<string, object> = {};
  for (const column of table.columns) {
    if (!columns.includes(column.name)) continue;
    schema[column.name] = {
      type: column.type,
      ...(column.dims ? { dims: column.dims } : {}),
      ...(column.notNull ? { not_null: true } : {}),
      ...(column.name === 'id' ? { pk_index: 0 } : {}),
    };
  }
  return JSON.stringify(schema);
}
