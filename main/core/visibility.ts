// What of a row a role may see: the policy's hidden columns (db/policy/access.ts) removed.
import { getTableColumns } from 'drizzle-orm';
import { HIDDEN_COLUMNS } from '../../db/policy/access.js';
import type { SignInRole } from '../../db/policy/roles.js';
import { SYNCED_TABLES, type SyncedTableName } from './synced-tables.js';

const fieldOfColumn = new Map(
  Object.entries(SYNCED_TABLES).map(([table, t]) => [
    table,
    new Map(Object.entries(getTableColumns(t)).map(([field, column]) => [column.name, field])),
  ]),
);

// A policy naming a column that does not exist would silently hide nothing: fail at start instead.
for (const [table, byRole] of Object.entries(HIDDEN_COLUMNS)) {
  for (const column of Object.values(byRole).flat()) {
    if (!fieldOfColumn.get(table)?.has(column!))
      throw new Error(`HIDDEN_COLUMNS names ${table}.${column}, which does not exist`);
  }
}

/** The row without the fields `role` may not see; the fields are absent, not nulled. */
export function visibleRow<T extends object>(table: SyncedTableName, role: SignInRole, row: T): T {
  const hidden = HIDDEN_COLUMNS[table]?.[role];
  if (!hidden || hidden.length === 0) return row;
  const copy = { ...row } as Record<string, unknown>;
  for (const column of hidden) delete copy[fieldOfColumn.get(table)!.get(column)!];
  return copy as T;
}
