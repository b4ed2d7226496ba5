// GET /v1/shape in the ElectricSQL HTTP protocol (../shared notes in docs/sync-server.md): one
// shape per table, its rows decided by the caller's role; a client's where and columns narrow.
import { z } from 'zod';
import type { CentralDatabase } from '../../db/central-database.js';
import { columnVisible, ROW_SCOPES } from '../../db/policy/access.js';
import { readAccess } from '../../db/policy/readable-tables.js';
import type { ChangeFeed } from '../changes/change-log.js';
import type { SessionUser } from '../auth/sessions.js';
import { forbidden, HttpError, parseOr400 } from '../http-errors.js';
import { isSyncedTable, quoteIdent, schemaHeader, type Catalog, type SyncedTableName } from '../tables.js';
import { formatOffset, isAfter, isSnapshotOffset, ShapeLog, type Offset, type ShapeDefinition } from './shape-log.js';

const OFFSET = /^(-1|now|(\d+)_(\d+))$/;

/** Seven tables and a few narrowed views each; more is a client making shapes it does not need. */
const MAX_SHAPES_PER_USER = 32;

const shapeParams = z
  .object({
    table: z.string({ error: 'is required: one shape per table' }).refine(isSyncedTable, 'is not a table you can sync'),
    offset: z.string({ error: 'is required' }).regex(OFFSET, 'must be -1, now, or an offset such as 1234_0'),
    handle: z.string().optional(),
    live: z.enum(['true', 'false']).optional(),
    cursor: z.string().optional(),
    where: z.string().max(2000).optional(),
    columns: z.string().max(4000).optional(),
    log: z.enum(['full', 'changes_only']).optional(),
  })
  .refine((p) => !/^\d+_\d+$/.test(p.offset) || !!p.handle, {
    error: 'is required with an offset other than -1 or now',
    path: ['handle'],
  })
  .refine((p) => p.live !== 'true' || /^\d+_\d+$/.test(p.offset), {
    error: 'live mode needs an offset returned earlier, not -1 or now',
    path: ['live'],
  });

export interface ShapeReply {
  status: 200 | 409;
  headers: Record<string, string>;
  /** Messages, or (for a snapshot) the JSON text of the array, made without a round trip through objects. */
  body: unknown[] | string;
}

export interface ShapeOptions {
  longPollMs: number;
  /** A log longer than this is reset (a new handle); its clients refetch. */
  maxMessages?: number;
  /** A log nobody has read for this long is dropped. */
  idleMs?: number;
  /** Rows per snapshot response; a larger snapshot continues in further requests. */
  snapshotChunkRows?: number;
}

/** About 10 MB of rows: Electric's own chunk size, and small enough to overlap fetch and apply. */
const SNAPSHOT_CHUNK_ROWS = 10_000;

export class Shapes {
  readonly #byKey = new Map<string, ShapeLog>();
  readonly #held = new Set<() => void>();
  #cursor = 0;
  #closing = false;
  readonly #sweeper: NodeJS.Timeout;

  constructor(
    private readonly central: CentralDatabase,
    private readonly catalog: Catalog,
    private readonly feed: ChangeFeed,
    private readonly options: ShapeOptions,
  ) {
    this.#sweeper = setInterval(() => this.#sweep(), 60_000);
    this.#sweeper.unref();
    // The database went back in time: what every log served past that point may not exist.
    feed.on('reset', () => this.resetAll());
  }

  async serve(user: SessionUser, query: Record<string, unknown>): Promise<ShapeReply> {
    const params = parseOr400(shapeParams, query, 'The shape request');
    const { definition, key } = this.#define(
      user,
      params.table as SyncedTableName,
      params.where,
      query,
      params.columns,
    );
    let shape = await this.#shape(key, definition);
    const headers = (offset: Offset, extra: Record<string, string> = {}) => ({
      'electric-handle': shape.handle,
      'electric-offset': formatOffset(offset),
      ...extra,
    });
    const upToDate = { headers: { control: 'up-to-date', global_last_seen_lsn: String(this.feed.head) } };
    const schema = { 'electric-schema': schemaHeader(definition.table, definition.columns) };

    const chunk = this.options.snapshotChunkRows ?? SNAPSHOT_CHUNK_ROWS;
    if (params.offset === '-1' || params.offset === 'now') {
      shape = await this.#caughtUp(shape);
      if (params.offset === 'now') {
        return {
          status: 200,
          headers: headers(shape.offset, { ...schema, 'electric-up-to-date': '' }),
          body: `[${JSON.stringify(upToDate)}]`,
        };
      }
      // A large snapshot goes in chunks: the client applies one while it fetches the next.
      const { rows, next } = await shape.exclusive(() => shape.startSnapshot(this.central.query, chunk));
      if (next) return { status: 200, headers: headers(next, schema), body: `[${rows.join(',')}]` };
      return {
        status: 200,
        headers: headers(shape.offset, { ...schema, 'electric-up-to-date': '' }),
        body: `[${[...rows, JSON.stringify(upToDate)].join(',')}]`,
      };
    }

    const [, , tx, op] = OFFSET.exec(params.offset)!;
    const offset = { tx: Number(tx), op: Number(op) };
    if (isSnapshotOffset(offset) && params.handle === shape.handle) {
      const part = shape.snapshotChunk(offset, chunk);
      if (!part) return this.#mustRefetch(shape, params.handle);
      if (!part.last) return { status: 200, headers: headers(part.next, schema), body: `[${part.rows.join(',')}]` };
      return {
        status: 200,
        headers: headers(part.next, { ...schema, 'electric-up-to-date': '' }),
        body: `[${[...part.rows, JSON.stringify(upToDate)].join(',')}]`,
      };
    }
    if (params.handle !== shape.handle || isAfter(offset, shape.offset)) return this.#mustRefetch(shape, params.handle);
    shape = await this.#caughtUp(shape);
    if (params.handle !== shape.handle) return this.#mustRefetch(shape, params.handle);

    let messages = shape.messagesAfter(offset);
    if (params.live === 'true') {
      // Hold until a change reaches this shape (changes to other shapes wake it only to look).
      const deadline = Date.now() + this.options.longPollMs;
      while (messages.length === 0 && !this.#closing && Date.now() < deadline) {
        await this.#hold(shape, deadline - Date.now());
        shape = await this.#caughtUp(shape);
        if (params.handle !== shape.handle) return this.#mustRefetch(shape, params.handle);
        messages = shape.messagesAfter(offset);
      }
      return {
        status: 200,
        headers: headers(shape.offsetOfLastAfter(offset), {
          'electric-cursor': this.#nextCursor(params.cursor),
          'electric-up-to-date': '',
        }),
        body: [...messages, upToDate],
      };
    }
    return {
      status: 200,
      headers: headers(shape.offsetOfLastAfter(offset), { ...schema, 'electric-up-to-date': '' }),
      body: [...messages, upToDate],
    };
  }

  /**
   * 409: start again from a snapshot, under a handle other than the one the client sent. A client
   * told that its handle expired takes any later answer carrying it for a stale cache's, and
   * retries (each retry a whole new snapshot); so a log that cannot serve its own handle's
   * request is replaced, and its handle is never given out again.
   */
  async #mustRefetch(shape: ShapeLog, sentHandle: string | undefined): Promise<ShapeReply> {
    if (shape.handle !== sentHandle) return mustRefetch(shape);
    if (this.#byKey.get(shape.key) === shape) this.#byKey.delete(shape.key);
    return mustRefetch(await this.#shape(shape.key, shape.definition));
  }

  /** Drops every log: their clients get 409 must-refetch and start again from a snapshot. */
  resetAll(): void {
    this.#byKey.clear();
    // Held long-polls look again now: their logs are gone, so they answer 409 with new handles.
    for (const wake of [...this.#held]) wake();
  }

  get count(): number {
    return this.#byKey.size;
  }

  /** Answers every held long-poll now (up-to-date), for a quick, clean shutdown. */
  releaseHeld(): void {
    this.#closing = true;
    for (const release of this.#held) release();
    this.#held.clear();
    clearInterval(this.#sweeper);
  }

  #define(
    user: SessionUser,
    tableName: SyncedTableName,
    where: string | undefined,
    rawQuery: Record<string, unknown>,
    columns: string | undefined,
  ): { definition: ShapeDefinition; key: string } {
    const table = this.catalog[tableName];
    const granted = readAccess(tableName, user.role);
    // Everyone receives their own user row: a device signs them in and names them from it.
    const ownRowOnly = tableName === 'users' && granted === null;
    if (granted === null && !ownRowOnly) throw forbidden(`Your role (${user.role}) may not read ${tableName}.`);
    const access = ownRowOnly ? 'scoped' : granted;
    const scope = ownRowOnly ? 'users.id = :me' : access === 'scoped' ? ROW_SCOPES[tableName]?.[user.role] : null;
    if (access === 'scoped' && !scope) throw forbidden(`Your role (${user.role}) may not read ${tableName}.`);

    const allowed = table.columns.map((c) => c.name).filter((c) => columnVisible(tableName, user.role, c));
    const chosen = columns === undefined ? allowed : narrowColumns(columns, allowed);

    const params: unknown[] = [];
    const conditions: string[] = [];
    if (scope) {
      params.push(user.id);
      conditions.push(scope.replaceAll(':me', '$1'));
    }
    if (where !== undefined) conditions.push(narrowingWhere(where, allowed, whereParams(rawQuery), params));
    const dependsOn = new Set([...(scope ?? '').matchAll(/\bFROM\s+(\w+)/gi)].map((m) => m[1]!));
    const definition: ShapeDefinition = {
      userId: user.id,
      table,
      conditionSql: conditions.length > 0 ? conditions.map((c) => `(${c})`).join(' AND ') : null,
      params,
      columns: chosen,
      dependsOn,
    };
    return {
      definition,
      key: JSON.stringify([user.id, user.role, tableName, definition.conditionSql, params, chosen]),
    };
  }

  async #shape(key: string, definition: ShapeDefinition): Promise<ShapeLog> {
    const existing = this.#byKey.get(key);
    if (existing) {
      existing.lastAccess = Date.now();
      return existing;
    }
    const shape = new ShapeLog(key, definition, this.feed.head);
    await shape.start(this.central.query);
    // Another request may have made the same shape meanwhile: keep the first.
    const raced = this.#byKey.get(key);
    if (raced) return raced;
    this.#byKey.set(key, shape);
    this.#evictBeyondLimit(definition.userId);
    return shape;
  }

  /** The shape with every change up to the feed's head, or its replacement if its log had to be reset. */
  async #caughtUp(shape: ShapeLog): Promise<ShapeLog> {
    // Dropped meanwhile (a reset, an eviction): a request held on it answers from its successor.
    if (this.#byKey.get(shape.key) !== shape) return this.#shape(shape.key, shape.definition);
    const kept = await shape.exclusive(async () => {
      if (shape.cursor >= this.feed.head) return true;
      const entries = this.feed.entriesAfter(shape.cursor);
      if (entries === null) return false;
      await shape.catchUp(this.central.query, entries);
      return shape.size <= (this.options.maxMessages ?? 10_000);
    });
    if (kept) return shape;
    if (this.#byKey.get(shape.key) === shape) this.#byKey.delete(shape.key);
    return this.#shape(shape.key, shape.definition);
  }

  /** Waits for the next change anywhere in the log, for at most `ms`. */
  #hold(shape: ShapeLog, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.feed.off('advanced', onAdvance);
        this.#held.delete(done);
        resolve();
      };
      const onAdvance = () => {
        if (this.feed.head > shape.cursor) done();
      };
      // A change that landed while this request was catching up has already been announced.
      if (this.feed.head > shape.cursor) return resolve();
      const timer = setTimeout(done, ms);
      this.feed.on('advanced', onAdvance);
      this.#held.add(done);
    });
  }

  /** Each user keeps at most MAX_SHAPES_PER_USER logs; the least recently read go first. */
  #evictBeyondLimit(userId: string): void {
    const theirs = [...this.#byKey].filter(([, shape]) => shape.definition.userId === userId);
    if (theirs.length <= MAX_SHAPES_PER_USER) return;
    theirs.sort(([, a], [, b]) => a.lastAccess - b.lastAccess);
    for (const [key] of theirs.slice(0, theirs.length - MAX_SHAPES_PER_USER)) this.#byKey.delete(key);
  }

  #nextCursor(previous: string | undefined): string {
    this.#cursor = Math.max(this.#cursor + 1, Math.floor(Date.now() / 1000));
    if (String(this.#cursor) === previous) this.#cursor++;
    return String(this.#cursor);
  }

  #sweep(): void {
    const idle = this.options.idleMs ?? 30 * 60_000;
    for (const [key, shape] of this.#byKey) {
      if (Date.now() - shape.lastAccess > idle) {
        this.#byKey.delete(key);
      }
    }
  }
}

function mustRefetch(shape: ShapeLog): ShapeReply {
  return {
    status: 409,
    headers: { 'electric-handle': shape.handle },
    body: [{ headers: { control: 'must-refetch' } }],
  };
}

function narrowColumns(requested: string, allowed: string[]): string[] {
  const names = requested
    .split(',')
    .map((c) => c.trim().replace(/^"(.*)"$/, '$1'))
    .filter(Boolean);
  const refused = names.filter((c) => !allowed.includes(c));
  if (refused.length > 0) {
    throw new HttpError(400, 'validation', `columns: ${refused.join(', ')} is not a column you may read`, {
      columns: `${refused.join(', ')} is not a column you may read`,
    });
  }
  return ['id', ...allowed.filter((c) => c !== 'id' && names.includes(c))];
}

function whereParams(query: Record<string, unknown>): Map<string, string> {
  const found = new Map<string, string>();
  for (const [name, value] of Object.entries(query)) {
    const m = /^params\[(\d+)\]$/.exec(name);
    if (m && typeof value === 'string') found.set(m[1]!, value);
  }
  const nested = query.params;
  if (nested && typeof nested === 'object') {
    for (const [n, value] of Object.entries(nested)) if (typeof value === 'string') found.set(n, value);
  }
  return found;
}

const CLAUSE = /^\s*"?([a-z_][a-z0-9_]*)"?\s*(=\s*(?:\$(\d+)|'((?:[^']|'')*)')|IS\s+NULL|IS\s+NOT\s+NULL)\s*$/i;

/**
 * A client's narrowing: column comparisons joined by AND (`status = 'ACTIVE' AND city = $1`,
 * `archived_at IS NULL`). Anything richer is refused: the server never runs a client's SQL.
 */
function narrowingWhere(where: string, allowed: string[], given: Map<string, string>, params: unknown[]): string {
  const refuse = (why: string): never => {
    throw new HttpError(400, 'validation', `where: ${why}`, { where: why });
  };
  const clauses = new Map<string, { column: string; op: string; value?: string }>();
  for (const part of where.split(/\s+AND\s+/i)) {
    const m = CLAUSE.exec(part);
    if (!m)
      refuse(
        `“${part.trim()}” is not a comparison this server accepts (column = $n, column = 'text', column IS [NOT] NULL)`,
      );
    const [, column, , paramNumber, literal] = m!;
    if (!allowed.includes(column!)) refuse(`${column} is not a column you may read`);
    const op = m![2]!.toUpperCase().replace(/\s+/g, ' ');
    if (op === 'IS NULL' || op === 'IS NOT NULL') {
      clauses.set(`${column} ${op}`, { column: column!, op });
      continue;
    }
    const value = paramNumber !== undefined ? given.get(paramNumber) : literal!.replace(/''/g, "'");
    if (value === undefined) refuse(`$${paramNumber} has no value: pass params[${paramNumber}]`);
    clauses.set(`${column} = ${JSON.stringify(value)}`, { column: column!, op: '=', value: value! });
  }
  // The same conditions in another order, repeated, or spelt with literals or parameters are one shape.
  return [...clauses.keys()]
    .sort()
    .map((key) => {
      const { column, op, value } = clauses.get(key)!;
      if (value === undefined) return `${quoteIdent(column)} ${op}`;
      params.push(value);
      return `${quoteIdent(column)}::text = $${params.length}`;
    })
    .join(' AND ');
}
