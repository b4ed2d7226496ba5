// How an operation is declared: its input contract and what it does. Access is not declared here:
// the router looks it up in db/policy/access.ts, the one table every role rule lives in.
import type Database from 'better-sqlite3';
import { sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { DeviceAnchor } from '../../db/sync/protocol.js';
import type { LocalDb } from '../../db/local-database.js';
import { ROW_SCOPES, type Access } from '../../db/policy/access.js';
import type { AppEnvironment } from '../app-environment.js';
import type { ChangeWriter } from './changes.js';
import type { Logger } from './logger.js';
import type { Identity, Sessions } from './sessions.js';
import type { SyncBase } from '../sync/sync-base.js';
import type { RuleChecks } from './rule-checks.js';
import type { SyncEngine } from '../sync/sync-engine.js';

/**
 * The door of a computer that works with a sync server (main/desktop.ts): signing in there opens
 * the person's own database, and the window works in it from then on.
 */
export interface Door {
  /** The server's address, as configured. */
  readonly url: string;
  /** Signs the caller in with the server (or offline, against the verifier kept here) in their own database. */
  signIn(callerId: string, credentials: { email: string; password: string }): Promise<Identity>;
  /** Whether anyone has signed in on this computer with that server. */
  joined(): boolean;
}

/** The sync server, as a synced user's operations reach it (main/sync/server-access.ts). */
export interface ServerAccess {
  /** The server holds the password: it checks the current one. Throws its refusal as an AppError. */
  changeOwnPassword(currentPassword: string, newPassword: string): Promise<void>;
  setPassword(userId: string, newPassword: string): Promise<void>;
  /** Sends what waits now; the server's refusal of the row's insert, if it refused it. */
  deliver(table: string, id: string): Promise<string | null>;
  /** The server's anchor of this device's trail, null while it holds none; ServerUnreachable when it cannot say. */
  deviceAnchor(): Promise<DeviceAnchor | null>;
}

/** What the core offers every operation. */
export interface CoreServices {
  sqlite: Database.Database;
  db: LocalDb;
  deviceId: string;
  environment: AppEnvironment;
  sessions: Sessions;
  logger: Logger;
  now(): Date;
  /** Waits, e.g. to slow down repeated failed sign-ins. Tests pass one that does not. */
  sleep(ms: number): Promise<void>;
  /** The sync engine of this database; undefined when it works alone. */
  sync(): SyncControl | undefined;
  /** The door to the sync server, when this computer works with one. */
  door(): Door | undefined;
  /** The sync server, for a synced user's database. */
  server(): ServerAccess | undefined;
  /** A synced user's database keeps the server's version of rows it edits (main/sync/sync-base.ts). */
  syncBase?: SyncBase;
  /** The rulebook (db/rules), run around every row a change writes. */
  rules: RuleChecks;
}

/** What the sync operations may ask of the engine (main/sync/sync-engine.ts). */
export type SyncControl = Pick<SyncEngine, 'status' | 'conflicts' | 'resolve' | 'upload'>;

export interface PublicContext extends CoreServices {
  callerId: string;
  identity: Identity | undefined;
  /**
   * Commits a change with its audit rows and outbox entry, in one transaction. The actor is the
   * signed-in user unless given (a sign-in is done by the user who is not yet signed in).
   */
  change<T>(work: (writer: ChangeWriter) => T, actor?: Identity): T;
}

export interface OperationContext extends PublicContext {
  identity: Identity;
  access: Access;
  /** The row scope of `table` for the caller, as a SQL condition; undefined when access is 'all'. */
  scope(table: string): SQL | undefined;
}

/**
 * An operation keeps its input schema's own type, so callers are typed by what they may send
 * (`z.input`: defaults optional) while `run` receives what parsing produced (`z.output`).
 */
export interface Operation<S extends z.ZodType, O> {
  input: S;
  run(ctx: OperationContext, input: z.output<S>): O | Promise<O>;
}

export interface PublicOperation<S extends z.ZodType, O> {
  public: true;
  input: S;
  run(ctx: PublicContext, input: z.output<S>): O | Promise<O>;
}

export const defineOperation = <S extends z.ZodType, O>(op: Operation<S, O>): Operation<S, O> => op;
export const definePublicOperation = <S extends z.ZodType, O>(
  op: Omit<PublicOperation<S, O>, 'public'>,
): PublicOperation<S, O> => ({
  ...op,
  public: true,
});

/**
 * A ROW_SCOPES fragment with `:me` bound as a parameter (the user's id, or a placeholder for a
 * prepared query); no rows at all if the role has none.
 */
export function scopeCondition(
  table: string,
  identity: Identity,
  access: Access,
  me: unknown = identity.userId,
): SQL | undefined {
  if (access === 'all') return undefined;
  const fragment = ROW_SCOPES[table]?.[identity.role];
  if (!fragment) return sql`1 = 0`;
  const pieces = fragment.split(':me');
  const chunks: SQL[] = [];
  pieces.forEach((piece, i) => {
    if (i > 0) chunks.push(sql`${me}`);
    chunks.push(sql.raw(piece));
  });
  return sql`(${sql.join(chunks)})`;
}
