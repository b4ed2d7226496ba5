// `npm run sync-server`: reads the configuration, opens (and migrates) the central database,
// serves until SIGINT/SIGTERM, then finishes in-flight writes and releases held long-polls.
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { warmUpPasswordEstimator } from '../db/auth/passwords.js';
import { openCentralDatabase } from '../db/central-database.js';
import { newTokenSecret } from './auth/tokens.js';
import { ConfigError, loadConfig, type SyncServerConfig } from './config.js';
import { EMBEDDED_PID_FILE } from './embedded.js';
import { createSyncServer } from './server.js';

/** The embedded server keeps its own generated token secret beside its database. */
function embeddedTokenSecret(dataDir: string): string {
  const file = join(dataDir, 'token-secret');
  if (!existsSync(file)) {
    writeFileSync(file, newTokenSecret(), { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return readFileSync(file, 'utf8').trim();
}

async function main(config: SyncServerConfig): Promise<void> {
  mkdirSync(config.dataDir, { recursive: true });
  const target = config.databaseUrl ? { url: config.databaseUrl } : { pgliteDataDir: join(config.dataDir, 'pglite') };
  const central = await openCentralDatabase(target);
  const server = await createSyncServer(central, {
    ...config,
    tokenSecret: config.tokenSecret ?? embeddedTokenSecret(config.dataDir),
  });
  const log = server.app.log;
  log.info(
    config.databaseUrl
      ? { database: 'postgres', host: new URL(config.databaseUrl).host }
      : { database: 'pglite', dataDir: join(config.dataDir, 'pglite') },
    config.databaseUrl
      ? 'Using the PostgreSQL database from DATABASE_URL'
      : 'No DATABASE_URL: using the embedded PGlite database in the data folder (fine for one office or a trial; use PostgreSQL in production)',
  );
  await server.app.listen({ host: config.host, port: config.port });
  // The password estimator's dictionaries take a second to unpack: paid now, not by a request.
  setImmediate(warmUpPasswordEstimator);
  // PGlite is one process's database: other commands check this file before opening it.
  const pidFile = join(config.dataDir, EMBEDDED_PID_FILE);
  if (!config.databaseUrl) writeFileSync(pidFile, String(process.pid));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'Shutting down: finishing in-flight requests');
    await server.close();
    await central.close();
    if (!config.databaseUrl) rmSync(pidFile, { force: true });
    log.info('Stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

try {
  await main(loadConfig());
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
