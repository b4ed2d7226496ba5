// Fresh databases for one test: a new SQLite file, a new Postgres database, or a new PGlite.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { openCentralDatabase, type CentralDatabase } from '../../db/central-database.js';
import { openLocalDatabase, type LocalDatabase, type OpenLocalOptions } from '../../db/local-database.js';
import { newId } from '../../db/domain/ids.js';

export function tempDir(prefix = 'roomy-test-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface TestLocalDatabase extends LocalDatabase {
  file: string;
  /** Closes the database and removes its folder. */
  dispose(): void;
}

/** A new SQLite file with the real migrations applied. */
export function freshLocalDatabase(options: OpenLocalOptions = {}): TestLocalDatabase {
  const dir = tempDir();
  const file = join(dir.path, 'roomy.db');
  const local = openLocalDatabase(file, options);
  return {
    ...local,
    file,
    dispose() {
      local.close();
      dir.remove();
    },
  };
}

export interface TestCentralDatabase extends CentralDatabase {
  /** A connection URL for the database (absent on PGlite). */
  url: string | null;
  dispose(): Promise<void>;
}

/** An empty database on the run's Postgres cluster (or PGlite), not yet migrated. */
export async function emptyCentralTarget(): Promise<{ url: string | null; drop(): Promise<void> }> {
  const central = inject('central');
  if (central.kind === 'pglite') return { url: null, drop: async () => {} };
  const name = `roomy_test_${newId().replace(/-/g, '')}`;
  await withAdmin(central.url, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(central.url);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await withAdmin(central.url, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/** A new, migrated central database. */
export async function freshCentralDatabase(): Promise<TestCentralDatabase> {
  const target = await emptyCentralTarget();
  const central = await openCentralDatabase(target.url ? { url: target.url } : { pgliteDataDir: 'memory' });
  return {
    ...central,
    url: target.url,
    async dispose() {
      await central.close();
      await target.drop();
    },
  };
}

async function withAdmin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
