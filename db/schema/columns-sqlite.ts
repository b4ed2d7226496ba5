// Column helpers for the local (SQLite) schema. Each mirrors a helper in columns-postgres.ts;
// the pair is what keeps the two dialects meaning the same thing.
import { sql, type SQL } from 'drizzle-orm';
import { check, integer, text, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import { sqlInList } from '../domain/enums.js';

/** UUIDv7 text primary key, generated where the row is created (see db/domain/ids.ts). */
export const id = () => text('id').primaryKey();

/** Instant as ISO-8601 UTC text (`2026-11-24T08:00:00.000Z`); sorts correctly as text. */
export const timestamp = (name: string) => text(name);

export const createdAt = () => timestamp('created_at').notNull();
export const updatedAt = () => timestamp('updated_at').notNull();

/** Calendar date `YYYY-MM-DD` (no time, no zone): check-in/check-out in the property's zone. */
export const calendarDate = (name: string) => text(name);

/** Money: an integer count of minor units. The currency sits in its own column beside it. */
export const minorUnits = (name: string) => integer(name);

/** ISO 4217 code. */
export const currency = (name = 'currency') => text(name);

export const bool = (name: string) => integer(name, { mode: 'boolean' });

/** A list of strings, JSON text here (a text[] in Postgres). */
export const stringList = (name: string) =>
  text(name, { mode: 'json' })
    .$type<string[]>()
    .notNull()
    .default(sql`'[]'`);

/** A JSON value, JSON text here (jsonb in Postgres). */
export const json = <T>(name: string) => text(name, { mode: 'json' }).$type<T>();

/** CHECK that a text column holds one of an enum's values. */
export const enumCheck = (name: string, column: AnySQLiteColumn, values: readonly string[]) =>
  check(name, sql`${column} in (${sql.raw(sqlInList(values))})`);

/** CHECK that a nullable or required integer column is not negative. */
export const nonNegative = (name: string, column: AnySQLiteColumn): ReturnType<typeof check> =>
  check(name, sql`${column} >= 0` as SQL);
