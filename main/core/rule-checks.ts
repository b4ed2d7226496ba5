// The rulebook (db/rules) as the desktop runs it: inside the transaction of every change, around
// each row it writes. The sync server runs the same rules around the same writes.
import type Database from 'better-sqlite3';
import {
  CHANGE_RULES,
  changeRefusal,
  firstBroken,
  inDialect,
  proposedParams,
  ROW_RULES,
  rowCheck,
  rowRefusal,
  ruleParams,
  type Refusal,
  type Row,
  type RuleActor,
  type WriteKind,
} from '../../db/rules/index.js';
import type { SyncedTableName } from './synced-tables.js';
import { AppError } from './errors.js';

export class RuleChecks {
  readonly #statements = new Map<string, Database.Statement>();

  constructor(private readonly sqlite: Database.Database) {}

  /**
   * Before a row is written: the change rules (who may make this change, state machines) and the
   * row rules that look at the proposed row. `actor` is null for the app's own writes (first-run
   * setup), which answer to the row rules alone.
   */
  before(
    table: SyncedTableName,
    kind: WriteKind,
    change: { before: Row | null; after: Row | null; changed: readonly string[] },
    actor: RuleActor | null,
    now: Date,
  ): void {
    if (table === 'audit_log') return;
    if (actor) {
      const refusal = changeRefusal(CHANGE_RULES, table, { ...change, actor }, change.changed);
      if (refusal) throw appErrorOf(refusal);
    }
    if (kind !== 'delete') this.#rowRules(table, kind, 'before', change.after!, change.changed, actor, now);
  }

  /** Once the row is written: the row rules that look at it among the others. */
  after(
    table: SyncedTableName,
    kind: 'insert' | 'update',
    row: Row,
    changed: readonly string[],
    actor: RuleActor | null,
    now: Date,
  ): void {
    if (table === 'audit_log') return;
    this.#rowRules(table, kind, 'after', row, changed, actor, now);
  }

  #rowRules(
    table: SyncedTableName,
    kind: 'insert' | 'update',
    stage: 'before' | 'after',
    row: Row,
    changed: readonly string[],
    actor: RuleActor | null,
    now: Date,
  ): void {
    const check = rowCheck(ROW_RULES, table, kind, changed, stage);
    if (!check) return;
    const params = {
      ...ruleParams(actor ?? { id: '', role: 'ADMIN' }, now),
      ...(actor ? {} : { me: null, role: null }),
      row_id: row.id,
      ...(stage === 'before' ? proposedParams(row) : {}),
    };
    const run = (sql: string) => {
      const { text, values } = inDialect(sql, 'sqlite', params);
      return this.#statement(text).get(sqliteParams(text, values as Record<string, unknown>)) as Row | undefined;
    };
    const broken = firstBroken(check.rules, run(check.sql));
    if (!broken) return;
    throw appErrorOf(rowRefusal(broken, broken.facts ? (run(broken.facts) ?? {}) : {}, row));
  }

  #statement(sql: string): Database.Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.sqlite.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }
}

/** better-sqlite3 wants exactly the named parameters a statement uses, with values it can bind. */
function sqliteParams(sql: string, values: Record<string, unknown>): Record<string, unknown> {
  const used = new Set([...sql.matchAll(/@(\w+)/g)].map((m) => m[1]!));
  const bound: Record<string, unknown> = {};
  for (const name of used) {
    const value = values[name];
    bound[name] =
      value === undefined
        ? null
        : typeof value === 'boolean'
          ? Number(value)
          : typeof value === 'object' && value !== null
            ? JSON.stringify(value)
            : value;
  }
  return bound;
}

export function appErrorOf(refusal: Refusal): AppError {
  return new AppError(refusal.code, refusal.sentence, { [refusal.field]: refusal.fieldMessage });
}
