// Small query helpers every operation group uses.
import { and, eq, gt, lt, or, sql, type SQL } from 'drizzle-orm';
import type { LocalDb } from '../../db/local-database.js';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { z } from 'zod';
import { invalid, notFound } from './errors.js';
import { scopeCondition, type OperationContext } from './operation.js';
import { SYNCED_TABLES, type RowOf, type SyncedTableName } from './synced-tables.js';

/** The row with this id if the caller's scope includes it; otherwise not_found (never "forbidden": that would confirm it exists). */
export function findInScope<N extends SyncedTableName>(
  ctx: OperationContext,
  table: N,
  id: string,
  label: string,
): RowOf<N> {
  const { role } = ctx.identity;
  const query = prepareOnce(ctx.db, `find ${table} ${role} ${ctx.access}`, () => {
    const t = SYNCED_TABLES[table];
    const scope = scopeCondition(table, ctx.identity, ctx.access, sql.placeholder('me'));
    return ctx.db
      .select()
      .from(t)
      .where(and(eq(t.id, sql.placeholder('id')), scope))
      .prepare();
  });
  const row = query.get({ id, me: ctx.identity.userId });
  if (!row) throw notFound(label);
  return row as RowOf<N>;
}

const preparedByDatabase = new WeakMap<LocalDb, Map<string, unknown>>();

/**
 * A query built and prepared once per database, then run with placeholders. Building a query
 * costs about ten times what running a prepared one does, so hot paths prepare theirs.
 */
export function prepareOnce<T>(db: LocalDb, key: string, build: () => T): T {
  let cache = preparedByDatabase.get(db);
  if (!cache) preparedByDatabase.set(db, (cache = new Map()));
  if (!cache.has(key)) cache.set(key, build());
  return cache.get(key) as T;
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
