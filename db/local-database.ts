// Opening the device's SQLite database: pragmas, the connection's own SQL functions, then
// migrations, with a backup first.
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { knownMigrations, pendingMigrations, SQLITE_MIGRATIONS, type AppliedMigration } from './migrate/history.js';
import * as schema from './schema/sqlite.js';

export type LocalSchema = typeof schema;
export type LocalDb = BetterSQLite3Database<LocalSchema>;

export interface LocalDatabase {
  /** The raw connection, for pragmas, backups and the few queries drizzle cannot express. */
  sqlite: Database.Database;
  db: LocalDb;
  /** Backup written before migrating, if there was one. */
  backupPath: string | null;
  close(): void;
}

export interface OpenLocalOptions {
  migrationsFolder?: string;
  /** Clock for the backup file name; tests pass a fixed one. */
  now?: () => Date;
  /** Called with every query run through drizzle, and its parameters: for diagnostics and benchmarks. */
  trace?: (sql: string, params: unknown[]) => void;
  /**
   * A synced device holds only the rows its user may see, so a row may point at one it does not
   * have (an owner's reservation names a guest the owner may not see): the server keeps the
   * references whole, and the device does not check them.
   */
  partialReplica?: boolean;
  /**
   * The compiled better-sqlite3 to load instead of node_modules' own: the desktop window in
   * development passes the build made for Electron's ABI (see main/native-modules.ts).
   */
  nativeBinding?: string;
}

export function openLocalDatabase(file: string, options: OpenLocalOptions = {}): LocalDatabase {
  const sqlite = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  try {
    applyPragmas(sqlite, !options.partialReplica);
    registerReplicationGuard(sqlite);
    const backupPath = migrateLocal(sqlite, file, options);
    const trace = options.trace;
    const db = drizzle(sqlite, {
      schema,
      ...(trace ? { logger: { logQuery: (sql: string, params: unknown[]) => trace(sql, params) } } : {}),
    });
    return { sqlite, db, backupPath, close: () => sqlite.close() };
  } catch (error) {
    sqlite.close();
    throw error;
  }
}

/**
 * The replication guard (SQLite migration 0007): the append-only and no-overlap triggers stand
 * aside only while `roomy_replicating()` answers 1, and it answers from memory, for this connection
 * alone. Nothing written to the file can open the guard, and a connection that lacks the function
 * (another tool) cannot write those tables at all.
 */
const replicating = new WeakMap<Database.Database, { on: boolean }>();

function registerReplicationGuard(sqlite: Database.Database): void {
  const state = { on: false };
  replicating.set(sqlite, state);
  sqlite.function('roomy_replicating', { deterministic: false }, () => (state.on ? 1 : 0));
}

/**
 * Opens or closes this connection's replication guard and returns what it was, so a caller can
 * put it back. Call inside the transaction the server's rows land in, and put it back before
 * that transaction ends.
 */
export function setReplicating(sqlite: Database.Database, on: boolean): boolean {
  const state = replicating.get(sqlite);
  if (!state) throw new Error('This connection was not opened by openLocalDatabase: it has no replication guard.');
  const was = state.on;
  state.on = on;
  return was;
}

function applyPragmas(sqlite: Database.Database, foreignKeys: boolean): void {
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
  sqlite.pragma('busy_timeout = 5000');
}

function migrateLocal(sqlite: Database.Database, file: string, options: OpenLocalOptions): string | null {
  const migrationsFolder = options.migrationsFolder ?? SQLITE_MIGRATIONS;
  const pending = pendingMigrations(appliedLocalMigrations(sqlite), knownMigrations(migrationsFolder), file);
  if (pending.length === 0) return null;
  const backupPath = isEmpty(sqlite) ? null : backupBeside(sqlite, file, (options.now ?? (() => new Date()))());
  migrate(drizzle(sqlite), { migrationsFolder });
  return backupPath;
}

export function appliedLocalMigrations(sqlite: Database.Database): AppliedMigration[] {
  const table = sqlite
    .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'`)
    .get();
  if (!table) return [];
  const rows = sqlite.prepare(`SELECT hash, created_at FROM __drizzle_migrations ORDER BY created_at, rowid`).all() as {
    hash: string;
    created_at: number;
  }[];
  return rows.map((r) => ({ hash: r.hash, createdAt: Number(r.created_at) }));
}

function isEmpty(sqlite: Database.Database): boolean {
  return !sqlite.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' LIMIT 1`).get();
}

/** VACUUM INTO writes a consistent, compact copy even while the WAL holds recent writes. */
function backupBeside(sqlite: Database.Database, file: string, now: Date): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  let backupPath = `${file}.before-migration-${stamp}.bak`;
  for (let n = 2; existsSync(backupPath); n++) backupPath = `${file}.before-migration-${stamp}-${n}.bak`;
  sqlite.prepare('VACUUM INTO ?').run(backupPath);
  return backupPath;
}
