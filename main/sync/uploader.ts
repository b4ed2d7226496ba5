// Up: the outbox's changesets, oldest first, in batches. A changeset leaves the outbox only once
// the server has answered it: applied (then it waits in PendingEdits until it comes back down), or
// refused (then it becomes a conflict the user sees, and its rows return to the server's truth).
// Offline, 429 and 5xx answers back off exponentially, with jitter so offices do not retry in step;
// a Retry-After on the answer is a floor nothing sends before, not even "Sync now".
import type Database from 'better-sqlite3';
import { z } from 'zod';
import type { ChangesetOp } from '../../db/schema/json-types.js';
import { changesetAnswer, ENDPOINTS } from '../../db/sync/protocol.js';
import { appendAudit } from '../core/audit-chain.js';
import type { Logger } from '../core/logger.js';
import { newId } from '../../db/domain/ids.js';
import { toColumnValues, type SyncedTableName } from '../core/synced-tables.js';
import type { PendingEdits } from './pending-edits.js';
import type { ColumnValues, Replica } from './replica.js';
import { ServerUnreachable, type ServerConnection } from './server-connection.js';

export interface UploadHost {
  sqlite: Database.Database;
  replica: Replica;
  pending: PendingEdits;
  connection: ServerConnection;
  deviceId: string;
  userId: string;
  logger: Logger;
  now(): Date;
  /** Tables this user has a stream of (the others are upload-only for them). */
  streamed(): ReadonlySet<string>;
  uploaded(): void;
  unreachable(reason: string): void;
  needsSignIn(): void;
  tablesChanged(tables: SyncedTableName[]): void;
}

export interface BackoffSettings {
  initialMs: number;
  maxMs: number;
}

const BATCH = 100;

type Result = z.infer<typeof changesetAnswer>['results'][number];

interface Changeset {
  id: string;
  deviceId: string;
  createdAt: string;
  ops: ChangesetOp[];
}

interface OutboxRow {
  position: number;
  changeset_id: string;
  ops: string;
  created_at: string;
}

export class Uploader {
  #running: Promise<void> | null = null;
  #again = false;
  #failures = 0;
  #timer: NodeJS.Timeout | null = null;
  #stopped = false;
  /** When the server's Retry-After lets the next batch go (ms since the epoch, by host.now()). */
  #notBefore = 0;

  constructor(
    private readonly host: UploadHost,
    private readonly backoff: BackoffSettings,
  ) {}

  /** Uploads what is waiting now (or as soon as the current round ends). */
  kick(): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    const asked = this.#notBefore - this.host.now().getTime();
    if (asked > 0) {
      // The server asked for quiet until then: the timer sends what waits, this adds to it.
      this.#schedule(asked);
      return Promise.resolve();
    }
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#running = this.#drain().finally(() => {
      this.#running = null;
      if (this.#again) {
        this.#again = false;
        void this.kick();
      }
    });
    return this.#running;
  }

  resume(): void {
    this.#stopped = false;
    this.#failures = 0;
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
  }

  get waiting(): number {
    return this.host.sqlite.prepare('SELECT count(*) FROM outbox').pluck().get() as number;
  }

  async #drain(): Promise<void> {
    const { sqlite } = this.host;
    const take = sqlite.prepare('SELECT position, changeset_id, ops, created_at FROM outbox ORDER BY position LIMIT ?');
    for (;;) {
      if (this.#stopped || this.host.connection.problem) return;
      const batch = take.all(BATCH) as OutboxRow[];
      if (batch.length === 0) return;
      try {
        await this.#send(batch);
        this.#failures = 0;
      } catch (error) {
        // Stopped or closed meanwhile: what was not answered here is sent again next time (and
        // the server answers a changeset it has seen by its id, without applying it twice).
        if (this.#stopped || !this.host.sqlite.open) return;
        // Anything else (an answer cut off mid-body, one that does not parse) is tried again too.
        const reason =
          error instanceof ServerUnreachable ? error.message : `Uploading changes failed: ${String(error)}`;
        if (!(error instanceof ServerUnreachable)) this.host.logger.error(reason, { error: String(error) });
        this.#failures++;
        this.host.unreachable(reason);
        this.#retryLater(reason, batch[0]!, error instanceof ServerUnreachable ? error.retryAfterMs : null);
        return;
      }
    }
  }

  async #send(batch: OutboxRow[]): Promise<void> {
    const changesets = batch.map((row): Changeset => ({
      id: row.changeset_id,
      deviceId: this.host.deviceId,
      createdAt: row.created_at,
      ops: JSON.parse(row.ops) as ChangesetOp[],
    }));
    const response = await this.host.connection.request('POST', ENDPOINTS.changesets, { changesets });
    if (response.status === 401) {
      this.host.needsSignIn();
      return;
    }
    // Only the server's own refusal of the batch's content is an answer about its changesets;
    // anything else (a proxy's 403, 407 or 408) is a way of not being heard, and is tried again.
    if (!response.ok && response.status !== 400 && response.status !== 413) {
      await response.body?.cancel();
      throw new ServerUnreachable(`The sync server answered ${response.status}; trying again shortly.`);
    }
    if (!response.ok) {
      const body = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
      // The batch as a whole was refused (malformed): find the changeset at fault by sending alone.
      if (batch.length > 1) {
        for (const row of batch) await this.#send([row]);
        return;
      }
      this.#answer(changesets[0]!, {
        id: changesets[0]!.id,
        status: 'rejected',
        code: body?.error?.code ?? 'validation',
        message: body?.error?.message ?? `The sync server answered ${response.status}.`,
      });
      return;
    }
    const { results } = changesetAnswer.parse(await response.json());
    for (const changeset of changesets) {
      const result = results.find((r) => r.id === changeset.id);
      if (result) this.#answer(changeset, result);
    }
    this.host.uploaded();
  }

  #answer(changeset: Changeset, result: Result): void {
    const { sqlite, pending } = this.host;
    if (result.status === 'applied') {
      const restored = this.host.replica.apply(() => {
        sqlite.prepare('DELETE FROM outbox WHERE changeset_id = ?').run(changeset.id);
        pending.answered(
          { id: changeset.id, userId: this.host.userId, createdAt: changeset.createdAt, ops: changeset.ops },
          result.txid,
          this.host.now().toISOString(),
          this.host.streamed(),
        );
        return pending.restore();
      });
      if (restored.size > 0) this.host.tablesChanged([...restored]);
      return;
    }
    this.#refused(changeset, result);
  }

  /**
   * A refused changeset: its rows go back to the server's version of them as their streams last
   * showed it (never a row read on the side, which could be older than what the stream brings
   * next), it lands in the conflicts list, and its audit rows still go up, followed by one
   * recording the refusal (the device's chain stays whole).
   */
  #refused(changeset: Changeset, result: { code: string; message: string }): void {
    const { sqlite, replica, pending } = this.host;
    if (result.code === 'dependency_rejected' && changeset.ops.every((op) => op.table === 'audit_log')) {
      // Audit rows that only mention a refused change (its id in entity_id): nothing for the
      // user to decide. They go up again on their own, after the refusal has left the batch.
      sqlite.transaction(() => {
        sqlite.prepare('DELETE FROM outbox WHERE changeset_id = ?').run(changeset.id);
        sqlite
          .prepare('INSERT INTO outbox (changeset_id, user_id, ops, created_at) VALUES (?, ?, ?, ?)')
          .run(newId(), this.host.userId, JSON.stringify(changeset.ops), this.host.now().toISOString());
      })();
      return;
    }
    const rows = new Map<string, { table: SyncedTableName; id: string }>();
    for (const op of changeset.ops) {
      if (op.table !== 'audit_log') rows.set(`${op.table}/${op.id}`, { table: op.table as SyncedTableName, id: op.id });
    }
    const audits = changeset.ops.filter((op) => op.table === 'audit_log');
    const changed = new Set<SyncedTableName>();
    replica.apply(() => {
      // What the server has instead, as far as this user may see it.
      const serverRows = [...rows.values()]
        .map(({ table, id }) => pending.base.get(table, id))
        .filter((row): row is ColumnValues => !!row);
      sqlite.prepare('DELETE FROM outbox WHERE changeset_id = ?').run(changeset.id);
      pending.refused(changeset.ops, this.host.streamed());
      for (const table of pending.restore()) changed.add(table);
      sqlite
        .prepare(
          `INSERT INTO sync_conflicts (changeset_id, user_id, ops, code, message, server_rows, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (changeset_id) DO NOTHING`,
        )
        .run(
          changeset.id,
          this.host.userId,
          JSON.stringify(changeset.ops),
          result.code,
          result.message,
          JSON.stringify(serverRows),
          this.host.now().toISOString(),
        );
      // A changeset of audit rows alone that was refused is not sent again (it would be refused again).
      if (audits.length > 0 && audits.length < changeset.ops.length) this.#requeueAudit(changeset.id, audits, result);
    });
    this.host.tablesChanged([...changed]);
    this.host.logger.warn('The sync server refused a change', { changesetId: changeset.id, code: result.code });
  }

  #requeueAudit(changesetId: string, audits: ChangesetOp[], result: { code: string; message: string }): void {
    const { sqlite } = this.host;
    const now = this.host.now().toISOString();
    const actor = audits[0]?.values ?? {};
    const refusal = appendAudit(sqlite, this.host.deviceId, now, {
      actorId: (actor.actor_id as string | null) ?? null,
      actorRole: (actor.actor_role as string | null) ?? null,
      action: 'sync.change-refused',
      entityType: null,
      entityId: null,
      after: { changesetId, code: result.code, message: result.message },
    });
    const ops: ChangesetOp[] = [
      ...audits,
      { table: 'audit_log', op: 'insert', id: refusal.id, values: toColumnValues('audit_log', { ...refusal }) },
    ];
    sqlite
      .prepare('INSERT INTO outbox (changeset_id, user_id, ops, created_at) VALUES (?, ?, ?, ?)')
      .run(newId(), this.host.userId, JSON.stringify(ops), now);
  }

  /** The exponential backoff, or longer when the server's Retry-After asks for more. */
  #retryLater(reason: string, head: OutboxRow, retryAfterMs: number | null): void {
    const exponential = Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** (this.#failures - 1));
    const backoff = exponential / 2 + Math.random() * (exponential / 2);
    const now = this.host.now().getTime();
    if (retryAfterMs !== null) this.#notBefore = now + retryAfterMs;
    const delay = Math.max(backoff, retryAfterMs ?? 0);
    this.host.sqlite
      .prepare('UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE position = ?')
      .run(reason, new Date(now + delay).toISOString(), head.position);
    this.#schedule(delay);
  }

  #schedule(delay: number): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.kick(), delay);
    this.#timer.unref();
  }
}
