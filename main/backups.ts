// Local backups: a daily copy of the database (SQLite's online backup API, so the app keeps
// working while it runs), "back up now", an export for IT, and restore. A restore is checked
// first (integrity, a migration history this build knows, an intact audit chain) and then staged:
// the copy replaces the database the next time Roomy starts, before anything opens it.
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { appliedLocalMigrations } from '../db/local-database.js';
import { knownMigrations, pendingMigrations, SQLITE_MIGRATIONS } from '../db/migrate/history.js';
import { verifyAuditChain } from './core/audit-chain.js';
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

/** Refuses a file that is not a sound Roomy database this build can open. */
export function verifyBackup(
  file: string,
  migrationsFolder = SQLITE_MIGRATIONS,
  nativeBinding?: string,
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
    pendingMigrations(applied, knownMigrations(migrationsFolder), basename(file));
    const chain = verifyAuditChain(copy);
    if (!chain.intact) throw new AppError('validation', `${basename(file)} has a broken audit trail: ${chain.message}`);
    return { auditRows: chain.rows };
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('validation', `${basename(file)} cannot be restored: ${(error as Error).message}`);
  } finally {
    copy.close();
  }
}

const pendingRestoreOf = (databaseFile: string) => `${databaseFile}.restore`;

/** Verifies `backupFile` and sets it to replace the database at the next start. */
export function stageRestore(
  backupFile: string,
  databaseFile: string,
  migrationsFolder?: string,
  nativeBinding?: string,
): void {
  verifyBackup(backupFile, migrationsFolder, nativeBinding);
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
): { restoredFrom: string; keptAs: string | null } | { refused: string } | null {
  const staged = pendingRestoreOf(databaseFile);
  if (!existsSync(staged)) return null;
  try {
    verifyBackup(staged, migrationsFolder, nativeBinding);
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
