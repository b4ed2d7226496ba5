// How rows must fit together, checked on the server as the desktop's operations check them
// (main/operations/*): who may be a property's agent, a stay's currency and size, a task's
// reservation, where a ledger entry belongs and how much of a payment may be refunded. Each rule
// is SQL over the row as written (`r`), run inside the changeset's transaction; a rule is checked
// when a row is inserted or one of its columns changes.
import type { Query } from '../../db/central-database.js';
import { quoteIdent, type SyncedTableName } from '../tables.js';

interface RowRule {
  /** The column named in the refusal; the rule runs when any of `columns` changes. */
  column: string;
  columns: readonly string[];
  holds: string;
  message: string;
}

const userHasRole = (column: string, roles: string[], activeOnly = false) =>
  `r.${column} IS NULL OR EXISTS (SELECT 1 FROM users u WHERE u.id = r.${column} AND u.role IN (${roles
    .map((role) => `'${role}'`)
    .join(', ')})${activeOnly ? ` AND u.status = 'ACTIVE'` : ''})`;

/** Completed refunds of payment `p`, net of the refunds that were themselves reversed. */
const refundedSoFar = (payment: string) =>
  `(SELECT coalesce(sum(x.amount_minor), 0) FROM ledger_entries x
    WHERE x.status = 'COMPLETED' AND x.type = 'REFUND'
      AND (x.reference_entry_id = ${payment}
        OR x.reference_entry_id IN (SELECT y.id FROM ledger_entries y WHERE y.reference_entry_id = ${payment} AND y.type = 'REFUND')))`;

const ROW_RULES: Partial<Record<SyncedTableName, RowRule[]>> = {
  properties: [
    {
      column: 'owner_id',
      columns: ['owner_id'],
      holds: userHasRole('owner_id', ['OWNER']),
      message: 'must be the id of an owner',
    },
    {
      column: 'agent_id',
      columns: ['agent_id'],
      holds: userHasRole('agent_id', ['AGENT']),
      message: 'must be the id of an agent',
    },
  ],
  reservations: [
    {
      column: 'guest_id',
      columns: ['guest_id'],
      holds: `EXISTS (SELECT 1 FROM users u WHERE u.id = r.guest_id AND u.role = 'GUEST')`,
      message: 'must be the id of a guest',
    },
    {
      column: 'agent_id',
      columns: ['agent_id'],
      holds: userHasRole('agent_id', ['AGENT', 'MANAGER', 'ADMIN']),
      message: 'must be an agent, manager or administrator',
    },
    {
      column: 'currency',
      columns: ['currency'],
      holds: `r.currency = (SELECT p.currency FROM properties p WHERE p.id = r.property_id)`,
      message: 'must be the currency of the property',
    },
    {
      column: 'guests',
      columns: ['guests'],
      holds: `r.guests <= (SELECT p.capacity FROM properties p WHERE p.id = r.property_id)`,
      message: 'must be at most the capacity of the property',
    },
  ],
  tasks: [
    {
      column: 'assignee_id',
      columns: ['assignee_id'],
      holds: userHasRole('assignee_id', ['CLEANER', 'MAINTENANCE_STAFF', 'AGENT', 'MANAGER'], true),
      message: 'must be an active cleaner, maintenance staff member, agent or manager',
    },
    {
      column: 'reservation_id',
      columns: ['reservation_id'],
      holds: `r.reservation_id IS NULL OR (SELECT v.property_id FROM reservations v WHERE v.id = r.reservation_id) = r.property_id`,
      message: 'must be a reservation of the task’s property',
    },
  ],
  ledger_entries: [
    {
      column: 'property_id',
      columns: ['property_id', 'reservation_id'],
      holds: `r.reservation_id IS NULL OR r.property_id IS NULL
        OR r.property_id = (SELECT v.property_id FROM reservations v WHERE v.id = r.reservation_id)`,
      message: 'must be the property of the reservation',
    },
    {
      column: 'task_id',
      columns: ['task_id'],
      holds: `r.task_id IS NULL OR r.property_id IS NULL OR (SELECT t.property_id FROM tasks t WHERE t.id = r.task_id) = r.property_id`,
      message: 'must be a task of the same property',
    },
    {
      column: 'currency',
      columns: ['currency', 'reservation_id'],
      holds: `r.reservation_id IS NULL OR r.currency = (SELECT v.currency FROM reservations v WHERE v.id = r.reservation_id)`,
      message: 'must be the currency of the booking',
    },
    {
      column: 'reference_entry_id',
      columns: ['reference_entry_id'],
      holds: `r.type <> 'REFUND' OR r.reference_entry_id IS NULL OR r.amount_minor < 0 OR EXISTS (
        SELECT 1 FROM ledger_entries p WHERE p.id = r.reference_entry_id
          AND p.type = 'GUEST_PAYMENT' AND p.status = 'COMPLETED' AND p.amount_minor > 0)`,
      message: 'must be a completed guest payment',
    },
    {
      column: 'reservation_id',
      columns: ['reference_entry_id', 'reservation_id', 'property_id'],
      holds: `r.type <> 'REFUND' OR r.reference_entry_id IS NULL OR r.amount_minor < 0 OR EXISTS (
        SELECT 1 FROM ledger_entries p WHERE p.id = r.reference_entry_id
          AND p.reservation_id IS NOT DISTINCT FROM r.reservation_id AND p.property_id IS NOT DISTINCT FROM r.property_id)`,
      message: 'must be those of the payment being refunded (a refund belongs where its payment does)',
    },
    {
      column: 'amount_minor',
      columns: ['amount_minor', 'reference_entry_id'],
      holds: `r.type <> 'REFUND' OR r.reference_entry_id IS NULL OR r.amount_minor < 0
        OR ${refundedSoFar('r.reference_entry_id')} <= (SELECT p.amount_minor FROM ledger_entries p WHERE p.id = r.reference_entry_id)`,
      message: 'is more than what is left of that payment to refund',
    },
  ],
};

/** The first rule the row breaks (as the message a person reads), or null. */
export async function brokenRowRule(
  query: Query,
  table: SyncedTableName,
  rowId: string,
  changed: readonly string[] | 'all',
): Promise<{ column: string; message: string } | null> {
  const rules = (ROW_RULES[table] ?? []).filter(
    (rule) => changed === 'all' || rule.columns.some((c) => changed.includes(c)),
  );
  if (rules.length === 0) return null;
  const [row] = await query<Record<string, boolean>>(
    `SELECT ${rules.map((rule, i) => `coalesce((${rule.holds}), false) AS ok${i}`).join(', ')}
     FROM ${quoteIdent(table)} r WHERE r.id = $1`,
    [rowId],
  );
  const broken = rules.find((_, i) => row?.[`ok${i}`] !== true);
  return broken ? { column: broken.column, message: broken.message } : null;
}
