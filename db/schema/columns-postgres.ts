// Column helpers for the central (Postgres) schema. Each mirrors a helper in columns-sqlite.ts.
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  jsonb,
  text,
  timestamp as pgTimestamp,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import { sqlInList } from '../domain/enums.js';

export const id = () => text('id').primaryKey();

/** Instant as timestamptz, read and written as text so values stay exact across the wire. */
export const timestamp = (name: string) => pgTimestamp(name, { withTimezone: true, mode: 'string', precision: 3 });

export const createdAt = () => timestamp('created_at').notNull();
export const updatedAt = () => timestamp('updated_at').notNull();

export const calendarDate = (name: string) => date(name, { mode: 'string' });

/** bigint so that sums of large ledgers never overflow; read as a JS number (safe to 2^53). */
export const minorUnits = (name: string) => bigint(name, { mode: 'number' });

export const currency = (name = 'currency') => text(name);

export const bool = (name: string) => boolean(name);

export const stringList = (name: string) =>
  text(name)
    .array()
    .notNull()
    .default(sql`'{}'::text[]`);

export const json = <T>(name: string) => jsonb(name).$type<T>();

export const enumCheck = (name: string, column: AnyPgColumn, values: readonly string[]) =>
  check(name, sql`${column} in (${sql.raw(sqlInList(values))})`);

export const nonNegative = (name: string, column: AnyPgColumn) => check(name, sql`${column} >= 0`);
