// What of a row a role may see: the policy's hidden columns, and for field staff only their
// allowlist (db/policy/access.ts), as the sync server's shapes send it.
import { getTableColumns } from 'drizzle-orm';
import { columnVisible, FIELD_STAFF_COLUMNS, HIDDEN_COLUMNS } from '../../db/policy/access.js';
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
for (const [table, columns] of Object.entries(FIELD_STAFF_COLUMNS)) {
  for (const column of columns ?? []) {
    if (!fieldOfColumn.get(table)?.has(column))
      throw new Error(`FIELD_STAFF_COLUMNS names ${table}.${column}, which does not exist`);
  }
}

/** The row without the fields `role` may not see; the fields are absent, not nulled. */
export function visibleRow<T extends object>(table: SyncedTableName, role: SignInRole, row: T): T {
  const hidden = hiddenFields(table, role);
  if (hidden.length === 0) return row;
  const copy = { ...row } as Record<string, unknown>;
  for (const field of hidden) delete copy[field];
  return copy as T;
}

const hiddenByTableAndRole = new Map<string, readonly string[]>();
function hiddenFields(table: SyncedTableName, role: SignInRole): readonly string[] {
  const key = `${table} ${role}`;
  let hidden = hiddenByTableAndRole.get(key);
  if (!hidden) {
    const columns = fieldOfColumn.get(table)!;
    hidden = [...columns].filter(([column]) => !columnVisible(table, role, column)).map(([, field]) => field);
    hiddenByTableAndRole.set(key, hidden);
  }
  return hidden;
}
