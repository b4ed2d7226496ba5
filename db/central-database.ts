// Opening the central Postgres database: a real server via DATABASE_URL, or embedded PGlite.
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { drizzle as drizzlePg, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite, type PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { knownMigrations, pendingMigrations, POSTGRES_MIGRATIONS, type AppliedMigration } from './migrate/history.js';
import * as schema from './schema/postgres.js';

export type CentralSchema = typeof schema;
export type CentralDb = NodePgDatabase<CentralSchema> | PgliteDatabase<CentralSchema>;

/** Raw SQL with parameters; rows come back as plain objects. */
export type Query = <T = Record<string, unknown>>(text: string, params?: unknown[]) => Promise<T[]>;

export type Isolation = 'read committed' | 'repeatable read';

export interface CentralDatabase {
  db: CentralDb;
  kind: 'postgres' | 'pglite';
  query: Query;
  /** Runs `work` in one transaction on one connection: committed if it returns, rolled back if it throws. */
  transaction<T>(work: (query: Query) => Promise<T>, isolation?: Isolation): Promise<T>;
  close(): Promise<void>;
}

export type CentralTarget = { url: string } | { pgliteDataDir: string | 'memory' };

export async function openCentralDatabase(
  target: CentralTarget,
  options: { migrationsFolder?: string } = {},
): Promise<CentralDatabase> {
  const central = 'url' in target ? connectPostgres(target.url) : await connectPglite(target.pgliteDataDir);
  try {
    await migrateCentral(central, options.migrationsFolder ?? POSTGRES_MIGRATIONS, describe(target));
    return central;
  } catch (error) {
    await central.close();
    throw error;
  }
}

function connectPostgres(url: string): CentralDatabase {
  // UTC so that timestamps read as text are the same whoever reads them.
  const pool = new pg.Pool({ connectionString: url, max: 10, options: '-c TimeZone=UTC' });
  // An idle connection the server closed (a restart, a dropped database) must not take the
  // process down: the pool discards it and opens a new one on the next query.
  pool.on('error', () => {});
  return {
    db: drizzlePg(pool, { schema }),
    kind: 'postgres',
    query: async <T>(text: string, params?: unknown[]) => (await pool.query(text, params)).rows as T[],
    async transaction(work, isolation = 'read committed') {
      const client = await pool.connect();
      try {
        await client.query(`BEGIN ISOLATION LEVEL ${isolation.toUpperCase()}`);
        const value = await work(
          async <T>(text: string, params?: unknown[]) => (await client.query(text, params)).rows as T[],
        );
        await client.query('COMMIT');
        return value;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

async function connectPglite(dataDir: string): Promise<CentralDatabase> {
  const client = await PGlite.create(dataDir === 'memory' ? undefined : dataDir, { extensions: { btree_gist } });
  await client.exec(`SET TIME ZONE 'UTC'`);
  return {
    db: drizzlePglite(client, { schema }),
    kind: 'pglite',
    query: async <T>(text: string, params?: unknown[]) => (await client.query<T>(text, params)).rows,
    // PGlite has one connection and runs one transaction at a time, so every isolation level holds.
    transaction: (work) =>
      client.transaction((tx) =>
        work(async <T>(text: string, params?: unknown[]) => (await tx.query<T>(text, params)).rows),
      ),
    close: () => client.close(),
  };
}

async function migrateCentral(central: CentralDatabase, migrationsFolder: string, name: string): Promise<void> {
  const [table] = await central.query<{ exists: boolean }>(
    `SELECT to_regclass('drizzle.__drizzle_migrations') IS NOT NULL AS exists`,
  );
  const applied: AppliedMigration[] = table?.exists
    ? (
        await central.query<{ hash: string; created_at: string }>(
          `SELECT hash, created_at FROM drizzle.__drizzle_migrations ORDER BY created_at, id`,
        )
      ).map((r) => ({ hash: r.hash, createdAt: Number(r.created_at) }))
    : [];
  if (pendingMigrations(applied, knownMigrations(migrationsFolder), name).length === 0) return;
  if (central.kind === 'postgres') await migratePg(central.db as NodePgDatabase<CentralSchema>, { migrationsFolder });
  else await migratePglite(central.db as PgliteDatabase<CentralSchema>, { migrationsFolder });
}

/** Names the database in messages without its password. */
function describe(target: CentralTarget): string {
  if ('pgliteDataDir' in target) return `The embedded database (${target.pgliteDataDir})`;
  const url = new URL(target.url);
  return `The database ${url.pathname.slice(1)} on ${url.host}`;
}
