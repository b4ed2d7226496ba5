// Runs the same database test against SQLite and the central Postgres (or PGlite). Each dialect
// offers the same few verbs on the real drizzle schema of that dialect.
import { eq } from 'drizzle-orm';
import * as central from '../../db/schema/postgres.js';
import * as local from '../../db/schema/sqlite.js';
import { freshCentralDatabase, freshLocalDatabase } from '../harness/databases.js';

export type SharedTable =
  'users' | 'locations' | 'properties' | 'reservations' | 'tasks' | 'ledgerEntries' | 'auditLog';
type Row = Record<string, unknown>;

export interface Dialect {
  name: string;
  insert(table: SharedTable, row: Row): Promise<void>;
  update(table: SharedTable, id: string, values: Row): Promise<void>;
  remove(table: SharedTable, id: string): Promise<void>;
  count(table: SharedTable): Promise<number>;
  /** reservation_payments.paid_minor of a reservation, or null when it has no row. */
  paidMinor(reservationId: string): Promise<number | null>;
  /** Raw SQL, for what drizzle deliberately does not express (e.g. TRUNCATE). */
  exec(sql: string): Promise<void>;
  dispose(): Promise<void>;
}

export async function openSqliteDialect(): Promise<Dialect> {
  const database = freshLocalDatabase();
  const { db } = database;
  return {
    name: 'SQLite',
    insert: async (table, row) =>
      void db
        .insert(local[table])
        .values(row as never)
        .run(),
    update: async (table, id, values) =>
      void db
        .update(local[table])
        .set(values as never)
        .where(eq(local[table].id, id))
        .run(),
    remove: async (table, id) => void db.delete(local[table]).where(eq(local[table].id, id)).run(),
    count: async (table) => db.$count(local[table]),
    paidMinor: async (id) =>
      (database.sqlite
        .prepare('SELECT paid_minor FROM reservation_payments WHERE reservation_id = ?')
        .pluck()
        .get(id) as number | undefined) ?? null,
    exec: async (sql) => void database.sqlite.exec(sql),
    dispose: async () => database.dispose(),
  };
}

export async function openCentralDialect(): Promise<Dialect> {
  const database = await freshCentralDatabase();
  const db = database.db as unknown as import('drizzle-orm/node-postgres').NodePgDatabase<typeof central>;
  return {
    name: database.kind === 'postgres' ? 'Postgres' : 'PGlite',
    insert: async (table, row) => void (await db.insert(central[table]).values(row as never)),
    update: async (table, id, values) =>
      void (await db
        .update(central[table])
        .set(values as never)
        .where(eq(central[table].id, id))),
    remove: async (table, id) => void (await db.delete(central[table]).where(eq(central[table].id, id))),
    count: async (table) => db.$count(central[table]),
    paidMinor: async (id) => {
      const [row] = await database.query<{ paid: string }>(
        'SELECT paid_minor AS paid FROM reservation_payments WHERE reservation_id = $1',
        [id],
      );
      return row ? Number(row.paid) : null;
    },
    exec: async (sql) => void (await database.query(sql)),
    dispose: () => database.dispose(),
  };
}

export const DIALECTS = [
  ['SQLite', openSqliteDialect],
  ['central Postgres', openCentralDialect],
] as const;

/** The message of the error a promise rejects with, following drizzle's `cause` to the driver's. */
export async function rejection(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    const messages: string[] = [];
    for (let e: unknown = error; e instanceof Error; e = e.cause) messages.push(e.message);
    return messages.join(' <- ');
  }
  throw new Error('expected the operation to be refused, but it succeeded');
}
