import { getTableColumns, getTableName, is, Table } from 'drizzle-orm';
import { pgTable, text as pgText } from 'drizzle-orm/pg-core';
import { sqliteTable, text as sqliteText } from 'drizzle-orm/sqlite-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareSchemas, describePostgresSchema, describeSqliteSchema, PARITY_EXCEPTIONS } from '../../db/parity.js';
import * as central from '../../db/schema/postgres.js';
import * as local from '../../db/schema/sqlite.js';
import {
  freshCentralDatabase,
  freshLocalDatabase,
  type TestCentralDatabase,
  type TestLocalDatabase,
} from '../harness/databases.js';

const noExceptions = { serverOnlyTables: {}, deviceOnlyTables: {}, serverOnlyColumns: {}, deviceOnlyColumns: {} };

describe('schema parity', () => {
  it('the SQLite and Postgres schemas agree, apart from the listed exceptions', () => {
    expect(compareSchemas(describeSqliteSchema(local), describePostgresSchema(central))).toEqual([]);
  });

  it('reports a column added to one dialect only', () => {
    const sqliteWithExtra = { t: sqliteTable('t', { id: sqliteText('id').primaryKey(), note: sqliteText('note') }) };
    const postgres = { t: pgTable('t', { id: pgText('id').primaryKey() }) };
    expect(
      compareSchemas(describeSqliteSchema(sqliteWithExtra), describePostgresSchema(postgres), noExceptions),
    ).toEqual(['column t.note exists only in SQLite and is not listed as device-only']);
    // Listing it as an exception, with a reason, is what makes it acceptable.
    const listed = { ...noExceptions, deviceOnlyColumns: { 't.note': 'a reason' } };
    expect(compareSchemas(describeSqliteSchema(sqliteWithExtra), describePostgresSchema(postgres), listed)).toEqual([]);
  });

  it('reports a column added to a real table of one dialect only', () => {
    const sqlite = describeSqliteSchema(local);
    sqlite.get('properties')!.columns.set('wifi_password', { kind: 'string', notNull: false, primaryKey: false });
    expect(compareSchemas(sqlite, describePostgresSchema(central))).toEqual([
      'column properties.wifi_password exists only in SQLite and is not listed as device-only',
    ]);
  });

  it('reports a column whose meaning differs', () => {
    const postgres = describePostgresSchema(central);
    postgres.get('reservations')!.columns.set('guests', { kind: 'string', notNull: true, primaryKey: false });
    expect(compareSchemas(describeSqliteSchema(local), postgres)).toEqual([
      'column reservations.guests differs in kind: SQLite number, Postgres string',
    ]);
  });

  it('reports a stale exception', () => {
    const stale = {
      ...PARITY_EXCEPTIONS,
      serverOnlyColumns: { ...PARITY_EXCEPTIONS.serverOnlyColumns, 'users.email': 'wrong' },
    };
    expect(compareSchemas(describeSqliteSchema(local), describePostgresSchema(central), stale)).toEqual([
      'column users.email is listed as server-only but SQLite has it too',
    ]);
  });

  it('keeps the password hash on the server only', () => {
    expect(describePostgresSchema(central).get('users')!.columns.has('password_hash')).toBe(true);
    expect(describeSqliteSchema(local).get('users')!.columns.has('password_hash')).toBe(false);
  });
});

/** Columns per table as the schema declares them. */
function declaredColumns(schema: Record<string, unknown>): Map<string, string[]> {
  const tables = Object.values(schema).filter((v): v is Table => is(v, Table));
  return new Map(
    tables.map((t) => [
      getTableName(t),
      Object.values(getTableColumns(t))
        .map((c) => c.name)
        .sort(),
    ]),
  );
}

describe('migrations match the schemas', () => {
  let sqlite: TestLocalDatabase;
  let postgres: TestCentralDatabase;
  beforeAll(async () => {
    sqlite = freshLocalDatabase();
    postgres = await freshCentralDatabase();
  });
  afterAll(async () => {
    sqlite.dispose();
    await postgres.dispose();
  });

  it('a migrated SQLite file has exactly the declared tables and columns', () => {
    const actual = new Map<string, string[]>();
    const tables = sqlite.sqlite
      .prepare(
        `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '__drizzle_migrations'`,
      )
      .pluck()
      .all() as string[];
    for (const table of tables) {
      const columns = sqlite.sqlite.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table) as string[];
      actual.set(table, columns.sort());
    }
    expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(declaredColumns(local)));
  });

  it('a migrated Postgres database has exactly the declared tables and columns', async () => {
    const rows = await postgres.query<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, column_name`,
    );
    const actual = new Map<string, string[]>();
    for (const r of rows) actual.set(r.table_name, [...(actual.get(r.table_name) ?? []), r.column_name]);
    for (const columns of actual.values()) columns.sort();
    expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(declaredColumns(central)));
  });
});
