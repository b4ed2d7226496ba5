// A real sync server for a test: its own migrated central database (the run's Postgres cluster,
// or PGlite when asked), listening on a free loopback port. The client side is sync-client.ts.
import { openCentralDatabase, type CentralDatabase } from '../../db/central-database.js';
import { createSyncServer, type ServerSettings, type SyncServer } from '../../sync-server/server.js';
import { TEST_SETTINGS } from './sync-client.js';
import { freshCentralDatabase } from '../harness/databases.js';

export * from './sync-client.js';

export interface TestSyncServer {
  central: CentralDatabase;
  server: SyncServer;
  url: string;
  close(): Promise<void>;
}

export async function startSyncServer(
  settings: Partial<ServerSettings> = {},
  options: { pglite?: boolean } = {},
): Promise<TestSyncServer> {
  const fresh = options.pglite ? null : await freshCentralDatabase();
  const central = fresh ?? (await openCentralDatabase({ pgliteDataDir: 'memory' }));
  const server = await createSyncServer(central, { ...TEST_SETTINGS, ...settings });
  const address = await server.app.listen({ host: '127.0.0.1', port: 0 });
  return {
    central,
    server,
    url: address,
    async close() {
      await server.close();
      if (fresh) await fresh.dispose();
      else await central.close();
    },
  };
}
