// The access policy: one table of which role may run which operation, and one of which rows and
// columns each role may see. Main enforces it on every call; the sync server reads the same
// tables to decide what a device may receive and send. docs/access-policy.md shows it as a table.
import { FIELD_STAFF, type SignInRole } from './roles.js';

/**
 * all: every row. scoped: only rows in the role's scope (ROW_SCOPES). A role that is absent is
 * denied. Operations absent from this table are public (sign-in and first-run setup only).
 */
export type Access = 'all' | 'scoped';
type Grant = Partial<Record<SignInRole, Access>>;

const STAFF: Grant = { ADMIN: 'all', MANAGER: 'all' };
const OFFICE: Grant = { ...STAFF, AGENT: 'scoped' };
const EVERYONE: Grant = { ...OFFICE, OWNER: 'scoped', CLEANER: 'scoped', MAINTENANCE_STAFF: 'scoped' };
/** Anyone signed in, on every row: their own session, and reference data such as locations. */
const ANYONE: Grant = {
  ADMIN: 'all',
  MANAGER: 'all',
  AGENT: 'all',
  OWNER: 'all',
  CLEANER: 'all',
  MAINTENANCE_STAFF: 'all',
};

export const OPERATION_ACCESS = {
  'auth/sign-out': ANYONE,
  'auth/me': ANYONE,
  'auth/change-password': ANYONE,

  // Managers administer every user but admins (refined in the users service).
  'users/list': { ...OFFICE, OWNER: 'scoped' },
  'users/get': { ...OFFICE, OWNER: 'scoped' },
  'users/create': OFFICE,
  'users/update': OFFICE,
  'users/set-password': STAFF,
  'users/deactivate': STAFF,
  'users/delete': { ADMIN: 'all' },
  // A guest's page: their stays and money, read through the caller's own scopes.
  'guests/profile': OFFICE,

  'locations/list': ANYONE,
  'locations/get': ANYONE,
  'locations/create': STAFF,
  'locations/update': STAFF,

  'properties/list': EVERYONE,
  'properties/get': EVERYONE,
  'properties/overview': { ...OFFICE, OWNER: 'scoped' },
  'properties/create': STAFF,
  'properties/update': OFFICE,
  'properties/archive': STAFF,

  'reservations/list': { ...OFFICE, OWNER: 'scoped' },
  'reservations/get': { ...OFFICE, OWNER: 'scoped' },
  'reservations/create': OFFICE,
  'reservations/update': OFFICE,
  'reservations/set-status': OFFICE,
  'reservations/balance': { ...OFFICE, OWNER: 'scoped' },
  'reservations/check-dates': OFFICE,

  'tasks/list': { ...OFFICE, CLEANER: 'scoped', MAINTENANCE_STAFF: 'scoped' },
  'tasks/get': { ...OFFICE, CLEANER: 'scoped', MAINTENANCE_STAFF: 'scoped' },
  'tasks/create': OFFICE,
  'tasks/update': OFFICE,
  'tasks/assign': OFFICE,
  'tasks/assignees': OFFICE,
  // Field staff move their own tasks along (start, complete), nothing else.
  'tasks/set-status': { ...OFFICE, CLEANER: 'scoped', MAINTENANCE_STAFF: 'scoped' },
  'tasks/check-step': { ...OFFICE, CLEANER: 'scoped', MAINTENANCE_STAFF: 'scoped' },

  'ledger/list': { ...OFFICE, OWNER: 'scoped' },
  'ledger/record': OFFICE,
  'ledger/reverse': STAFF,

  // Finding free nights is part of booking them; the calendar shows what the reservation list would.
  'availability/search': OFFICE,
  'availability/calendar': { ...OFFICE, OWNER: 'scoped' },
  // Anyone signed in may search: each kind of record is searched only through a list the role may use.
  'search/everything': ANYONE,

  'finance/summary': { ...OFFICE, OWNER: 'scoped' },
  'finance/income-distribution': { ...OFFICE, OWNER: 'scoped' },
  'finance/kpis': { ...OFFICE, OWNER: 'scoped' },

  'audit/list': { ADMIN: 'all' },
  'audit/verify': { ADMIN: 'all' },

  'sample-data/load': { ADMIN: 'all' },

  // The installation: anyone may read About and reach the logs for support; IT-level changes are the admin's.
  'app/about': ANYONE,
  'app/settings': ANYONE,
  'app/update-settings': { ADMIN: 'all' },
  'app/open-folder': ANYONE,
  'app/diagnostics': ANYONE,
  'backups/list': STAFF,
  'backups/create': STAFF,
  'backups/export': { ADMIN: 'all' },
  'backups/restore': { ADMIN: 'all' },

  // Each user's sync status and conflicts are their own (a synced device holds one user's data).
  'sync/status': ANYONE,
  'sync/conflicts': ANYONE,
  'sync/resolve-conflict': ANYONE,
  'sync/upload-now': ANYONE,
} as const satisfies Record<string, Grant>;

export type GuardedOperation = keyof typeof OPERATION_ACCESS;

export function accessFor(operation: GuardedOperation, role: SignInRole): Access | null {
  const grant: Grant = OPERATION_ACCESS[operation];
  return grant[role] ?? null;
}

/**
 * Which rows of each table a role sees when its access is 'scoped'. Plain SQL that SQLite and
 * Postgres both accept, with `:me` standing for the signed-in user's id (always bound as a
 * parameter, never spliced). A role with no entry for a table sees none of its rows.
 */
export const ROW_SCOPES: Record<string, Partial<Record<SignInRole, string>>> = {
  properties: {
    AGENT: 'properties.agent_id = :me',
    OWNER: 'properties.owner_id = :me',
    CLEANER: 'properties.id IN (SELECT property_id FROM tasks WHERE assignee_id = :me)',
    MAINTENANCE_STAFF: 'properties.id IN (SELECT property_id FROM tasks WHERE assignee_id = :me)',
  },
  reservations: {
    AGENT: 'reservations.property_id IN (SELECT id FROM properties WHERE agent_id = :me)',
    OWNER: 'reservations.property_id IN (SELECT id FROM properties WHERE owner_id = :me)',
    // Only on their devices (SYNC_ONLY_READS), and only the columns of FIELD_STAFF_COLUMNS.
    CLEANER: 'reservations.property_id IN (SELECT property_id FROM tasks WHERE assignee_id = :me)',
    MAINTENANCE_STAFF: 'reservations.property_id IN (SELECT property_id FROM tasks WHERE assignee_id = :me)',
  },
  tasks: {
    AGENT: 'tasks.property_id IN (SELECT id FROM properties WHERE agent_id = :me)',
    CLEANER: 'tasks.assignee_id = :me',
    MAINTENANCE_STAFF: 'tasks.assignee_id = :me',
  },
  ledger_entries: {
    // Agents never see owner payouts; owners see the money of their own properties.
    AGENT:
      "ledger_entries.type <> 'OWNER_PAYOUT' AND ledger_entries.property_id IN (SELECT id FROM properties WHERE agent_id = :me)",
    OWNER: 'ledger_entries.property_id IN (SELECT id FROM properties WHERE owner_id = :me)',
  },
  users: {
    // An agent's guests are those who booked one of their properties; plus the staff they work with.
    AGENT:
      "users.id = :me OR (users.role = 'GUEST' AND users.id IN (SELECT guest_id FROM reservations WHERE property_id IN (SELECT id FROM properties WHERE agent_id = :me))) OR users.role IN ('CLEANER', 'MAINTENANCE_STAFF', 'OWNER')",
    OWNER: 'users.id = :me',
  },
};

/** Columns a role must never receive, by table. Field staff get an allowlist instead. */
export const HIDDEN_COLUMNS: Record<string, Partial<Record<SignInRole, readonly string[]>>> = {
  reservations: { OWNER: ['guest_email', 'guest_phone', 'notes'] },
  // Field staff never see money, not even what their own task costs.
  tasks: {
    CLEANER: ['cost_minor', 'estimated_cost_minor', 'currency'],
    MAINTENANCE_STAFF: ['cost_minor', 'estimated_cost_minor', 'currency'],
  },
};

/** The operational columns of a property that cleaners and maintenance staff need, and no more. */
export const FIELD_STAFF_PROPERTY_COLUMNS = [
  'id',
  'name',
  'nickname',
  'status',
  'type',
  'address',
  'location_id',
  'capacity',
  'bedrooms',
  'bathrooms',
  'access_notes',
  'house_rules',
  'amenities',
  'primary_image',
  'created_at',
  'updated_at',
] as const;

/**
 * Of a stay, what the person preparing the place needs: when the guests come and go and how many
 * they are. Never who they are, how to reach them, or what they pay.
 */
export const FIELD_STAFF_RESERVATION_COLUMNS = [
  'id',
  'property_id',
  'check_in',
  'check_out',
  'guests',
  'status',
  'created_at',
  'updated_at',
] as const;

/**
 * The columns field staff receive, by table: an allowlist, so a column added later stays hidden
 * from them until someone decides otherwise. Tables not named here follow HIDDEN_COLUMNS.
 */
export const FIELD_STAFF_COLUMNS: Partial<Record<string, readonly string[]>> = {
  properties: FIELD_STAFF_PROPERTY_COLUMNS,
  reservations: FIELD_STAFF_RESERVATION_COLUMNS,
};

/**
 * Tables a role's device receives although the role lists them through no operation. Field staff
 * prepare a place for its next guests, so their devices hold the stays at the properties they work
 * on (in their row scope, with FIELD_STAFF_COLUMNS only): a task page can then show the next
 * arrival offline. They still have no screen, search or operation that lists stays.
 */
export const SYNC_ONLY_READS: Partial<Record<string, Partial<Record<SignInRole, Access>>>> = {
  reservations: { CLEANER: 'scoped', MAINTENANCE_STAFF: 'scoped' },
};

/** Whether `column` of `table` reaches `role`: not hidden, and for field staff on their allowlist. */
export function columnVisible(table: string, role: SignInRole, column: string): boolean {
  if (HIDDEN_COLUMNS[table]?.[role]?.includes(column)) return false;
  const allowlist = (FIELD_STAFF as readonly string[]).includes(role) ? FIELD_STAFF_COLUMNS[table] : undefined;
  return allowlist ? allowlist.includes(column) : true;
}
