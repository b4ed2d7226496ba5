// Local backups: a daily copy of the database (SQLite's online backup API, so the app keeps
// working while it runs), "back up now", an export for IT, and restore. A restore is checked
// first (integrity, a migration history this build knows, the very tables, indexes and triggers
// those migrations make, an intact audit chain sealed with this computer's key, ledger entries
// that match their audited inserts) and then staged: the copy replaces the database the next time
// Roomy starts, before anything opens it.
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { MigrationMeta } from 'drizzle-orm/migrator';
import { appliedLocalMigrations } from '../db/local-database.js';
import { knownMigrations, pendingMigrations, SQLITE_MIGRATIONS } from '../db/migrate/history.js';
import { verifyAuditChain } from './core/audit-chain.js';
import { chainKeeperOfFile, chainSecretOf, type ChainKeySource } from './core/chain-keeper.js';
import { AppError } from './core/errors.js';

export const BACKUPS_KEPT = 14;
const DAY_MS = 24 * 60 * 60 * 1000;
const BACKUP_NAME = /^roomy-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z\.db$/;

export interface BackupInfo {
  name: string;
  path: string;
  bytes: number;
  createdAt: string;
}

export function backupsFolder(databaseFile: string): string {
  return join(dirname(databaseFile), 'backups');
}

const stamp = (now: Date) => now.toISOString().replace(/[:.]/g, '-');

/** Newest first. */
export function listBackups(folder: string): BackupInfo[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((name) => BACKUP_NAME.test(name))
    .sort()
    .reverse()
    .map((name) => {
      const path = join(folder, name);
      const iso = name.slice(6, -3).replace(/T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z/, 'T$1:$2:$3.$4Z');
      return { name, path, bytes: statSync(path).size, createdAt: iso };
    });
}

/** Copies the live database into `folder` and keeps only the newest `keep` backups. */
export async function createBackup(
  sqlite: Database.Database,
  folder: string,
  now: Date,
  keep = BACKUPS_KEPT,
  nativeBinding?: string,
): Promise<BackupInfo> {
  mkdirSync(folder, { recursive: true });
  const name = `roomy-${stamp(now)}.db`;
  const partial = join(folder, `${name}.partial`);
  await sqlite.backup(partial);
  asSingleFile(partial, nativeBinding);
  // Only a finished copy gets a backup's name: a crash mid-copy leaves no half backup to restore.
  renameSync(partial, join(folder, name));
  for (const old of listBackups(folder).slice(keep)) rmSync(old.path, { force: true });
  return listBackups(folder).find((b) => b.name === name)!;
}

/** The daily backup: made when the newest is a day old or there is none. */
export async function backUpIfDue(
  sqlite: Database.Database,
  folder: string,
  now: Date,
  keep = BACKUPS_KEPT,
  nativeBinding?: string,
): Promise<BackupInfo | null> {
  const newest = listBackups(folder)[0];
  if (newest && now.getTime() - Date.parse(newest.createdAt) < DAY_MS) return null;
  return createBackup(sqlite, folder, now, keep, nativeBinding);
}

/** A copy for IT or support, in `folder`, named so it is not taken for a routine backup. */
export async function exportDatabase(
  sqlite: Database.Database,
  folder: string,
  now: Date,
  nativeBinding?: string,
): Promise<string> {
  mkdirSync(folder, { recursive: true });
  const path = join(folder, `roomy-export-${stamp(now)}.db`);
  await sqlite.backup(`${path}.partial`);
  asSingleFile(`${path}.partial`, nativeBinding);
  renameSync(`${path}.partial`, path);
  return path;
}

/** A second connection, through the same compiled better-sqlite3 the app opened its database with. */
function openSqlite(file: string, options: Database.Options, nativeBinding?: string): Database.Database {
  return new Database(file, nativeBinding ? { ...options, nativeBinding } : options);
}

/** A copy in rollback-journal mode is one file: opening it later leaves no -wal or -shm beside it. */
function asSingleFile(file: string, nativeBinding?: string): void {
  const copy = openSqlite(file, {}, nativeBinding);
  try {
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
}

/**
 * Refuses a file that is not a sound Roomy database this build can open. `auditKeys` is where the
 * key of the database it would replace is kept: its chain is checked with that key.
 */
export function verifyBackup(
  file: string,
  migrationsFolder = SQLITE_MIGRATIONS,
  nativeBinding?: string,
  auditKeys?: ChainKeySource,
): { auditRows: number } {
  let copy: Database.Database;
  try {
    copy = openSqlite(file, { readonly: true, fileMustExist: true }, nativeBinding);
  } catch (error) {
    throw new AppError('validation', `${basename(file)} cannot be opened as a database: ${(error as Error).message}`);
  }
  try {
    const integrity = copy.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw new AppError('validation', `${basename(file)} is damaged: ${String(integrity)}`);
    const applied = appliedLocalMigrations(copy);
    if (applied.length === 0) throw new AppError('validation', `${basename(file)} is not a Roomy database.`);
    const known = knownMigrations(migrationsFolder);
    pendingMigrations(applied, known, basename(file));
    const differences = schemaDifferences(copy, expectedSchema(migrationsFolder, known, applied.length, nativeBinding));
    if (differences.length > 0) {
      const shown =
        differences.slice(0, 5).join('; ') + (differences.length > 5 ? `; and ${differences.length - 5} more` : '');
      throw new AppError(
        'validation',
        `${basename(file)} does not have the structure this version of Roomy gives a database (it was altered outside Roomy): ${shown}.`,
      );
    }
    const deviceId = copy.prepare(`SELECT value FROM device_meta WHERE key = 'device_id'`).pluck().get() as
      string | undefined;
    const secret = auditKeys && deviceId ? chainSecretOf(auditKeys, deviceId) : null;
    // A backup is older than the database by nature: its chain is checked, not its length.
    const chain = verifyAuditChain(copy, { secret, checkBound: false });
    if (!chain.intact) throw new AppError('validation', `${basename(file)} has a broken audit trail: ${chain.message}`);
    return { auditRows: chain.rows };
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('validation', `${basename(file)} cannot be restored: ${(error as Error).message}`);
  } finally {
    copy.close();
  }
}

interface SchemaObject {
  type: string;
  sql: string;
}

/** The tables, indexes and triggers of a database, by type and name, their SQL in one spacing. */
function schemaOf(sqlite: Database.Database): Map<string, SchemaObject> {
  const rows = sqlite
    .prepare(
      `SELECT type, name, sql FROM sqlite_master
       WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' AND name <> '__drizzle_migrations'`,
    )
    .all() as { type: string; name: string; sql: string }[];
  return new Map(rows.map((r) => [`${r.type} ${r.name}`, { type: r.type, sql: r.sql.replace(/\s+/g, ' ').trim() }]));
}

/** What this build's first `count` migrations make, once per process for each count. */
const expectedSchemas = new Map<string, Map<string, SchemaObject>>();

function expectedSchema(
  migrationsFolder: string,
  known: readonly MigrationMeta[],
  count: number,
  nativeBinding?: string,
): Map<string, SchemaObject> {
  const key = `${migrationsFolder}\n${count}`;
  let schema = expectedSchemas.get(key);
  if (!schema) {
    const fresh = openSqlite(':memory:', {}, nativeBinding);
    try {
      for (const migration of known.slice(0, count)) for (const statement of migration.sql) fresh.exec(statement);
      schema = schemaOf(fresh);
    } finally {
      fresh.close();
    }
    expectedSchemas.set(key, schema);
  }
  return schema;
}

/**
 * How a backup's tables, indexes and triggers differ from what its migrations make here, in words.
 * Only an index the sync engine itself set aside during a first load (noted in device_meta with
 * its exact definition) may be missing: the next start builds it again.
 */
function schemaDifferences(copy: Database.Database, expected: Map<string, SchemaObject>): string[] {
  const actual = schemaOf(copy);
  const setAside = new Set(
    (copy.prepare(`SELECT value FROM device_meta WHERE key LIKE 'dropped_indexes:%'`).pluck().all() as string[])
      .flatMap((value) => JSON.parse(value) as string[])
      .map((sql) => sql.replace(/\s+/g, ' ').trim()),
  );
  const differences: string[] = [];
  for (const [name, object] of expected) {
    const found = actual.get(name);
    if (!found) {
      if (!(object.type === 'index' && setAside.has(object.sql))) differences.push(`${name} is missing`);
    } else if (found.sql !== object.sql) differences.push(`${name} is defined differently`);
  }
  for (const name of actual.keys()) if (!expected.has(name)) differences.push(`${name} should not be there`);
  return differences;
}

const pendingRestoreOf = (databaseFile: string) => `${databaseFile}.restore`;

/**
 * Verifies `backupFile` and sets it to replace the database at the next start. The backup's audit
 * chain is checked with the key of the database open at `databaseFile`, unless other keys are given.
 */
export function stageRestore(
  backupFile: string,
  databaseFile: string,
  migrationsFolder?: string,
  nativeBinding?: string,
  auditKeys: ChainKeySource | undefined = chainKeeperOfFile(databaseFile)?.source,
): void {
  verifyBackup(backupFile, migrationsFolder, nativeBinding, auditKeys);
  const staged = pendingRestoreOf(databaseFile);
  copyFileSync(backupFile, `${staged}.partial`);
  renameSync(`${staged}.partial`, staged);
}

/**
 * Before the database is opened: swaps in a staged restore, keeping the database it replaces
 * among the backups (nothing is ever thrown away). The staged copy is checked again, the old
 * database's write-ahead log is folded in first (so no stale -wal can be replayed onto the
 * restored file), and a failed swap puts the old database back. Returns what happened, or null.
 */
export function applyPendingRestore(
  databaseFile: string,
  now: Date,
  migrationsFolder?: string,
  nativeBinding?: string,
  auditKeys?: ChainKeySource,
): { restoredFrom: string; keptAs: string | null } | { refused: string } | null {
  const staged = pendingRestoreOf(databaseFile);
  if (!existsSync(staged)) return null;
  try {
    verifyBackup(staged, migrationsFolder, nativeBinding, auditKeys);
  } catch (error) {
    const refusedAs = `${staged}-refused-${stamp(now)}`;
    renameSync(staged, refusedAs);
    return { refused: `${(error as Error).message} (kept as ${basename(refusedAs)})` };
  }
  let keptAs: string | null = null;
  if (existsSync(databaseFile)) {
    const current = openSqlite(databaseFile, {}, nativeBinding);
    try {
      current.pragma('wal_checkpoint(TRUNCATE)');
      current.pragma('journal_mode = DELETE');
    } finally {
      current.close();
    }
    const folder = backupsFolder(databaseFile);
    mkdirSync(folder, { recursive: true });
    keptAs = join(folder, `before-restore-${stamp(now)}.db`);
    renameSync(databaseFile, keptAs);
  }
  for (const suffix of ['-wal', '-shm', '-journal']) rmSync(databaseFile + suffix, { force: true });
  try {
    renameSync(staged, databaseFile);
  } catch (error) {
    if (keptAs) renameSync(keptAs, databaseFile);
    throw error;
  }
  return { restoredFrom: basename(staged), keptAs };
}
