// Desktop devices for sync tests: each a real desktop (its own data folder and SQLite files)
// pointed at a real sync server, with a network switch the test controls.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SyncedTableName } from '../../main/core/synced-tables.js';
import { createDesktop, type Desktop } from '../../main/desktop.js';
import type { OperationName } from '../../main/operations/index.js';
import type { Identity } from '../../main/core/sessions.js';
import { MemorySecretStore } from '../../main/sync/server-connection.js';
import { sqliteValues, type ColumnValues } from '../../main/sync/replica.js';
import { readRowsOnce } from '../../main/sync/shape-values.js';
import type { SyncEngine } from '../../main/sync/sync-engine.js';
import { tempDir } from '../harness/databases.js';
import { PASSWORD } from '../sync-server/sync-client.js';

/** A fetch that fails while the switch is off, and cuts what is in flight when it goes off. */
export class NetworkSwitch {
  online = true;
  /** Sees each request as it starts (a test's hook into the moment of an upload). */
  onRequest: ((url: string, method: string) => void) | null = null;
  /** Answers in the server's place when it returns a response (a server in trouble: 429, 503). */
  answer: ((url: string, method: string) => Response | null) | null = null;
  /** Holds the server's response until the promise it returns settles (a slow network, one answer late). */
  holdResponse: ((url: string, method: string) => Promise<void> | null) | null = null;
  readonly #inFlight = new Set<AbortController>();

  fetch: typeof fetch = async (input, init = {}) => {
    if (!this.online) throw new TypeError('fetch failed (the test has this device offline)');
    const url = String(input instanceof Request ? input.url : input);
    this.onRequest?.(url, init.method ?? 'GET');
    const stand = this.answer?.(url, init.method ?? 'GET');
    if (stand) return stand;
    const controller = new AbortController();
    this.#inFlight.add(controller);
    try {
      const signal = init.signal ? AbortSignal.any([init.signal, controller.signal]) : controller.signal;
      const response = await fetch(input, { ...init, signal });
      await this.holdResponse?.(url, init.method ?? 'GET');
      return response;
    } finally {
      this.#inFlight.delete(controller);
    }
  };

  off(): void {
    this.online = false;
    for (const controller of this.#inFlight) controller.abort(new TypeError('network gone'));
    this.#inFlight.clear();
  }

  on(): void {
    this.online = true;
  }
}

export interface TestDevice {
  name: string;
  /** Its data folder. */
  folder: string;
  desktop: Desktop;
  network: NetworkSwitch;
  identity: Identity | null;
  signIn(email: string, password?: string): Promise<Identity>;
  ok<T = unknown>(name: OperationName, input?: unknown): Promise<T>;
  fails(
    name: OperationName,
    input?: unknown,
  ): Promise<{ code: string; message: string; fields?: Record<string, string> }>;
  engine(): SyncEngine;
  /** The rows of a table in this device's database, by id, as SQLite has them. */
  rows(table: SyncedTableName): Map<string, ColumnValues>;
  /** Closes the desktop as a crash would leave it (nothing flushed beyond what SQLite committed). */
  close(): void;
  /** A new desktop on the same data folder (a restart). */
  reopen(): TestDevice;
  dispose(): void;
}

const CALLER = 'window-1';

export function createDevice(
  name: string,
  serverUrl: string,
  folder?: string,
  secrets = new MemorySecretStore(),
): TestDevice {
  const dir = folder ? { path: folder, remove() {} } : tempDir(`roomy-device-${name}-`);
  writeFileSync(join(dir.path, 'settings.json'), JSON.stringify({ syncServerUrl: serverUrl }));
  const network = new NetworkSwitch();
  const desktop = createDesktop({
    databaseFile: join(dir.path, 'roomy.db'),
    sleep: async () => {},
    secrets,
    fetch: network.fetch,
    syncBackoff: { initialMs: 100, maxMs: 1_000 },
    environment: { fleet: { path: join(dir.path, 'fleet.json'), config: {}, problem: null } },
  });
  const device: TestDevice = {
    name,
    folder: dir.path,
    desktop,
    network,
    identity: null,
    async signIn(email, password = PASSWORD) {
      device.identity = await device.ok<Identity>('auth/sign-in', { email, password });
      return device.identity;
    },
    async ok<T>(op: OperationName, input?: unknown) {
      const result = await desktop.call(CALLER, op, input);
      if (!result.ok) throw new Error(`${name}: ${op} failed: ${result.error.code}: ${result.error.message}`);
      return result.value as T;
    },
    async fails(op: OperationName, input?: unknown) {
      const result = await desktop.call(CALLER, op, input);
      if (result.ok)
        throw new Error(`${name}: ${op} was expected to fail but returned ${JSON.stringify(result.value)}`);
      return result.error;
    },
    engine() {
      const engine = desktop.engineOf(CALLER);
      if (!engine) throw new Error(`${name} is not signed in with a sync server`);
      return engine;
    },
    rows(table) {
      const sqlite = device.engine().replica.sqlite;
      const rows = sqlite.prepare(`SELECT * FROM "${table}" ORDER BY id`).all() as ColumnValues[];
      return new Map(rows.map((r) => [String(r.id), r]));
    },
    close: () => desktop.close(),
    reopen: () => createDevice(name, serverUrl, dir.path, secrets),
    dispose() {
      desktop.close();
      dir.remove();
    },
  };
  return device;
}

/** What the server shows this device's user of a table, as SQLite would store it (null: may not read it). */
export async function serverRows(
  device: TestDevice,
  table: SyncedTableName,
): Promise<Map<string, ColumnValues> | null> {
  const connection = device.engine().connection;
  const rows = await readRowsOnce(connection.url, connection.fetch, table, null);
  if (rows === 'unreadable') return null;
  return new Map(rows.map((r) => [String(r.id), sqliteValues(table, r)]));
}

/** Resolves once `check` passes (it throws until then), or rejects with its last complaint. */
export async function eventually<T>(check: () => T | Promise<T>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      return await check();
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw last instanceof Error ? last : new Error(String(last));
}

/**
 * Until the device has nothing left to upload and follows every table it may read. It fails when
 * the device stops getting there: `ms` without one more change uploaded, not `ms` in all (a loaded
 * machine uploads a long queue slowly, and a stuck one not at all).
 */
export async function settled(device: TestDevice, ms = 20_000): Promise<void> {
  let fewest = Infinity;
  let progressAt = Date.now();
  for (;;) {
    const engine = device.engine();
    if (engine.idle) return;
    const waiting = engine.status().waiting;
    if (waiting < fewest) {
      fewest = waiting;
      progressAt = Date.now();
    }
    if (Date.now() - progressAt > ms) {
      const status = engine.status();
      throw new Error(`${device.name} has not settled (${engine.busyWith().join('; ')}): ${JSON.stringify(status)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
