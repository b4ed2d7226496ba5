// One router for every call from the UI: identify the caller from main's session, check the
// policy, validate the input, run the operation, and answer {ok, value} or {ok: false, error}.
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { describeFieldErrors, fieldErrors } from '../../db/contracts/errors.js';
import { accessFor, OPERATION_ACCESS, type GuardedOperation } from '../../db/policy/access.js';
import { canSignIn } from '../../db/policy/roles.js';
import { users } from '../../db/schema/sqlite.js';
import { AppError, type Result } from './errors.js';
import { unlessTrailBroken } from './chain-keeper.js';
import { commitChange } from './changes.js';
import {
  scopeCondition,
  type CoreServices,
  type Operation,
  type OperationContext,
  type PublicContext,
  type PublicOperation,
} from './operation.js';
import { prepareOnce } from './queries.js';
import type { Identity } from './sessions.js';
import type { SyncedTableName } from './synced-tables.js';

// Operations are stored with their input types erased; `Contract` keeps them for callers.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyOperation = Operation<any, any> | PublicOperation<any, any>;
export type OperationMap = Record<string, AnyOperation>;

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/** Merges operation groups; a name defined twice is a programming error, caught at start. */
export function combineOperations<G extends OperationMap[]>(...groups: G): UnionToIntersection<G[number]> {
  const all: OperationMap = {};
  for (const group of groups) {
    for (const [name, op] of Object.entries(group)) {
      if (name in all) throw new Error(`Operation ${name} is defined twice`);
      all[name] = op;
    }
  }
  return all as UnionToIntersection<G[number]>;
}

/** What a change event names: tables whose rows changed, or 'sync' when the sync status did. */
export type ChangeTopic = SyncedTableName | 'sync';
export type ChangeListener = (tables: ChangeTopic[]) => void;

export class Router {
  constructor(
    private readonly services: CoreServices,
    private readonly operations: OperationMap,
    private readonly onChange: ChangeListener,
    /** Something waits to go to the sync server, screens or not: a refusal's audit row is only that. */
    private readonly onQueued: () => void = () => {},
  ) {
    for (const [name, op] of Object.entries(operations)) {
      if (!isPublic(op) && !(name in OPERATION_ACCESS)) {
        throw new Error(`Operation ${name} has no entry in the access policy (db/policy/access.ts)`);
      }
    }
  }

  get operationNames(): string[] {
    return Object.keys(this.operations);
  }

  /** `local`: the call runs against this database alone, not through the door to the sync server. */
  async call(
    callerId: string,
    name: string,
    input: unknown,
    options: { local?: boolean } = {},
  ): Promise<Result<unknown>> {
    const changed = new Set<SyncedTableName>();
    // A refusal's audit row is sent on, but no screen needs to hear of it: a screen whose query
    // is refused would ask again on hearing, and be refused again.
    const recorded = new Set<SyncedTableName>();
    try {
      const value = await this.#dispatch(callerId, name, input, changed, options.local === true);
      return { ok: true, value };
    } catch (error) {
      const refusal = this.#toAppError(name, error);
      if (refusal.code !== 'internal' && !refusal.recorded) this.#recordRefusal(callerId, name, refusal, recorded);
      return { ok: false, error: refusal.toData() };
    } finally {
      if (changed.size > 0) this.onChange([...changed]);
      if (changed.size > 0 || recorded.size > 0) this.onQueued();
    }
  }

  async #dispatch(
    callerId: string,
    name: string,
    rawInput: unknown,
    changed: Set<SyncedTableName>,
    local: boolean,
  ): Promise<unknown> {
    const op = Object.hasOwn(this.operations, name) ? this.operations[name] : undefined;
    if (!op) throw new AppError('not_found', `There is no operation called ${JSON.stringify(name)}.`);
    const identity = this.#currentIdentity(callerId);
    const base: PublicContext = {
      ...this.services,
      ...(local ? { door: () => undefined } : {}),
      callerId,
      identity,
      change: (work, as = identity) => {
        const actor = { id: as?.userId ?? null, role: as?.role ?? null };
        const result = commitChange(
          this.services.sqlite,
          this.services.db,
          this.services.deviceId,
          actor,
          name,
          this.#nowIso(),
          work,
          { rules: this.services.rules, base: this.services.syncBase },
        );
        result.tables.forEach((t) => changed.add(t));
        return result.value;
      },
    };
    if (isPublic(op)) return op.run(base, parse(op.input, rawInput));

    if (!identity) throw new AppError('unauthenticated', 'Please sign in first.');
    const access = accessFor(name as GuardedOperation, identity.role);
    if (!access) {
      base.change((w) => w.audit({ action: 'access.denied', entityType: 'operation', entityId: name }));
      throw new AppError('forbidden', `Your role (${identity.role}) may not use ${name}.`).alreadyRecorded();
    }
    const ctx: OperationContext = {
      ...base,
      identity,
      access,
      scope: (table) => scopeCondition(table, identity, access),
    };
    return (op as Operation<z.ZodType, unknown>).run(ctx, parse(op.input, rawInput));
  }

  /**
   * Every refusal leaves its audit row, and only that: whatever the refused call had begun was
   * rolled back with its transaction, and this is a transaction of its own. A trail that has been
   * tampered with takes no more rows; that is recorded outside the database already. The row is
   * sent to the sync server like any change (see onQueued).
   */
  #recordRefusal(callerId: string, name: string, refusal: AppError, changed: Set<SyncedTableName>): void {
    const identity = this.services.sessions.get(callerId);
    unlessTrailBroken(() => {
      const result = commitChange(
        this.services.sqlite,
        this.services.db,
        this.services.deviceId,
        { id: identity?.userId ?? null, role: identity?.role ?? null },
        name,
        this.#nowIso(),
        (w) =>
          w.audit({
            action: 'call.refused',
            entityType: 'operation',
            entityId: name,
            after: {
              code: refusal.code,
              message: refusal.message,
              ...(refusal.fields ? { fields: refusal.fields } : {}),
            },
          }),
      );
      result.tables.forEach((t) => changed.add(t));
    });
  }

  /**
   * The caller's identity as the database has it now: a user demoted, deactivated or deleted
   * since signing in loses the old rights on their very next call, in every open window.
   */
  #currentIdentity(callerId: string): Identity | undefined {
    const session = this.services.sessions.get(callerId);
    if (!session) return undefined;
    const { db } = this.services;
    const user = prepareOnce(db, 'router identity', () =>
      db
        .select({ role: users.role, status: users.status })
        .from(users)
        .where(eq(users.id, sql.placeholder('id')))
        .prepare(),
    ).get({ id: session.userId });
    if (!user || user.status === 'INACTIVE' || user.status === 'SUSPENDED' || !canSignIn(user.role)) {
      this.services.sessions.endAllFor(session.userId);
      return undefined;
    }
    if (user.role === session.role) return session;
    const current = { ...session, role: user.role };
    this.services.sessions.bind(callerId, current);
    return current;
  }

  #nowIso(): string {
    return this.services.now().toISOString();
  }

  #toAppError(name: string, error: unknown): AppError {
    if (error instanceof AppError) return error;
    const message = error instanceof Error ? error.message : String(error);
    const code = (error as { code?: string }).code ?? '';
    if (message.includes('reservations_no_overlap')) {
      return new AppError('conflict', 'The property already has an active reservation for some of these nights.');
    }
    if (code === 'SQLITE_CONSTRAINT_UNIQUE')
      return new AppError('conflict', `That value is already taken (${message}).`);
    if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
      return new AppError('validation', 'A referenced record does not exist (or is still referenced elsewhere).');
    }
    if (code.startsWith('SQLITE_CONSTRAINT'))
      return new AppError('validation', `The data breaks a rule of the database: ${message}`);
    this.services.logger.error(`Operation ${name} failed`, { error: error instanceof Error ? error.stack : message });
    return new AppError('internal', 'Something went wrong; the details are in the log.');
  }
}

function parse<I>(schema: z.ZodType<I>, input: unknown): I {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields = fieldErrors(result.error);
  throw new AppError('validation', describeFieldErrors(fields), fields);
}

function isPublic(op: AnyOperation): op is PublicOperation<z.ZodType, unknown> {
  return 'public' in op && op.public === true;
}
