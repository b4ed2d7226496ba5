// One user's sync with one server, over their own device database: the uploader sends the outbox
// up, a follower per table brings the server's rows down, and the status says how it is going.
import type Database from 'better-sqlite3';
import { setReplicating } from '../../db/local-database.js';
import { appendAudit } from '../core/audit-chain.js';
import { chainKeeperOf, type TamperNotice } from '../core/chain-keeper.js';
import { AppError, notFound } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { SYNCED_TABLES, toColumnValues, type SyncedTableName } from '../core/synced-tables.js';
import type { ChangesetOp, JsonObject } from '../../db/schema/json-types.js';
import { ENDPOINTS, knownChangesetsAnswer, MAX_KNOWN_QUERY } from '../../db/sync/protocol.js';
import { newId } from '../../db/domain/ids.js';
import { anchorStatus, fetchAnchor } from './anchor.js';
import { TableFollower } from './downloader.js';
import { PendingEdits } from './pending-edits.js';
import { Replica } from './replica.js';
import { SyncBase } from './sync-base.js';
import type { ServerConnection } from './server-connection.js';
import type { ChangeTopic } from '../core/router.js';
import { Uploader, type BackoffSettings } from './uploader.js';

export type SyncState = 'connecting' | 'online' | 'offline' | 'needs-sign-in' | 'stopped';

export interface SyncStatus {
  mode: 'server';
  url: string;
  state: SyncState;
  /** Changes made here that the server has not answered yet. */
  waiting: number;
  lastSyncedAt: string | null;
  lastError: string | null;
  conflicts: number;
  /**
   * Tampering with this device's audit trail that Roomy noticed: the server's anchor not held here,
   * or a change refused for it.
   */
  tamper: TamperNotice | null;
}

export interface SyncConflict {
  changesetId: string;
  createdAt: string;
  code: string;
  message: string;
  /** What was attempted: the changeset's row changes (its audit rows left out). */
  attempted: ChangesetOp[];
  /** The same rows as the server has them now (those this user may see). */
  serverRows: JsonObject[];
}

export interface SyncEngineOptions {
  sqlite: Database.Database;
  deviceId: string;
  userId: string;
  connection: ServerConnection;
  logger: Logger;
  now(): Date;
  /** Tells the UI which tables changed under it. */
  tablesChanged(tables: ChangeTopic[]): void;
  statusChanged(): void;
  backoff?: BackoffSettings;
}

const LAST_SYNCED_KEY = 'sync_last_synced_at';
const KEEP_SENT_CHANGESETS = 5_000;

export class SyncEngine {
  readonly replica: Replica;
  readonly #pending: PendingEdits;
  readonly #uploader: Uploader;
  readonly #followers: TableFollower[];
  #state: SyncState = 'stopped';
  #recovering: Promise<void> | null = null;
  #recoverAgain = false;
  #lastError: string | null = null;
  /** The trail is compared with the server's anchor on the first answer after each start or reconnection. */
  #anchorDue = false;
  #tamper: TamperNotice | null = null;

  constructor(private readonly options: SyncEngineOptions) {
    const { sqlite, connection, logger } = options;
    this.replica = new Replica(sqlite);
    this.#pending = new PendingEdits(sqlite, this.replica, new SyncBase(sqlite));
    this.#uploader = new Uploader(
      {
        sqlite,
        replica: this.replica,
        pending: this.#pending,
        connection,
        deviceId: options.deviceId,
        userId: options.userId,
        logger,
        now: options.now,
        streamed: () => new Set(this.#followers.filter((f) => f.readable).map((f) => f.table)),
        uploaded: () => this.#reached(),
        unreachable: (reason) => this.#unreachable(reason),
        needsSignIn: () => this.#needsSignIn(),
        tablesChanged: options.tablesChanged,
      },
      options.backoff ?? { initialMs: 500, maxMs: 60_000 },
    );
    const host = {
      url: connection.url,
      fetch: connection.fetch,
      sqlite,
      replica: this.replica,
      pending: this.#pending,
      logger,
      landed: (table: SyncedTableName, changed: boolean) => {
        this.#reached();
        if (changed) options.tablesChanged([table]);
      },
      unreachable: (reason: string) => this.#unreachable(reason),
      needsSignIn: () => this.#needsSignIn(),
      failed: (reason: string) => this.#setError(reason),
      refetching: () => void this.#recoverLostChanges(),
    };
    this.#followers = (Object.keys(SYNCED_TABLES) as SyncedTableName[]).map((t) => new TableFollower(t, host));
  }

  get connection(): ServerConnection {
    return this.options.connection;
  }

  start(): void {
    if (this.options.connection.problem) return this.#needsSignIn();
    this.#setState('connecting');
    this.#anchorDue = true;
    this.#forgetOldSentChangesets();
    this.#uploader.resume();
    // What this user could not read before may have been granted since (a new role): ask again.
    for (const follower of this.#followers) follower.readable = true;
    // Up first: on reconnecting, what was made offline reaches the server before its news comes down.
    void this.#recoverLostChanges();
    void this.#uploader.kick().finally(() => {
      // Stopped meanwhile (signed out, closed): nothing to follow.
      if (this.#state === 'needs-sign-in' || this.#state === 'stopped') return;
      for (const follower of this.#followers) follower.start();
    });
  }

  /**
   * Applied changesets are kept a week after they were shown back (and at most the last 5,000),
   * enough to send again what a server restored to an earlier point has lost.
   */
  #forgetOldSentChangesets(): void {
    const weekAgo = new Date(this.options.now().getTime() - 7 * 24 * 3_600_000).toISOString();
    this.options.sqlite
      .prepare(
        `DELETE FROM sent_changesets WHERE awaiting = '[]' AND (answered_at < ? OR changeset_id NOT IN
           (SELECT changeset_id FROM sent_changesets ORDER BY answered_at DESC LIMIT ${KEEP_SENT_CHANGESETS}))`,
      )
      .run(weekAgo);
  }

  /**
   * Asks the server which of this device's applied changesets it still has. A database restored to
   * an earlier point (a failover to a replica behind, a point-in-time restore) has lost the newest:
   * those this device still keeps go back to the front of the outbox, pending again, and are sent
   * anew. Runs at start and whenever the server starts a shape again; one check at a time.
   */
  #recoverLostChanges(): Promise<void> {
    if (this.#recovering) {
      this.#recoverAgain = true;
      return this.#recovering;
    }
    this.#recovering = (async () => {
      do {
        this.#recoverAgain = false;
        await this.#findLostChanges();
      } while (this.#recoverAgain && this.#state !== 'stopped');
    })()
      .catch((error: unknown) =>
        this.options.logger.warn('Checking for changes the server lost failed', { error: String(error) }),
      )
      .finally(() => (this.#recovering = null));
    return this.#recovering;
  }

  async #findLostChanges(): Promise<void> {
    const { sqlite, connection } = this.options;
    const sent = sqlite
      .prepare('SELECT changeset_id FROM sent_changesets ORDER BY answered_at, changeset_id')
      .pluck()
      .all() as string[];
    const lost: string[] = [];
    for (let i = 0; i < sent.length; i += MAX_KNOWN_QUERY) {
      const ids = sent.slice(i, i + MAX_KNOWN_QUERY);
      const response = await connection.request('POST', ENDPOINTS.knownChangesets, { ids });
      if (!response.ok) return void (await response.body?.cancel());
      const known = new Set(knownChangesetsAnswer.parse(await response.json()).known);
      lost.push(...ids.filter((id) => !known.has(id)));
    }
    if (lost.length === 0 || this.#state === 'stopped') return;
    this.options.logger.warn('The sync server lost changes it had applied; sending them again', { count: lost.length });
    this.replica.apply(() => this.#pending.resend(lost));
    this.changed();
  }

  stop(): void {
    this.#uploader.stop();
    for (const follower of this.#followers) follower.stop();
    this.#setState('stopped');
  }

  /** A local change was committed: send it now. */
  changed(): void {
    void this.#uploader.kick();
    this.options.statusChanged();
  }

  /** Sends what waits now; resolves once this round of uploading is over. */
  upload(): Promise<void> {
    return this.#uploader.kick();
  }

  /** Nothing to upload, every readable table followed up to date, and every applied edit shown back. */
  get idle(): boolean {
    return this.busyWith().length === 0;
  }

  /** What keeps the engine from being idle, in words (for the log, diagnostics and tests). */
  busyWith(): string[] {
    const busy: string[] = [];
    const waiting = this.#uploader.waiting;
    if (waiting > 0) busy.push(`${waiting} changes to upload`);
    if (this.#pending.awaiting > 0) busy.push(`${this.#pending.awaiting} applied changes not shown back yet`);
    for (const f of this.#followers) {
      if (!f.readable) continue;
      if (!f.running) busy.push(`${f.table}: not followed`);
      else if (!f.upToDate) busy.push(`${f.table}: not up to date`);
    }
    return busy;
  }

  status(): SyncStatus {
    const { sqlite, connection } = this.options;
    return {
      mode: 'server',
      url: connection.url,
      state: this.#state,
      waiting: this.#uploader.waiting,
      lastSyncedAt:
        (sqlite.prepare('SELECT value FROM device_meta WHERE key = ?').pluck().get(LAST_SYNCED_KEY) as
          string | undefined) ?? null,
      lastError: this.#lastError,
      conflicts: sqlite
        .prepare('SELECT count(*) FROM sync_conflicts WHERE resolved_at IS NULL')
        .pluck()
        .get() as number,
      tamper: this.#tamper ?? this.#noticed(),
    };
  }

  /** A notice kept with the chain's record (outside the database), from this check or a refused change. */
  #noticed(): TamperNotice | null {
    const secret = chainKeeperOf(this.options.sqlite)?.secret();
    return secret && 'noticed' in secret ? secret.noticed : null;
  }

  /**
   * History this device already synced must still be here as it was: a trail cut short or rewritten
   * and re-sealed (by someone holding both the file and its key) passes every local check, but not
   * this one. What it finds is noticed and kept; changes go on (the server refuses what no longer
   * continues its head).
   */
  async #checkAnchor(): Promise<void> {
    const { sqlite, deviceId, connection, logger, now } = this.options;
    const status = await anchorStatus(sqlite, deviceId, () => fetchAnchor(connection));
    if (this.#state === 'stopped' || !sqlite.open) return;
    if (status.state === 'unchecked') {
      // Asked again at the next answer from the server.
      this.#anchorDue = true;
      logger.warn('The audit trail could not be compared with the sync server', { reason: status.message });
      return;
    }
    if (status.state === 'holds') {
      this.#tamper = null;
      return;
    }
    this.#tamper = { at: now().toISOString(), problem: status.problem, message: status.message };
    logger.error("This device's audit trail does not hold the sync server's anchor", { ...this.#tamper });
    // Kept with the chain's record, outside the database, as a refused change's notice is.
    chainKeeperOf(sqlite)?.refuse(status.problem, status.message);
    this.options.statusChanged();
  }

  conflicts(): SyncConflict[] {
    const rows = this.options.sqlite
      .prepare(
        `SELECT changeset_id, created_at, code, message, ops, server_rows FROM sync_conflicts
         WHERE resolved_at IS NULL ORDER BY created_at DESC, changeset_id DESC`,
      )
      .all() as Array<{
      changeset_id: string;
      created_at: string;
      code: string;
      message: string;
      ops: string;
      server_rows: string | null;
    }>;
    return rows.map((r) => ({
      changesetId: r.changeset_id,
      createdAt: r.created_at,
      code: r.code,
      message: r.message,
      attempted: (JSON.parse(r.ops) as ChangesetOp[]).filter((op) => op.table !== 'audit_log'),
      serverRows: r.server_rows ? (JSON.parse(r.server_rows) as JsonObject[]) : [],
    }));
  }

  /** Closes a conflict: dismissed (the server's truth stands) or redone (attempted again, as a new change). */
  resolve(
    changesetId: string,
    resolution: 'dismissed' | 'redone',
    actor: { id: string; role: string },
  ): { changesetId: string; resolution: string } {
    const { sqlite } = this.options;
    const now = this.options.now().toISOString();
    const conflict = this.conflicts().find((c) => c.changesetId === changesetId);
    if (!conflict) throw notFound('That conflict is not open on this device.');
    this.replica.apply(() => {
      if (resolution === 'redone') this.#redo(conflict, actor, now);
      else this.#audit(actor, now, 'sync.conflict-dismissed', [], { changesetId });
      sqlite
        .prepare('UPDATE sync_conflicts SET resolved_at = ?, resolution = ? WHERE changeset_id = ?')
        .run(now, resolution, changesetId);
    });
    // Either way an audit row waits to go up: a dismissal's as much as a redo's.
    this.changed();
    return { changesetId, resolution };
  }

  /**
   * Attempts the refused change again over what is here now, as this user's new change. The local
   * rules still hold (the replication guard is lifted for it): what cannot be redone here is said.
   */
  #redo(conflict: SyncConflict, actor: { id: string; role: string }, now: string): void {
    setReplicating(this.options.sqlite, false);
    const ops: ChangesetOp[] = [];
    try {
      for (const op of conflict.attempted) {
        const table = op.table as SyncedTableName;
        if (op.op === 'insert' && this.replica.has(table, op.id)) {
          throw new AppError('conflict', `${op.table} ${op.id} exists on the server now: change it there instead.`);
        }
        const values = 'updatedAt' in SYNCED_TABLES[table] ? { ...op.values, updated_at: now } : op.values;
        this.#pending.base.capture(table, op.id);
        if (op.op === 'delete') this.replica.delete(table, op.id);
        else if (op.op === 'insert') this.replica.upsert(table, values ?? {});
        else if (!this.replica.update(table, op.id, values ?? {}))
          throw new AppError('conflict', `${op.table} ${op.id} is no longer on the server, so it cannot be changed.`);
        ops.push(values ? { ...op, values: values as JsonObject } : op);
      }
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError('conflict', `This change still cannot be made: ${String((error as Error).message)}`);
    }
    this.#audit(actor, now, 'sync.conflict-redone', ops, { changesetId: conflict.changesetId });
  }

  #audit(actor: { id: string; role: string }, now: string, action: string, ops: ChangesetOp[], after: JsonObject) {
    const { sqlite, deviceId, userId } = this.options;
    const row = appendAudit(sqlite, deviceId, now, { actorId: actor.id, actorRole: actor.role, action, after });
    const all = [
      ...ops,
      { table: 'audit_log', op: 'insert' as const, id: row.id, values: toColumnValues('audit_log', { ...row }) },
    ];
    sqlite
      .prepare('INSERT INTO outbox (changeset_id, user_id, ops, created_at) VALUES (?, ?, ?, ?)')
      .run(newId(), userId, JSON.stringify(all), now);
  }

  #reached(): void {
    if (this.#state === 'needs-sign-in' || this.#state === 'stopped') return;
    this.#lastError = null;
    this.options.sqlite
      .prepare(
        'INSERT INTO device_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      )
      .run(LAST_SYNCED_KEY, this.options.now().toISOString());
    this.#setState('online');
    if (this.#anchorDue) {
      this.#anchorDue = false;
      void this.#checkAnchor().catch((error: unknown) =>
        this.options.logger.warn('Comparing the audit trail with the sync server failed', { error: String(error) }),
      );
    }
  }

  #unreachable(reason: string): void {
    // A request cut short by stopping is not news about the network.
    if (this.#state === 'needs-sign-in' || this.#state === 'stopped') return;
    // Back online, the trail is compared again: the file may have been edited meanwhile.
    this.#anchorDue = true;
    this.#lastError = reason;
    this.#setState('offline');
  }

  #needsSignIn(): void {
    this.stop();
    this.#lastError = 'The sync server asks you to sign in again (your sign-in there has ended).';
    this.#setState('needs-sign-in');
  }

  #setError(reason: string): void {
    this.#lastError = reason;
    this.options.statusChanged();
  }

  #setState(state: SyncState): void {
    if (this.#state === state && state !== 'online') return;
    const changed = this.#state !== state;
    this.#state = state;
    if (changed) this.options.statusChanged();
  }
}
