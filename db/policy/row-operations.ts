// Which operation a row change amounts to: what a device's changeset asks of the server is
// granted (db/policy/access.ts) by the operation it amounts to, exactly as if the user had called
// that operation on the desktop. A table of columns, not a guess per table.
import type { SyncedTableName } from '../sync/protocol.js';
import type { GuardedOperation } from './access.js';

type Values = Record<string, unknown>;

interface TableOperations {
  insert: GuardedOperation | ((values: Values) => GuardedOperation);
  /** By changed column; '*' for every other column. */
  update?: Partial<Record<string, GuardedOperation>> & { '*': GuardedOperation };
  delete?: GuardedOperation;
}

/** Stamps the writer sets; they amount to no operation of their own. */
export const STAMP_COLUMNS: readonly string[] = ['created_at', 'updated_at'];

/** What anyone may set on their own user row with no grant: signing in stamps it. */
export const OWN_ROW_STAMPS: readonly string[] = ['last_login_at'];

export const ROW_OPERATIONS: Record<Exclude<SyncedTableName, 'audit_log'>, TableOperations> = {
  users: { insert: 'users/create', update: { '*': 'users/update' }, delete: 'users/delete' },
  locations: { insert: 'locations/create', update: { '*': 'locations/update' } },
  properties: {
    insert: 'properties/create',
    update: { archived_at: 'properties/archive', '*': 'properties/update' },
  },
  reservations: {
    insert: 'reservations/create',
    update: { status: 'reservations/set-status', '*': 'reservations/update' },
  },
  tasks: {
    insert: 'tasks/create',
    update: {
      status: 'tasks/set-status',
      completed_at: 'tasks/set-status',
      checklist_done: 'tasks/check-step',
      assignee_id: 'tasks/assign',
      '*': 'tasks/update',
    },
  },
  // A negative entry that refers to another undoes it: only reversals are written so.
  ledger_entries: {
    insert: (v) => (v.reference_entry_id && Number(v.amount_minor) < 0 ? 'ledger/reverse' : 'ledger/record'),
  },
};

/**
 * The operations a row change amounts to (none for a bare stamp of one's own sign-in), or null
 * when no operation changes the table that way (rows that are never deleted, the append-only ledger).
 */
export function operationsFor(
  table: Exclude<SyncedTableName, 'audit_log'>,
  kind: 'insert' | 'update' | 'delete',
  change: { values: Values; changed: readonly string[]; ownRow: boolean },
): GuardedOperation[] | null {
  const ops = ROW_OPERATIONS[table];
  if (kind === 'insert') return [typeof ops.insert === 'function' ? ops.insert(change.values) : ops.insert];
  if (kind === 'delete') return ops.delete ? [ops.delete] : null;
  if (!ops.update) return null;
  const columns = change.changed.filter((c) => !STAMP_COLUMNS.includes(c));
  // Signing in stamps one's own row: that alone is nobody's operation.
  if (change.ownRow && columns.length > 0 && columns.every((c) => OWN_ROW_STAMPS.includes(c))) return [];
  // A bare stamp is still an update of the row, granted and scoped as one.
  if (columns.length === 0) return [ops.update['*']];
  return [...new Set(columns.map((c) => ops.update![c] ?? ops.update!['*']))];
}

/** Every operation that may update the table: a role granted none of them is refused before any lookup. */
export function updateOperationsOf(table: Exclude<SyncedTableName, 'audit_log'>): GuardedOperation[] {
  const update = ROW_OPERATIONS[table].update;
  return update ? [...new Set(Object.values(update).filter((op): op is GuardedOperation => !!op))] : [];
}
