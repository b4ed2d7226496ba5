// The tables whose rows travel between devices and the server. Device-only tables (credentials,
// outbox, sync state) are written directly and never recorded as changes.
import { getTableColumns } from 'drizzle-orm';
import * as local from '../../db/schema/sqlite.js';
import type { JsonObject } from '../../db/schema/json-types.js';

export const SYNCED_TABLES = {
  users: local.users,
  locations: local.locations,
  properties: local.properties,
  reservations: local.reservations,
  tasks: local.tasks,
  ledger_entries: local.ledgerEntries,
  audit_log: local.auditLog,
} as const;

export type SyncedTableName = keyof typeof SYNCED_TABLES;
export type SyncedTable = (typeof SYNCED_TABLES)[SyncedTableName];
export type RowOf<N extends SyncedTableName> = (typeof SYNCED_TABLES)[N]['$inferSelect'];
export type InsertOf<N extends SyncedTableName> = (typeof SYNCED_TABLES)[N]['$inferInsert'];

/** A row keyed by database column names (what a changeset carries), from one keyed by fields. */
export function toColumnValues(table: SyncedTableName, row: Record<string, unknown>): JsonObject {
  const values: JsonObject = {};
  for (const [field, column] of Object.entries(getTableColumns(SYNCED_TABLES[table]))) {
    if (field in row && row[field] !== undefined) values[column.name] = row[field] as JsonObject[string];
  }
  return values;
}
