// The central Postgres for chaos runs outside vitest (the soak script): TEST_DATABASE_URL or a
// throwaway cluster from the installed binaries, and a fresh, migrated database per run. Inside
// vitest the harness's freshCentralDatabase does the same.
import pg from 'pg';
import { openCentralDatabase, type CentralDatabase } from '../../../db/central-database.js';
import { newId } from '../../../db/domain/ids.js';
import { findPostgresBinaries, startPostgresCluster } from '../../harness/postgres-cluster.js';

export interface ChaosCentral extends CentralDatabase {
  url: string;
  dispose(): Promise<void>;
}

export interface PostgresForRuns {
  /** A new, migrated database for one run. */
  fresh(): Promise<ChaosCentral>;
  stop(): void;
}

export async function postgresForRuns(): Promise<PostgresForRuns> {
  let adminUrl = process.env.TEST_DATABASE_URL;
  let stop = () => {};
  if (!adminUrl) {
    const binDir = findPostgresBinaries();
    if (!binDir) throw new Error('A chaos run needs PostgreSQL: install it (initdb, pg_ctl) or set TEST_DATABASE_URL.');
    const cluster = await startPostgresCluster(binDir);
    adminUrl = cluster.url;
    stop = () => cluster.stop();
  }
  const admin = adminUrl;
  return {
    async fresh() {
      const name = `roomy_chaos_${newId().replace(/-/g, '')}`;
      await withClient(admin, (client) => client.query(`CREATE DATABASE ${name}`));
      const url = new URL(admin);
      url.pathname = `/${name}`;
      const central = await openCentralDatabase({ url: url.toString() });
      return {
        ...central,
        url: url.toString(),
        async dispose() {
          await central.close();
          await withClient(admin, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
        },
      };
    },
    stop,
  };
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
