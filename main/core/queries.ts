// Small query helpers every operation group uses.
import { and, eq, gt, lt, or, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { z } from 'zod';
import { invalid, notFound } from './errors.js';
import type { OperationContext } from './operation.js';
import { SYNCED_TABLES, type RowOf, type SyncedTableName } from './synced-tables.js';

/** The row with this id if the caller's scope includes it; otherwise not_found (never "forbidden": that would confirm it exists). */
export function findInScope<N extends SyncedTableName>(
  ctx: OperationContext,
  table: N,
  id: string,
  label: string,
): RowOf<N> {
  const t = SYNCED_TABLES[table];
  const row = ctx.db
    .select()
    .from(t)
    .where(and(eq(t.id, id), ctx.scope(table)))
    .get();
  if (!row) throw notFound(label);
  return row as RowOf<N>;
}

/** Keyset pagination cursors: the sort values of the last row seen, opaque to the caller. */
export function encodeCursor(values: readonly (string | number | null)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string): (string | number | null)[] | null {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return Array.isArray(values) && values.every((v) => v === null || ['string', 'number'].includes(typeof v))
      ? (values as (string | number | null)[])
      : null;
  } catch {
    return null;
  }
}

/**
 * Rows after a page's last row in (sort column, id) order: the keyset condition that keeps every
 * page as fast as the first. The cursor must come from `encodeCursor([sortValue, id])`.
 */
export function afterCursor(
  cursor: string | undefined,
  column: SQLiteColumn,
  idColumn: SQLiteColumn,
  order: 'asc' | 'desc',
): SQL | undefined {
  if (cursor === undefined) return undefined;
  const values = decodeCursor(cursor);
  const [value, lastId] = values ?? [];
  if (values?.length !== 2 || value === null || value === undefined || typeof lastId !== 'string') {
    throw invalid('cursor', 'is not a cursor from a previous page');
  }
  const beyond = order === 'asc' ? gt : lt;
  return or(beyond(column, value), and(eq(column, value), beyond(idColumn, lastId)));
}

export const pageSize = () =>
  z
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(200, 'must be at most 200')
    .default(50);

/** LIKE pattern for a search term, with LIKE's own wildcards taken literally (ESCAPE '\'). */
export function likePattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The single value a query returns (a count, a sum), or the fallback when it returns nothing. */
export function scalar<T>(ctx: Pick<OperationContext, 'db'>, query: SQL, fallback: T): T {
  const value = ctx.db.values<[T | null]>(query)[0]?.[0];
  return value ?? fallback;
}
