// A refused change, in words: which record it was, what was attempted on it, and the row the server
// has now. Changesets carry rows by column name (check_in, total_minor); people read "Ana Ribeiro,
// 10 Jan 2027 → 15 Jan 2027, €480.00".
import type { OutputOf } from '../../main/contract.js';
import { formatDate, formatInstant, label, money } from '../format.js';

export type Conflict = OutputOf<'sync/conflicts'>[number];
export type AttemptedOp = Conflict['attempted'][number];
type Row = Record<string, unknown>;

const NOUNS: Record<string, string> = {
  users: 'person',
  locations: 'location',
  properties: 'property',
  reservations: 'reservation',
  tasks: 'task',
  ledger_entries: 'ledger entry',
  audit_log: 'audit entry',
};

export const nounOf = (table: string) => NOUNS[table] ?? table.replaceAll('_', ' ');

const VERBS: Record<AttemptedOp['op'], string> = { insert: 'New', update: 'Changed', delete: 'Deleted' };

/** "New reservation", "Changed property", "Deleted task". */
export const opTitle = (op: AttemptedOp) => `${VERBS[op.op]} ${nounOf(op.table)}`;

const text = (value: unknown): string | null =>
  value === null || value === undefined || value === '' ? null : String(value);
const num = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
const joined = (...parts: Array<string | null>) => parts.filter(Boolean).join(' ');
const stay = (row: Row) =>
  row.check_in || row.check_out ? `${formatDate(text(row.check_in))} → ${formatDate(text(row.check_out))}` : null;
const amount = (row: Row, column: string) =>
  num(row[column]) === null ? null : money(num(row[column]), text(row.currency));

/** What a summary may add that the row alone does not say: the name of its property. */
export interface Context {
  propertyName?: string | null;
}

/** The few facts that say which record a whole row is, per table. */
const SUMMARIES: Record<string, (row: Row, context: Context) => Array<string | null>> = {
  reservations: (row, { propertyName }) => [
    joined(text(row.guest_name), propertyName ? `at ${propertyName}` : null),
    stay(row),
    num(row.guests) === null ? null : `${num(row.guests)} guests`,
    amount(row, 'total_minor'),
    row.status ? label(text(row.status)) : null,
  ],
  properties: (row) => [text(row.name), text(row.address), amount(row, 'price_per_night_minor')],
  locations: (row) => [text(row.name), joined(text(row.city), text(row.country) && `(${text(row.country)})`)],
  tasks: (row, { propertyName }) => [
    joined(text(row.title), propertyName ? `at ${propertyName}` : null),
    row.type ? label(text(row.type)) : null,
    row.scheduled_at ? formatInstant(text(row.scheduled_at)) : null,
    row.status ? label(text(row.status)) : null,
  ],
  users: (row) => [
    joined(text(row.first_name), text(row.last_name)),
    text(row.email),
    row.role ? label(text(row.role)) : null,
  ],
  ledger_entries: (row) => [
    row.type ? label(text(row.type)) : null,
    amount(row, 'amount_minor'),
    text(row.category),
    text(row.description),
  ],
};

/** Bookkeeping columns and ids: true, but they tell a person nothing. */
const HIDDEN = /^(id|created_at|updated_at|deleted_at|password_hash)$|_id$/;

const columnLabel = (column: string) => label(column.replace(/_minor$/, '').toUpperCase());

function valueText(column: string, value: unknown, currency: string | null): string {
  if (value === null || value === undefined || value === '') return '—';
  if (column.endsWith('_minor')) return currency ? money(Number(value), currency) : String(value);
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return formatDate(value);
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) return formatInstant(value);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** One line that says which record a row is: "Ana Ribeiro · 10 Jan 2027 → 15 Jan 2027 · €480.00". */
export function rowSummary(table: string, row: Row, context: Context = {}): string {
  const known = SUMMARIES[table]?.(row, context).filter((part): part is string => Boolean(part)) ?? [];
  if (known.length > 0) return known.join(' · ');
  return Object.entries(row)
    .filter(([column]) => !HIDDEN.test(column))
    .slice(0, 4)
    .map(([column, value]) => `${columnLabel(column)}: ${valueText(column, value, text(row.currency))}`)
    .join(' · ');
}

/** The fields a change sets, each as "Label: value" (ids and bookkeeping left out). */
export function changedFields(op: AttemptedOp, serverRow: Row | undefined): string[] {
  const values = (op.values ?? {}) as Row;
  const currency = text(values.currency) ?? text(serverRow?.currency);
  return Object.entries(values)
    .filter(([column]) => !HIDDEN.test(column))
    .map(([column, value]) => `${columnLabel(column)}: ${valueText(column, value, currency)}`);
}

/** What a change attempted, in one line: the new row's summary, the changed fields, or the row deleted. */
export function attemptedSummary(op: AttemptedOp, serverRow: Row | undefined, context: Context = {}): string {
  if (op.op === 'insert') return rowSummary(op.table, (op.values ?? {}) as Row, context);
  if (op.op === 'delete')
    return serverRow ? rowSummary(op.table, serverRow, context) : 'A record no longer on the server';
  const fields = changedFields(op, serverRow);
  return fields.length > 0 ? fields.join(' · ') : 'Only its bookkeeping';
}

/** The property a change concerns, if it names one (a stay's, a task's). */
export function propertyIdOf(op: AttemptedOp, serverRow: Row | undefined): string | null {
  if (op.table === 'properties') return null;
  return text((op.values as Row | undefined)?.property_id) ?? text(serverRow?.property_id);
}

/**
 * The server's reason without the changeset's bookkeeping: "ops[0] (insert reservations 01…): the
 * property is already booked…" reads "The property is already booked…".
 */
export function refusalText(message: string): string {
  const reason = message.replace(/^ops\[\d+\](?: \([^)]*\))?: /, '');
  return reason.charAt(0).toUpperCase() + reason.slice(1);
}

/** The server's row for an attempted op, if the server has it (and this user may see it). */
export const serverRowFor = (conflict: Conflict, op: AttemptedOp): Row | undefined =>
  (conflict.serverRows as Row[]).find((row) => row.id === op.id);
