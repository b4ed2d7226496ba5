// Which migrations a database has had, compared with the ones this build knows.
import { fileURLToPath } from 'node:url';
import { readMigrationFiles, type MigrationMeta } from 'drizzle-orm/migrator';

export const SQLITE_MIGRATIONS = fileURLToPath(new URL('../migrations/sqlite', import.meta.url));
export const POSTGRES_MIGRATIONS = fileURLToPath(new URL('../migrations/postgres', import.meta.url));

/** A migration recorded in a database's migrations table. */
export interface AppliedMigration {
  hash: string;
  createdAt: number;
}

export class MigrationHistoryError extends Error {
  override name = 'MigrationHistoryError';
}

export function knownMigrations(folder: string): MigrationMeta[] {
  return readMigrationFiles({ migrationsFolder: folder });
}

/**
 * Refuses a database whose applied migrations are not a prefix of the known ones: it was made by
 * a newer or a different build, and migrating it further could damage it. Returns the migrations
 * still to apply.
 */
export function pendingMigrations(
  applied: readonly AppliedMigration[],
  known: readonly MigrationMeta[],
  databaseName: string,
): MigrationMeta[] {
  if (applied.length > known.length) {
    throw new MigrationHistoryError(
      `${databaseName} has ${applied.length} migrations applied but this version of Roomy knows only ` +
        `${known.length}. It was probably opened by a newer version: install that version, or restore a backup.`,
    );
  }
  applied.forEach((migration, i) => {
    const expected = known[i]!;
    if (migration.hash !== expected.hash) {
      throw new MigrationHistoryError(
        `${databaseName} has an unknown migration at position ${i + 1} ` +
          `(applied ${new Date(migration.createdAt).toISOString()}, hash ${migration.hash.slice(0, 12)}…), ` +
          `where this version of Roomy expects ${expected.hash.slice(0, 12)}…. ` +
          `It was changed by a different build: restore a backup, or open it with the build that made it.`,
      );
    }
  });
  return known.slice(applied.length);
}
