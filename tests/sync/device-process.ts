// A desktop in a process of its own, so a test can kill it outright mid-download. It signs in,
// follows the server, and reports on stdout, one JSON line each: the shape requests it makes
// ({request: table, offset}), and {idle: true} whenever it has caught up.
//   node --import tsx tests/sync/device-process.ts <data folder> <email> <password>
import { join } from 'node:path';
import { createDesktop } from '../../main/desktop.js';
import { MemorySecretStore } from '../../main/sync/server-connection.js';

const [dataDir, email, password] = process.argv.slice(2) as [string, string, string];
const say = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);

const desktop = createDesktop({
  databaseFile: join(dataDir, 'roomy.db'),
  secrets: new MemorySecretStore(),
  environment: { fleet: { path: join(dataDir, 'fleet.json'), config: {}, problem: null } },
  fetch: (input, init) => {
    const url = new URL(String(input instanceof Request ? input.url : input));
    if (url.pathname === '/v1/shape')
      say({ request: url.searchParams.get('table'), offset: url.searchParams.get('offset') });
    return fetch(input, init);
  },
});
const signedIn = await desktop.call('main', 'auth/sign-in', { email, password });
if (!signedIn.ok) {
  say({ error: signedIn.error.message });
  process.exit(1);
}
const engine = desktop.engineOf('main')!;
setInterval(() => {
  if (engine.idle) say({ idle: true });
}, 100);
