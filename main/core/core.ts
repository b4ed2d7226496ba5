// The trusted heart of the desktop app: opens the local database, holds the sessions, and routes
// every call. It runs in plain Node; the Electron shell and the browser host are thin transports.
import { dirname, join } from 'node:path';
import { eq } from 'drizzle-orm';
import { newId } from '../../db/domain/ids.js';
import { openLocalDatabase, type LocalDatabase } from '../../db/local-database.js';
import { defaultEnvironment, type AppEnvironment } from '../app-environment.js';
import { applyPendingRestore, backUpIfDue } from '../backups.js';
import { deviceMeta } from '../../db/schema/sqlite.js';
import { allOperations, type Contract } from '../operations/index.js';
import { silentLogger, type Logger } from './logger.js';
import type { CoreServices, Door, ServerAccess, SyncControl } from './operation.js';
import { SyncBase } from '../sync/sync-base.js';
import { RuleChecks } from './rule-checks.js';
import { commitChange } from './changes.js';
import { FileSecretStore } from '../sync/secret-store.js';
import { keepAuditChain, type ChainKeySource } from './chain-keeper.js';
import { Router, type ChangeListener, type ChangeTopic } from './router.js';
import { Sessions } from './sessions.js';
import type { Result } from './errors.js';

export interface CoreOptions {
  databaseFile: string;
  /** Where the SQLite migrations are; the packaged app keeps them beside its bundle. */
  migrationsFolder?: string;
  logger?: Logger;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  /** Sees every SQL statement the core runs (see openLocalDatabase). */
  trace?: (sql: string, params: unknown[]) => void;
  /** The installation (version, folders, fleet configuration); defaults suit tests and tools. */
  environment?: Partial<AppEnvironment>;
  /** Back up the database daily (the app does; tests and tools do not). */
  dailyBackups?: boolean;
  /** A synced user's database: the rows they may see, replicated (see openLocalDatabase). */
  partialReplica?: boolean;
  /** The compiled better-sqlite3 to open the database with (see openLocalDatabase). */
  nativeBinding?: string;
  /** The id a new database takes (a synced device signs in with it before its database exists). */
  deviceId?: string;
  /** The door to the sync server, when this computer works with one (main/desktop.ts). */
  door?: () => Door | undefined;
  /** The sync server, for a synced user's database. */
  server?: () => ServerAccess | undefined;
  /** Hears of every session that ends (the desktop lets go of the window's database then). */
  sessionEnded?: (callerId: string) => void;
  /** This database's sync engine, when it has one: what the sync operations report and control. */
  sync?: () => SyncControl | undefined;
  /**
   * Where this database's audit chain key is kept, outside the database: the app's keychain, or by
   * default `keys.json` in the database's folder (see chain-keeper.ts).
   */
  auditKeys?: ChainKeySource;
}

export interface Core {
  call<N extends keyof Contract & string>(callerId: string, name: N, input?: unknown): Promise<Result<unknown>>;
  onChange(listener: ChangeListener): () => void;
  /** Hears that something was committed that waits to go to the sync server (every change, and refusals' audit rows). */
  onQueued(listener: () => void): () => void;
  /** Signs in against this database's own verifiers, never through the door: what the door itself does last. */
  signInHere(callerId: string, credentials: { email: string; password: string }): Promise<Result<unknown>>;
  /** Forgets a connection that has gone (a closed window or tab): its session ends. */
  disconnect(callerId: string): void;
  readonly database: LocalDatabase;
  readonly deviceId: string;
  readonly operationNames: string[];
  close(): void;
}

const HOUR_MS = 60 * 60 * 1000;

export function createCore(options: CoreOptions): Core {
  const logger = options.logger ?? silentLogger;
  const now = options.now ?? (() => new Date());
  const auditKeys = options.auditKeys ?? {
    store: new FileSecretStore(join(dirname(options.databaseFile), 'keys.json')),
    entry: 'audit-chain local',
  };
  // A restore chosen in the app is swapped in here, before anything opens the database.
  const restore = applyPendingRestore(
    options.databaseFile,
    now(),
    options.migrationsFolder,
    options.nativeBinding,
    auditKeys,
  );
  if (restore && 'refused' in restore)
    logger.error('A staged restore was refused at start', { problem: restore.refused });
  const database = openLocalDatabase(options.databaseFile, {
    trace: options.trace,
    migrationsFolder: options.migrationsFolder,
    partialReplica: options.partialReplica,
    nativeBinding: options.nativeBinding,
  });
  const listeners = new Set<ChangeListener>();
  const services: CoreServices = {
    sqlite: database.sqlite,
    db: database.db,
    deviceId: deviceIdOf(database, options.deviceId),
    sync: options.sync ?? (() => undefined),
    door: options.door ?? (() => undefined),
    server: options.server ?? (() => undefined),
    ...(options.partialReplica ? { syncBase: new SyncBase(database.sqlite) } : {}),
    rules: new RuleChecks(database.sqlite),
    environment: defaultEnvironment(options.databaseFile, {
      ...(options.migrationsFolder ? { migrationsFolder: options.migrationsFolder } : {}),
      ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
      ...options.environment,
    }),
    sessions: new Sessions(options.sessionEnded),
    logger,
    now,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
  };
  const chain = keepAuditChain(database.sqlite, services.deviceId, auditKeys, { logger, now });
  if (restore && 'restoredFrom' in restore) chain.restored(now());
  // Working alone, the chain is keyed at first open; what stands in its way is said at once.
  const key = chain.secret();
  if ('problem' in key) logger.error('The audit trail cannot be extended here', { problem: key.message });
  const queued = new Set<() => void>();
  const router = new Router(
    services,
    allOperations,
    (tables: ChangeTopic[]) => {
      for (const listener of listeners) listener(tables);
    },
    () => {
      for (const listener of queued) listener();
    },
  );
  if (restore && 'restoredFrom' in restore) {
    // Recorded in the restored database, which is the one that goes on.
    commitChange(
      database.sqlite,
      database.db,
      services.deviceId,
      { id: null, role: null },
      'backups.restored',
      now().toISOString(),
      (w) => w.audit({ action: 'backups.restored', after: { keptPreviousAs: restore.keptAs } }),
    );
    logger.info('Restored the database from a backup', { keptPreviousAs: restore.keptAs });
  }
  const backups = options.dailyBackups ? startDailyBackups(services) : null;
  return {
    call: (callerId, name, input) => router.call(callerId, name, input),
    signInHere: (callerId, credentials) => router.call(callerId, 'auth/sign-in', credentials, { local: true }),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onQueued(listener) {
      queued.add(listener);
      return () => queued.delete(listener);
    },
    disconnect: (callerId) => services.sessions.end(callerId),
    database,
    deviceId: services.deviceId,
    operationNames: router.operationNames,
    close: () => {
      if (backups) clearInterval(backups);
      chain.release();
      database.close();
    },
  };
}

/** Checks at start and every hour whether the day's backup is due. */
function startDailyBackups(services: CoreServices): NodeJS.Timeout {
  const check = () =>
    backUpIfDue(
      services.sqlite,
      services.environment.backupsDir,
      services.now(),
      undefined,
      services.environment.nativeBinding,
    ).then(
      (backup) => backup && services.logger.info('Daily backup made', { name: backup.name }),
      (error: unknown) => services.logger.error('Daily backup failed', { error: String(error) }),
    );
  void check();
  const timer = setInterval(() => void check(), HOUR_MS);
  timer.unref();
  return timer;
}

/** This device's id: made once, on first open, and kept in the database it identifies. */
function deviceIdOf({ db }: LocalDatabase, given?: string): string {
  const stored = db.select().from(deviceMeta).where(eq(deviceMeta.key, 'device_id')).get();
  if (stored) return stored.value;
  const id = given ?? newId();
  db.insert(deviceMeta).values({ key: 'device_id', value: id }).run();
  return id;
}
