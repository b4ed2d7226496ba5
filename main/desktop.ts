// The desktop's front door, what the Electron shell and the browser host talk to. A computer that
// works alone has one database, as always. With a sync server configured, each person who signs in
// gets a database of their own (only what they may see, kept apart from everyone else's on this
// computer) and a sync engine that runs while they are signed in.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { email } from '../db/contracts/fields.js';
import { newId } from '../db/domain/ids.js';
import { defaultEnvironment } from './app-environment.js';
import { backupsFolder } from './backups.js';
import { issuedChainKey, saveIssuedChainKey } from './core/chain-keeper.js';
import { createCore, type Core, type CoreOptions } from './core/core.js';
import { AppError, failure, type Result } from './core/errors.js';
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
import { keepVerifier, PASSWORD_OPERATIONS, passwordThroughServer } from './sync/server-passwords.js';
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

const signInInput = z.strictObject({ email: email(), password: z.string().min(1).max(256) });

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
  const home = createCore({ ...options, environment, auditKeys: { store: keyStore, entry: 'audit-chain local' } });
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
    const workspace = { key, core, engine, callers: new Set<string>() };
    workspaces.set(key, workspace);
    return workspace;
  }

  /** Online when the server answers; offline, against the verifier kept from the last online sign-in. */
  async function signIn(callerId: string, rawInput: unknown): Promise<Result<unknown>> {
    const server = serverBase(serverUrl()!);
    const parsed = signInInput.safeParse(rawInput);
    // Bad input is described by the sign-in operation itself, which writes nothing for it.
    if (!parsed.success) return home.call(callerId, 'auth/sign-in', rawInput);
    const { email: address, password } = parsed.data;
    const account = readAccounts().find((a) => a.server === server && a.email === address.toLowerCase());
    const deviceId = account?.deviceId ?? newId();
    let workspace: Workspace;
    let signedIn: Awaited<ReturnType<typeof signInToServer>> | null = null;
    try {
      signedIn = await signInToServer(server, { email: address, password, deviceId }, options.fetch);
    } catch (error) {
      if (error instanceof AppError) return { ok: false, error: error.toData() };
      if (!(error instanceof ServerUnreachable)) throw error;
      if (!account) {
        return failure(
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
        try {
          signedIn = await signInToServer(
            server,
            { email: address, password, deviceId: workspace.core.deviceId },
            options.fetch,
          );
        } catch (error) {
          if (error instanceof AppError) return { ok: false, error: error.toData() };
          if (error instanceof ServerUnreachable) return failure('unauthenticated', error.message);
          throw error;
        }
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
    const result = await workspace.core.call(callerId, 'auth/sign-in', parsed.data);
    if (result.ok) {
      byCaller.set(callerId, workspace);
      workspace.callers.add(callerId);
      if (signedIn || workspace.engine.status().state === 'stopped') workspace.engine.start();
    }
    return result;
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
    async call(callerId, name, input) {
      const workspace = byCaller.get(callerId);
      const server = serverUrl();
      if (workspace && name === 'auth/sign-in' && server) {
        // Signing in again (perhaps as someone else) starts from the door.
        workspace.core.disconnect(callerId);
        leave(callerId);
        return signIn(callerId, input);
      }
      if (workspace) {
        const result = PASSWORD_OPERATIONS.has(name)
          ? await passwordThroughServer(workspace.core, workspace.engine, callerId, name, input)
          : await workspace.core.call(callerId, name, input);
        if (name === 'auth/sign-out' && result.ok) {
          workspace.core.disconnect(callerId);
          leave(callerId);
        }
        // A session that ended (deactivated, password changed elsewhere) leaves its workspace too.
        if (!result.ok && result.error.code === 'unauthenticated') leave(callerId);
        return result;
      }
      if (!server) return home.call(callerId, name, input);
      if (name === 'auth/sign-in') return signIn(callerId, input);
      if (name === 'sync/connect' && readAccounts().some((a) => a.server === serverBase(server))) {
        // People sign in here with that server: a window nobody is signed in to must not redirect them.
        return failure('forbidden', 'This computer is already set up: an administrator changes its sync server.');
      }
      if (name === 'auth/setup') {
        return failure(
          'conflict',
          `This computer works with the sync server at ${server}: sign in with your account there (the first administrator is made on the server).`,
        );
      }
      if (name === 'auth/status') {
        const status = await home.call(callerId, 'auth/status', input);
        return status.ok ? { ok: true, value: { ...(status.value as object), needsSetup: false } } : status;
      }
      return home.call(callerId, name, input);
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
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
