// Decides, once per test run, which central database the tests use:
//   TEST_DATABASE_URL if given, else a throwaway cluster from the installed PostgreSQL binaries,
//   else (never in CI) the embedded PGlite, announced loudly.
import type { TestProject } from 'vitest/node';
import { findPostgresBinaries, startPostgresCluster } from './postgres-cluster.js';

export type CentralTestTarget = { kind: 'postgres'; url: string } | { kind: 'pglite' };

declare module 'vitest' {
  export interface ProvidedContext {
    central: CentralTestTarget;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const given = process.env.TEST_DATABASE_URL;
  if (given) {
    console.log('Central database for tests: TEST_DATABASE_URL');
    project.provide('central', { kind: 'postgres', url: given });
    return () => {};
  }
  const binDir = findPostgresBinaries();
  if (binDir) {
    const cluster = await startPostgresCluster(binDir);
    console.log(
      `Central database for tests: a throwaway PostgreSQL cluster from ${binDir} on ${new URL(cluster.url).host}`,
    );
    project.provide('central', { kind: 'postgres', url: cluster.url });
    return () => cluster.stop();
  }
  if (process.env.CI === 'true') {
    throw new Error(
      'CI needs a real PostgreSQL: install PostgreSQL (initdb, pg_ctl) or set TEST_DATABASE_URL. ' +
        'Falling back to PGlite is not allowed in CI.',
    );
  }
  const banner = '!'.repeat(78);
  console.warn(
    `\n${banner}\n  No PostgreSQL found (no TEST_DATABASE_URL, no initdb/pg_ctl).\n` +
      `  Central-database tests run on the embedded PGlite instead of a real Postgres.\n${banner}\n`,
  );
  project.provide('central', { kind: 'pglite' });
  return () => {};
}
