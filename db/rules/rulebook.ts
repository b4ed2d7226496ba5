// The rules every row must keep, written once and run by both ends: the desktop inside the
// transaction of each change it makes (main/core/changes.ts), the sync server inside the
// transaction of each changeset it applies (sync-server/changes/apply-op.ts). A rule cannot exist
// on one side only, because neither side has rules of its own.
//
// Two kinds:
// - a row rule is SQL over the row as written (`r`), checked against the other rows of the same
//   database; the SQL is the subset SQLite and Postgres share (no `::` casts, no date arithmetic:
//   what needs it comes in as a parameter). It runs on insert, and on update when a column it
//   watches changes. Its message may draw on facts read by a second query (the clashing stay).
// - a change rule is a pure function of the row before and after and of who makes the change:
//   state machines, columns that never change, what a role may set.
//
// Rows are keyed by column, as the databases and changesets name them.
import { latestStay, STAY_HORIZON_YEARS } from '../domain/reservation-states.js';
import type { SignInRole } from '../policy/roles.js';
import type { SyncedTableName } from '../sync/protocol.js';

export type Row = Record<string, unknown>;
export type RuleCode = 'validation' | 'conflict' | 'forbidden';

export interface RuleActor {
  id: string;
  role: SignInRole;
}

interface RuleBase {
  /** Stable name, e.g. "reservations.no-overlap": tests and logs refer to it. */
  id: string;
  table: SyncedTableName;
  /** The form field the refusal belongs to (the contracts' name for it) and its label in words. */
  field: string;
  label: string;
  code: RuleCode;
  /** Checked on insert (default yes), on update when one of these columns changes, on delete if asked. */
  columns: readonly string[];
  onInsert?: boolean;
  onUpdate?: boolean;
  onDelete?: boolean;
}

export interface RowRule extends RuleBase {
  /**
   * 'after' (the default): checked once the row is written, over `r`. 'before': checked before the
   * write, over the proposed row given as `:r_<column>` parameters — for what the database itself
   * also forbids (two stays overlapping), so the refusal can still name what stands in the way.
   */
  stage?: 'before' | 'after';
  /** True when the row is acceptable: SQL with :me, :role, :today, :latest_stay parameters. */
  holds: string;
  /** A query for one row of facts the message draws on (`:row_id` names the row; same parameters). */
  facts?: string;
  /**
   * What is wrong: a phrase after the field ("must be at most 2, the capacity of Rua Augusta 12")
   * for validation, a whole sentence for a conflict or a refusal.
   */
  message: string | ((facts: Row, row: Row) => string);
}

export interface Change {
  /** null for an insert. */
  before: Row | null;
  /** null for a delete. */
  after: Row | null;
  actor: RuleActor;
}

export interface ChangeRule extends RuleBase {
  /** Why this change is refused, or null. */
  refuse(change: Change): string | null;
}

export interface Refusal {
  rule: RuleBase;
  code: RuleCode;
  field: string;
  /** The phrase for the field (validation) or the sentence (conflict, forbidden). */
  fieldMessage: string;
  /** A whole sentence a person can act on, wherever it is shown without its form. */
  sentence: string;
}

export function refusalOf(rule: RuleBase, text: string): Refusal {
  const sentence = rule.code === 'validation' ? `${rule.label} ${text}.` : text;
  return { rule, code: rule.code, field: rule.field, fieldMessage: text, sentence };
}

/** The values rules may use besides the row: who acts, and the day. */
export interface RuleParams {
  me: string;
  role: string;
  /** Today (UTC), YYYY-MM-DD. */
  today: string;
  /** The latest check-out a booking may have: stays are taken at most three years ahead. */
  latest_stay: string;
}

export { STAY_HORIZON_YEARS };

export function ruleParams(actor: RuleActor, now: Date): RuleParams {
  const today = now.toISOString().slice(0, 10);
  return { me: actor.id, role: actor.role, today, latest_stay: latestStay(now) };
}

/**
 * A row rule's SQL in a dialect: `:name` parameters become `@name` (SQLite) or `$n` (Postgres).
 * Postgres types a parameter by where it is first used, so a proposed row's values (`:r_<column>`)
 * are cast to their column's type (`columnTypes`), whatever they are compared with.
 */
export function inDialect(
  sql: string,
  dialect: 'sqlite' | 'postgres',
  params: Record<string, unknown>,
  columnTypes: Record<string, string> = {},
): { text: string; values: unknown[] | Record<string, unknown> } {
  if (dialect === 'sqlite') return { text: sql.replace(/:(\w+)/g, '@$1'), values: params };
  const names: string[] = [];
  const text = sql.replace(/:(\w+)/g, (_, name: string) => {
    let index = names.indexOf(name);
    if (index < 0) index = names.push(name) - 1;
    const type = name.startsWith('r_') ? columnTypes[name.slice(2)] : undefined;
    return type ? `CAST($${index + 1} AS ${type})` : `$${index + 1}`;
  });
  return { text, values: names.map((name) => params[name]) };
}

export type WriteKind = 'insert' | 'update' | 'delete';

const applies = (rule: RuleBase, kind: WriteKind, changed: readonly string[]) =>
  kind === 'insert'
    ? rule.onInsert !== false
    : kind === 'delete'
      ? rule.onDelete === true
      : rule.onUpdate !== false && rule.columns.some((c) => changed.includes(c));

/**
 * The row rules a write must be checked against at one stage, and the one query that checks them
 * all: a row of `ok0`, `ok1`… each 1 when its rule holds.
 */
export function rowCheck(
  rules: readonly RowRule[],
  table: SyncedTableName,
  kind: 'insert' | 'update',
  changed: readonly string[],
  stage: 'before' | 'after',
): { rules: RowRule[]; sql: string } | null {
  const due = rules.filter(
    (rule) => rule.table === table && (rule.stage ?? 'after') === stage && applies(rule, kind, changed),
  );
  if (due.length === 0) return null;
  const checks = due.map((rule, i) => `CASE WHEN (${rule.holds}) THEN 1 ELSE 0 END AS ok${i}`).join(', ');
  const from = stage === 'after' ? ` FROM "${table}" r WHERE r.id = :row_id` : '';
  return { rules: due, sql: `SELECT ${checks}${from}` };
}

/** The proposed row as the `:r_<column>` parameters of 'before' rules. */
export function proposedParams(row: Row): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([column, value]) => [`r_${column}`, value]));
}

/** The first rule the checked row breaks. */
export function firstBroken(rules: readonly RowRule[], answer: Row | undefined): RowRule | null {
  return rules.find((_, i) => Number(answer?.[`ok${i}`]) !== 1) ?? null;
}

/** A facts query that reads columns of the row itself and of what it points at. */
export const factsOfRow = (table: SyncedTableName, select: string) =>
  `SELECT ${select} FROM "${table}" r WHERE r.id = :row_id`;

export function rowRefusal(rule: RowRule, facts: Row, row: Row): Refusal {
  return refusalOf(rule, typeof rule.message === 'string' ? rule.message : rule.message(facts, row));
}

/** The first change rule this write breaks. */
export function changeRefusal(
  rules: readonly ChangeRule[],
  table: SyncedTableName,
  change: Change,
  changed: readonly string[],
): Refusal | null {
  const kind: WriteKind = !change.before ? 'insert' : !change.after ? 'delete' : 'update';
  for (const rule of rules) {
    if (rule.table !== table || !applies(rule, kind, changed)) continue;
    const refused = rule.refuse(change);
    if (refused) return refusalOf(rule, refused);
  }
  return null;
}
