// Which synced tables a role may read: the grant of each table's read operation in the access
// policy (the sync server's shapes use the same operations). What a role may not read it does not
// hear about either: not in change events, not in a diagnostics bundle's counts.
import { accessFor, SYNC_ONLY_READS, type Access, type GuardedOperation } from './access.js';
import type { SignInRole } from './roles.js';
import { SYNCED_TABLE_NAMES, type SyncedTableName } from '../sync/protocol.js';

export const READ_OPERATION: Record<SyncedTableName, GuardedOperation> = {
  users: 'users/list',
  locations: 'locations/list',
  properties: 'properties/list',
  reservations: 'reservations/list',
  tasks: 'tasks/list',
  ledger_entries: 'ledger/list',
  audit_log: 'audit/list',
};

/** How `role` may read `table` on its device: through its read operation, or as a sync-only read. */
export function readAccess(table: SyncedTableName, role: SignInRole): Access | null {
  return accessFor(READ_OPERATION[table], role) ?? SYNC_ONLY_READS[table]?.[role] ?? null;
}

/**
 * The tables `role` lists through its operations, each with its access ('all' or only the rows in
 * its scope): what its screens can show. Sync-only reads are not among them.
 */
export function readableTables(role: SignInRole): Array<{ table: SyncedTableName; access: Access }> {
  return SYNCED_TABLE_NAMES.flatMap((table) => {
    const access = accessFor(READ_OPERATION[table], role);
    return access ? [{ table, access }] : [];
  });
}

/** Whether a change event's topic is for `role`: a table it may read, or its own sync status. */
export function mayHearOf(role: SignInRole, topic: SyncedTableName | 'sync'): boolean {
  return topic === 'sync' || readAccess(topic, role) !== null;
}
