// An office's sync server for an end-to-end test, in the test's own process: a real sync server on
// a throwaway PostgreSQL cluster (the same way the unit suites get theirs), which the test can stop
// and start again on the same port and database, and a second server on that database for a second
// office's devices. No vitest here: Playwright runs this file.
import pg from 'pg';
import { openCentralDatabase, type CentralDatabase } from '../../db/central-database.js';
import { newId } from '../../db/domain/ids.js';
import { createSyncServer, type ServerSettings, type SyncServer } from '../../sync-server/server.js';
import { findPostgresBinaries, startPostgresCluster } from '../harness/postgres-cluster.js';
import { TEST_SETTINGS } from '../sync-server/sync-client.js';

const SETTINGS: ServerSettings = { ...TEST_SETTINGS, allowedOrigins: [] };

export interface OfficeServer {
  central: CentralDatabase;
  /** The server's address; the same after a restart. */
  url: string;
  /** Stops taking requests (the database stays). */
  stop(): Promise<void>;
  /** Starts again on the same port and database. */
  start(): Promise<void>;
  /** Another server on the same database and its own port, as a second office would reach it. */
  another(): Promise<{ url: string; close(): Promise<void> }>;
  dispose(): Promise<void>;
}

export async function startOfficeServer(): Promise<OfficeServer> {
  const database = await centralDatabase();
  const { central } = database;
  const listen = async (port: number) => {
    const server = await createSyncServer(central, SETTINGS);
    try {
      const url = await server.app.listen({ host: '127.0.0.1', port });
      return { server, url };
    } catch (error) {
      await server.close();
      throw error;
    }
  };
  let running: SyncServer | null;
  let url: string;
  try {
    ({ server: running, url } = await listen(0));
  } catch (error) {
    await database.dispose();
    throw error;
  }
  const port = Number(new URL(url).port);
  const others = new Set<SyncServer>();
  return {
    central,
    url,
    async stop() {
      await running?.close();
      running = null;
    },
    async start() {
      if (running) return;
      running = (await listen(port)).server;
    },
    async another() {
      const other = await listen(0);
      others.add(other.server);
      return {
        url: other.url,
        close: async () => {
          if (others.delete(other.server)) await other.server.close();
        },
      };
    },
    async dispose() {
      try {
        await running?.close();
        for (const other of others) await other.close();
      } finally {
        await database.dispose();
      }
    },
  };
}

/**
 * As the unit suites choose (tests/harness/global-setup.ts): TEST_DATABASE_URL, else a throwaway
 * cluster from the installed PostgreSQL binaries, else — never in CI — the embedded PGlite, loudly.
 */
async function centralDatabase(): Promise<{ central: CentralDatabase; dispose(): Promise<void> }> {
  const given = process.env.TEST_DATABASE_URL;
  if (given) {
    const name = `roomy_e2e_${newId().replace(/-/g, '')}`;
    await asAdmin(given, `CREATE DATABASE ${name}`);
    const url = new URL(given);
    url.pathname = `/${name}`;
    const central = await openCentralDatabase({ url: url.toString() });
    return {
      central,
      async dispose() {
        await central.close();
        await asAdmin(given, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      },
    };
  }
  const binDir = findPostgresBinaries();
  if (binDir) {
    const cluster = await startPostgresCluster(binDir);
    try {
      const central = await openCentralDatabase({ url: cluster.url });
      return {
        central,
        async dispose() {
          try {
            await central.close();
          } finally {
            cluster.stop();
          }
        },
      };
    } catch (error) {
      cluster.stop();
      throw error;
    }
  }
  if (process.env.CI === 'true') {
    throw new Error('CI needs a real PostgreSQL: install PostgreSQL (initdb, pg_ctl) or set TEST_DATABASE_URL.');
  }
  console.warn('No PostgreSQL found (no TEST_DATABASE_URL, no initdb/pg_ctl): the sync server runs on PGlite.');
  const central = await openCentralDatabase({ pgliteDataDir: 'memory' });
  return { central, dispose: () => central.close() };
}

async function asAdmin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
