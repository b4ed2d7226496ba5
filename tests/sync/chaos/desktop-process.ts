// A real desktop in a process of its own, driven over stdin/stdout so a chaos run can kill it
// outright (kill -9) and start it again on the same data folder. One JSON line per request,
// {id, cmd, ...}; one JSON line per answer, {id, ok, value} or {id, ok: false, error} (a call
// that threw, or the harness's own trouble; an operation's refusal is a value, as the window
// gets it). The engine's log and every request to the server go to stderr, for the run's report.
//   node --import tsx tests/sync/chaos/desktop-process.ts <data folder> <server url>
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { SYNCED_TABLES, type SyncedTableName } from '../../../main/core/synced-tables.js';
import { createDesktop } from '../../../main/desktop.js';
import type { Logger } from '../../../main/core/logger.js';
import type { OperationName } from '../../../main/operations/index.js';
import { MemorySecretStore } from '../../../main/sync/server-connection.js';

export type DesktopRequest =
  | { cmd: 'call'; name: OperationName; input?: unknown }
  | { cmd: 'rows'; table: SyncedTableName }
  | { cmd: 'status' }
  | { cmd: 'conflicts' }
  | { cmd: 'conflictLog' }
  | { cmd: 'audit' }
  | { cmd: 'diagnosis' };

const [dataDir, serverUrl] = process.argv.slice(2) as [string, string];
const CALLER = 'window-1';
const say = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
const log =
  (level: string): Logger['info'] =>
  (message, details) =>
    process.stderr.write(`${JSON.stringify({ at: new Date().toISOString(), level, message, ...details })}\n`);
const logger: Logger = { info: log('info'), warn: log('warn'), error: log('error') };

/** Each request to the server and its answer's status and shape headers, in the log (to read a failure by). */
async function traced(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const url = new URL(String(input instanceof Request ? input.url : input));
  const request = url.pathname === '/v1/shape' ? Object.fromEntries(url.searchParams) : {};
  const started = Date.now();
  const at = new Date(started).toISOString();
  const line = (fields: object) =>
    process.stderr.write(
      `${JSON.stringify({ at, fetch: `${init?.method ?? 'GET'} ${url.pathname}`, ...request, ...fields })}\n`,
    );
  try {
    const response = await fetch(input, init);
    const headers = response.headers;
    line({
      status: response.status,
      ms: Date.now() - started,
      ...(headers.has('electric-handle')
        ? { toHandle: headers.get('electric-handle'), toOffset: headers.get('electric-offset') }
        : {}),
    });
    return response;
  } catch (error) {
    line({ failed: String((error as Error).cause ?? error), ms: Date.now() - started });
    throw error;
  }
}

const settings = join(dataDir, 'settings.json');
if (!existsSync(settings)) writeFileSync(settings, JSON.stringify({ syncServerUrl: serverUrl }));
const desktop = createDesktop({
  databaseFile: join(dataDir, 'roomy.db'),
  // Tokens live in memory, as in the browser host: a restart signs in again.
  secrets: new MemorySecretStore(),
  logger,
  sleep: async () => {},
  // Short enough that a run settles within its deadline once the network is back.
  syncBackoff: { initialMs: 200, maxMs: 4_000 },
  fetch: traced,
  environment: { fleet: { path: join(dataDir, 'fleet.json'), config: {}, problem: null } },
});

function engine() {
  const found = desktop.engineOf(CALLER);
  if (!found) throw new Error('nobody is signed in with the sync server on this desktop');
  return found;
}

const sqlite = () => engine().replica.sqlite;

async function handle(request: DesktopRequest): Promise<unknown> {
  switch (request.cmd) {
    case 'call':
      return desktop.call(CALLER, request.name, request.input);
    case 'rows':
      if (!(request.table in SYNCED_TABLES)) throw new Error(`${request.table} is not a synced table`);
      return sqlite().prepare(`SELECT * FROM "${request.table}" ORDER BY id`).all();
    case 'status': {
      // Not signed in (a sign-in refused after a restart): nothing syncs, which is not idle.
      const found = desktop.engineOf(CALLER);
      return found ? { ...found.status(), idle: found.idle } : { state: 'signed-out', idle: false, waiting: 0 };
    }
    case 'conflicts':
      return engine().conflicts();
    case 'conflictLog':
      return sqlite()
        .prepare('SELECT changeset_id, code, message, resolved_at, resolution FROM sync_conflicts ORDER BY created_at')
        .all();
    case 'audit': {
      const db = sqlite();
      const deviceId = db.prepare(`SELECT value FROM device_meta WHERE key = 'device_id'`).pluck().get() as string;
      const own = db
        .prepare('SELECT count(*) AS count, max(seq) AS maxSeq FROM audit_log WHERE device_id = ?')
        .get(deviceId) as { count: number; maxSeq: number | null };
      const others = db.prepare('SELECT count(*) FROM audit_log WHERE device_id <> ?').pluck().get(deviceId) as number;
      return { deviceId, ...own, others };
    }
    case 'diagnosis': {
      const db = sqlite();
      // What keeps it from idle, where the engine can say.
      const busy = (engine() as { busyWith?: () => string[] }).busyWith?.();
      return {
        status: { ...engine().status(), idle: engine().idle },
        ...(busy ? { busy } : {}),
        outbox: db
          .prepare(
            'SELECT position, changeset_id, attempts, next_attempt_at, last_error, ops FROM outbox ORDER BY position',
          )
          .all(),
        shapes: db.prepare('SELECT table_name, handle, "offset", updated_at FROM shape_state').all(),
      };
    }
  }
}

createInterface({ input: process.stdin })
  .on('line', (text) => {
    const { id, ...request } = JSON.parse(text) as { id: number } & DesktopRequest;
    handle(request).then(
      (value) => say({ id, ok: true, value }),
      (error: unknown) => {
        // A call that throws instead of answering is a finding of its own: its stack goes to the log.
        logger.error('A request threw', { request, error: error instanceof Error ? error.stack : String(error) });
        say({ id, ok: false, error: error instanceof Error ? error.message : String(error) });
      },
    );
  })
  // The run that drives this desktop has gone: nothing is left to answer.
  .on('close', () => {
    desktop.close();
    process.exit(0);
  });
say({ ready: true });
