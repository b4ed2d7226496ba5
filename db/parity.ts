// Compares the two schemas table by table: same tables, same columns with the same meaning, same
// indexes, checks and foreign keys, except where parity-exceptions.ts says otherwise.
import { getTableConfig as getPgTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as getSqliteTableConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import { is, Table } from 'drizzle-orm';
import {
  DEVICE_ONLY_COLUMNS,
  DEVICE_ONLY_TABLES,
  SERVER_ONLY_COLUMNS,
  SERVER_ONLY_TABLES,
} from './parity-exceptions.js';

/** What a column means, independent of how the dialect stores it. */
export interface ColumnMeaning {
  /** string | number | boolean | json — a Postgres array is the JSON list SQLite stores as text. */
  kind: string;
  notNull: boolean;
  primaryKey: boolean;
}

export interface TableDescription {
  columns: Map<string, ColumnMeaning>;
  indexes: Map<string, { columns: string; unique: boolean }>;
  checks: Set<string>;
  foreignKeys: Set<string>;
}

export type SchemaDescription = Map<string, TableDescription>;

type Exceptions = {
  serverOnlyTables: Record<string, string>;
  deviceOnlyTables: Record<string, string>;
  serverOnlyColumns: Record<string, string>;
  deviceOnlyColumns: Record<string, string>;
};

export const PARITY_EXCEPTIONS: Exceptions = {
  serverOnlyTables: SERVER_ONLY_TABLES,
  deviceOnlyTables: DEVICE_ONLY_TABLES,
  serverOnlyColumns: SERVER_ONLY_COLUMNS,
  deviceOnlyColumns: DEVICE_ONLY_COLUMNS,
};

function kindOf(dataType: string): string {
  return dataType === 'array' ? 'json' : dataType;
}

function tablesOf(schema: Record<string, unknown>): Table[] {
  return Object.values(schema).filter((value): value is Table => is(value, Table));
}

export function describeSqliteSchema(schema: Record<string, unknown>): SchemaDescription {
  return new Map(
    tablesOf(schema).map((table) => {
      const config = getSqliteTableConfig(table as SQLiteTable);
      return [config.name, describe(config)];
    }),
  );
}

export function describePostgresSchema(schema: Record<string, unknown>): SchemaDescription {
  return new Map(
    tablesOf(schema).map((table) => {
      const config = getPgTableConfig(table as PgTable);
      return [config.name, describe(config)];
    }),
  );
}

interface AnyTableConfig {
  columns: { name: string; dataType: string; notNull: boolean; primary: boolean }[];
  indexes: { config: { name?: string; unique: boolean; columns: unknown[] } }[];
  checks: { name: string }[];
  foreignKeys: {
    reference(): { columns: { name: string }[]; foreignTable: Table; foreignColumns: { name: string }[] };
  }[];
}

function describe(config: AnyTableConfig): TableDescription {
  return {
    columns: new Map(
      config.columns.map((c) => [c.name, { kind: kindOf(c.dataType), notNull: c.notNull, primaryKey: c.primary }]),
    ),
    indexes: new Map(
      config.indexes.map((i) => [
        i.config.name ?? '(unnamed)',
        {
          columns: i.config.columns.map((c) => (c as { name?: string }).name ?? '(expression)').join(','),
          unique: i.config.unique,
        },
      ]),
    ),
    checks: new Set(config.checks.map((c) => c.name)),
    foreignKeys: new Set(
      config.foreignKeys.map((fk) => {
        const ref = fk.reference();
        const target = getSqliteOrPgName(ref.foreignTable);
        return `${ref.columns.map((c) => c.name).join(',')} -> ${target}(${ref.foreignColumns.map((c) => c.name).join(',')})`;
      }),
    ),
  };
}

function getSqliteOrPgName(table: Table): string {
  // Both dialects keep the table name under the same well-known symbol.
  return (table as unknown as Record<symbol, string>)[Symbol.for('drizzle:Name')] ?? '(unknown)';
}

/** Every difference that the exceptions do not explain, as sentences. Empty means in parity. */
export function compareSchemas(
  sqlite: SchemaDescription,
  postgres: SchemaDescription,
  exceptions: Exceptions = PARITY_EXCEPTIONS,
): string[] {
  const problems: string[] = [];
  const onlyIn = (a: SchemaDescription, b: SchemaDescription) => [...a.keys()].filter((t) => !b.has(t));

  for (const table of onlyIn(sqlite, postgres)) {
    if (!(table in exceptions.deviceOnlyTables))
      problems.push(`table ${table} exists only in SQLite and is not listed as device-only`);
  }
  for (const table of onlyIn(postgres, sqlite)) {
    if (!(table in exceptions.serverOnlyTables))
      problems.push(`table ${table} exists only in Postgres and is not listed as server-only`);
  }
  for (const table of Object.keys(exceptions.deviceOnlyTables)) {
    if (!sqlite.has(table) || postgres.has(table))
      problems.push(`device-only table ${table} is listed but is not in SQLite alone`);
  }
  for (const table of Object.keys(exceptions.serverOnlyTables)) {
    if (!postgres.has(table) || sqlite.has(table))
      problems.push(`server-only table ${table} is listed but is not in Postgres alone`);
  }

  for (const [table, local] of sqlite) {
    const central = postgres.get(table);
    if (central) problems.push(...compareTables(table, local, central, exceptions));
  }
  return problems;
}

function compareTables(
  table: string,
  local: TableDescription,
  central: TableDescription,
  exceptions: Exceptions,
): string[] {
  const problems: string[] = [];
  for (const [name, meaning] of local.columns) {
    const key = `${table}.${name}`;
    const other = central.columns.get(name);
    if (!other) {
      if (!(key in exceptions.deviceOnlyColumns))
        problems.push(`column ${key} exists only in SQLite and is not listed as device-only`);
      continue;
    }
    if (key in exceptions.deviceOnlyColumns)
      problems.push(`column ${key} is listed as device-only but Postgres has it too`);
    for (const field of ['kind', 'notNull', 'primaryKey'] as const) {
      if (meaning[field] !== other[field]) {
        problems.push(
          `column ${key} differs in ${field}: SQLite ${String(meaning[field])}, Postgres ${String(other[field])}`,
        );
      }
    }
  }
  for (const name of central.columns.keys()) {
    const key = `${table}.${name}`;
    if (!local.columns.has(name) && !(key in exceptions.serverOnlyColumns)) {
      problems.push(`column ${key} exists only in Postgres and is not listed as server-only`);
    }
    if (local.columns.has(name) && key in exceptions.serverOnlyColumns) {
      problems.push(`column ${key} is listed as server-only but SQLite has it too`);
    }
  }
  const sameSet = (what: string, a: Iterable<string>, b: Iterable<string>) => {
    const left = new Set(a);
    const right = new Set(b);
    for (const x of left) if (!right.has(x)) problems.push(`${table}: ${what} ${x} exists only in SQLite`);
    for (const x of right) if (!left.has(x)) problems.push(`${table}: ${what} ${x} exists only in Postgres`);
  };
  const indexKeys = (d: TableDescription) =>
    [...d.indexes].map(([name, i]) => `${name} (${i.columns}${i.unique ? ', unique' : ''})`);
  sameSet('index', indexKeys(local), indexKeys(central));
  sameSet('check', local.checks, central.checks);
  sameSet('foreign key', local.foreignKeys, central.foreignKeys);
  return problems;
}
