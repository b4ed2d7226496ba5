// The desktop's front door, what the Electron shell and the browser host talk to. A computer that
// works alone has one database, as always. With a sync server configured, each person who signs in
// gets a database of their own (only what they may see, kept apart from everyone else's on this
// computer) and a sync engine that runs while they are signed in.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { newId } from '../db/domain/ids.js';
import { defaultEnvironment } from './app-environment.js';
import { backupsFolder } from './backups.js';
import { issuedChainKey, saveIssuedChainKey } from './core/chain-keeper.js';
import { createCore, type Core, type CoreOptions } from './core/core.js';
import { AppError } from './core/errors.js';
import type { Door } from './core/operation.js';
import type { Identity } from './core/sessions.js';
import { silentLogger } from './core/logger.js';
import type { ChangeListener } from './core/router.js';
import { effectiveSettings, readUserSettings } from './fleet-config.js';
import {
  MemorySecretStore,
  ServerConnection,
  serverBase,
  ServerUnreachable,
  signInToServer,
  type SecretStore,
} from './sync/server-connection.js';
import { FileSecretStore } from './sync/secret-store.js';
import { SyncEngine } from './sync/sync-engine.js';
import { keepVerifier, serverAccess } from './sync/server-access.js';
import type { BackoffSettings } from './sync/uploader.js';

export interface DesktopOptions extends CoreOptions {
  /** Where sync tokens are kept: Electron's safeStorage in the app; memory by default. */
  secrets?: SecretStore;
  /** Where audit chain keys are kept: Electron's safeStorage in the app; `keys.json` in the data folder by default. */
  keyStore?: SecretStore;
  fetch?: typeof fetch;
  syncBackoff?: BackoffSettings;
}

export interface Desktop extends Core {
  /** The signed-in user's sync engine for a caller, if they work with a server. */
  engineOf(callerId: string): SyncEngine | undefined;
}

interface Workspace {
  key: string;
  core: Core;
  engine: SyncEngine;
  callers: Set<string>;
}

type Credentials = { email: string; password: string };

/** Who has signed in on this computer with which server: enough to find their database offline. */
const accountsSchema = z.array(
  z.object({ server: z.string(), email: z.string(), userId: z.string(), deviceId: z.string() }),
);
type Account = z.infer<typeof accountsSchema>[number];

export function createDesktop(options: DesktopOptions): Desktop {
  const logger = options.logger ?? silentLogger;
  const now = options.now ?? (() => new Date());
  const environment = defaultEnvironment(options.databaseFile, {
    ...(options.migrationsFolder ? { migrationsFolder: options.migrationsFolder } : {}),
    ...options.environment,
  });
  const secrets = options.secrets ?? new MemorySecretStore();
  const keyStore = options.keyStore ?? new FileSecretStore(join(environment.dataDir, 'keys.json'));
  /** The door, while this computer works with a sync server. */
  const door = (): Door | undefined => {
    const url = serverUrl();
    if (!url) return undefined;
    const server = serverBase(url);
    return {
      url,
      signIn: (callerId, credentials) => signIn(server, callerId, credentials),
      joined: () => readAccounts().some((a) => a.server === server),
    };
  };
  const home = createCore({
    ...options,
    environment,
    door,
    auditKeys: { store: keyStore, entry: 'audit-chain local' },
  });
  const listeners = new Set<ChangeListener>();
  const emit: ChangeListener = (tables) => {
    for (const listener of listeners) listener(tables);
  };
  home.onChange(emit);
  const workspaces = new Map<string, Workspace>();
  const byCaller = new Map<string, Workspace>();
  const syncedDir = join(environment.dataDir, 'synced');
  const accountsFile = join(syncedDir, 'accounts.json');

  const serverUrl = () =>
    effectiveSettings(environment.fleet.config, readUserSettings(environment.settingsFile)).settings.syncServerUrl;

  const readAccounts = (): Account[] => {
    if (!existsSync(accountsFile)) return [];
    const parsed = accountsSchema.safeParse(JSON.parse(readFileSync(accountsFile, 'utf8')));
    return parsed.success ? parsed.data : [];
  };
  const remember = (account: Account) => {
    const others = readAccounts().filter((a) => !(a.server === account.server && a.userId === account.userId));
    mkdirSync(syncedDir, { recursive: true });
    writeFileSync(accountsFile, JSON.stringify([...others, account], null, 2));
  };

  function open(server: string, userId: string, deviceId: string): Workspace {
    const key = `${server} ${userId}`;
    const existing = workspaces.get(key);
    if (existing) return existing;
    const folder = join(syncedDir, createHash('sha256').update(server).digest('hex').slice(0, 16));
    mkdirSync(folder, { recursive: true });
    const file = join(folder, `${userId}.sqlite`);
    const core = createCore({
      ...options,
      databaseFile: file,
      deviceId,
      partialReplica: true,
      environment: { ...environment, backupsDir: backupsFolder(file) },
      sync: () => engine,
      door,
      server: () => serverAccess(engine),
      // A session ended there (signed out, deactivated, password changed elsewhere) leaves it.
      sessionEnded: (callerId) => {
        if (byCaller.get(callerId)?.core === core) leave(callerId);
      },
      // Sealed with the key the server issues this device at sign-in, kept per server and device.
      auditKeys: {
        store: keyStore,
        entry: `audit-chain ${server} ${userId}`,
        issued: (device) => issuedChainKey(keyStore, server, device),
      },
    });
    // The core asks for its engine only when called, after both exist.
    const engine: SyncEngine = new SyncEngine({
      sqlite: core.database.sqlite,
      deviceId: core.deviceId,
      userId,
      connection: new ServerConnection(server, userId, secrets, options.fetch),
      logger,
      now,
      tablesChanged: emit,
      statusChanged: () => emit(['sync']),
      ...(options.syncBackoff ? { backoff: options.syncBackoff } : {}),
    });
    core.onChange((tables) => {
      emit(tables);
      engine.changed();
    });
    // A refusal's audit row changes nothing on screen, but goes up as any change does.
    core.onQueued(() => void engine.upload());
    const workspace = { key, core, engine, callers: new Set<string>() };
    workspaces.set(key, workspace);
    return workspace;
  }

  /**
   * The door (ctx.door() of an operation): online when the server answers; offline, against the
   * verifier kept from the last online sign-in. Either way the window then works in the person's
   * own database, and their session is bound there.
   */
  async function signIn(server: string, callerId: string, credentials: Credentials): Promise<Identity> {
    // Signing in again (perhaps as someone else) first leaves the database the window worked in.
    byCaller.get(callerId)?.core.disconnect(callerId);
    leave(callerId);
    const { email: address, password } = credentials;
    const account = readAccounts().find((a) => a.server === server && a.email === address.toLowerCase());
    const deviceId = account?.deviceId ?? newId();
    let workspace: Workspace;
    let signedIn: Awaited<ReturnType<typeof signInToServer>> | null = null;
    try {
      signedIn = await signInToServer(server, { email: address, password, deviceId }, options.fetch);
    } catch (error) {
      if (!(error instanceof ServerUnreachable)) throw error;
      if (!account) {
        throw new AppError(
          'unauthenticated',
          `${error.message} You have not signed in on this computer before: the first sign-in needs the sync server.`,
        );
      }
      logger.info('Signing in offline', { server });
    }
    if (signedIn) {
      const { user } = signedIn;
      const id = account?.userId === user.id ? account.deviceId : deviceId;
      workspace = open(server, user.id, id);
      if (workspace.core.deviceId !== id) {
        // Their database here has a device id of its own (their email changed, or the accounts
        // file was lost): the server must know this device by it, or it refuses its changes.
        signedIn = await signInToServer(
          server,
          { email: address, password, deviceId: workspace.core.deviceId },
          options.fetch,
        ).catch((error: unknown) => {
          throw error instanceof ServerUnreachable ? new AppError('unauthenticated', error.message) : error;
        });
      }
      const { tokens, chainKey } = signedIn;
      if (chainKey) saveIssuedChainKey(keyStore, server, workspace.core.deviceId, chainKey);
      await keepVerifier(workspace.core, user, password, now().toISOString());
      workspace.engine.stop();
      workspace.engine.connection.saveTokens(tokens);
      remember({ server, email: user.email.toLowerCase(), userId: user.id, deviceId: workspace.core.deviceId });
    } else {
      workspace = open(server, account!.userId, account!.deviceId);
    }
    const result = await workspace.core.signInHere(callerId, credentials);
    // Refused there, the refusal has its audit row in that database.
    if (!result.ok) throw AppError.from(result.error).alreadyRecorded();
    byCaller.set(callerId, workspace);
    workspace.callers.add(callerId);
    if (signedIn || workspace.engine.status().state === 'stopped') workspace.engine.start();
    return result.value as Identity;
  }

  function leave(callerId: string): void {
    const workspace = byCaller.get(callerId);
    if (!workspace) return;
    byCaller.delete(callerId);
    workspace.callers.delete(callerId);
    // Nobody is signed in as this user any more: the device stops acting for them.
    if (workspace.callers.size === 0) workspace.engine.stop();
  }

  return {
    // A window works in the database its caller signed in to, or in this computer's own.
    call: (callerId, name, input) => (byCaller.get(callerId)?.core ?? home).call(callerId, name, input),
    signInHere: (callerId, credentials) => home.signInHere(callerId, credentials),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    // Only this computer's own database: a synced one's engine listens to its own core.
    onQueued: (listener) => home.onQueued(listener),
    disconnect(callerId) {
      byCaller.get(callerId)?.core.disconnect(callerId);
      leave(callerId);
      home.disconnect(callerId);
    },
    engineOf: (callerId) => byCaller.get(callerId)?.engine,
    database: home.database,
    deviceId: home.deviceId,
    operationNames: home.operationNames,
    close() {
      for (const workspace of workspaces.values()) {
        workspace.engine.stop();
        workspace.core.close();
      }
      workspaces.clear();
      home.close();
    },
  };
}
