// The Electron shell: the only code that imports electron. It opens the local database through
// the core, serves the renderer from app://roomy, attaches the security rules (each a small
// tested module in main/security/), and carries IPC between the window and the router.
import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, screen, session, shell } from 'electron';
import log from 'electron-log/main';
import electronUpdater from 'electron-updater';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeTokenStorage } from '../app-environment.js';
import { defaultDataDir, localDatabaseFile } from '../app-paths.js';
import { IPC_CHANNELS } from '../contract.js';
import { callerIdOfWindow, ipcCallHandler } from '../ipc-handler.js';
import type { Core } from '../core/core.js';
import { createDesktop } from '../desktop.js';
import { sqliteBindingForShell } from '../native-modules.js';
import {
  AsyncEncryptedFileSecretStore,
  FileSecretStore,
  secretStorageFor,
  takeOverPlainSecrets,
} from '../sync/secret-store.js';
import { MemorySecretStore, type SecretStore } from '../sync/server-connection.js';
import { effectiveSettings, fleetConfigPath, readFleetConfig, readUserSettings } from '../fleet-config.js';
import type { Logger } from '../core/logger.js';
import { LOG_MAX_BYTES, rotateLog } from '../log-rotation.js';
import { APP_ENTRY_URL, APP_SCHEME } from '../security/app-origin.js';
import { serveAppFile } from '../security/app-files.js';
import { refuseAllPermissionChecks, refuseAllPermissionRequests } from '../security/permissions.js';
import { externalUrlToOpen, mayNavigateTo } from '../security/trusted-url.js';
import { secureWindowOptions } from '../security/window-options.js';
import { boundsToRestore, parseWindowState, type SavedWindowState } from '../window-state.js';

const here = dirname(fileURLToPath(import.meta.url));
const appRoot = app.getAppPath();
const rendererDir = join(appRoot, 'dist', 'renderer');
const preloadFile = join(here, '..', 'preload', 'preload.cjs');

// The same data folder the command-line tools use (ROOMY_DATA_DIR included).
app.setPath('userData', defaultDataDir());
const dataDir = app.getPath('userData');
mkdirSync(dataDir, { recursive: true });

log.transports.file.resolvePathFn = () => join(dataDir, 'logs', 'main.log');
log.transports.file.maxSize = LOG_MAX_BYTES;
log.transports.file.archiveLogFn = (file) => rotateLog(file.path);
log.errorHandler.startCatching();
const logger: Logger = {
  info: (message, details) => log.info(message, details ?? ''),
  warn: (message, details) => log.warn(message, details ?? ''),
  error: (message, details) => log.error(message, details ?? ''),
};

// IT's machine-wide configuration, read once; a broken file is reported, never fatal.
const fleet = readFleetConfig(fleetConfigPath(process.env, process.platform, { installed: app.isPackaged }));
if (fleet.problem) logger.warn('Fleet configuration ignored', { problem: fleet.problem });
const settingsFile = join(dataDir, 'settings.json');

// An installed app loads node_modules' better-sqlite3 (electron-builder rebuilt it for Electron);
// in development node_modules holds Node's build, so the window loads the one `npm start` made.
const sqliteBinding = sqliteBindingForShell({
  packaged: app.isPackaged,
  env: process.env,
  appRoot,
  target: { electronVersion: process.versions.electron, platform: process.platform, arch: process.arch },
});

/** Updates from the organisation's server, unless IT or an admin turned them off. */
function startUpdates(): void {
  const { settings } = effectiveSettings(fleet.config, readUserSettings(settingsFile));
  if (!app.isPackaged || !settings.updates.enabled) {
    logger.info('Automatic updates are off', { packaged: app.isPackaged, enabled: settings.updates.enabled });
    return;
  }
  const { autoUpdater } = electronUpdater;
  autoUpdater.logger = log;
  if (settings.updates.url) autoUpdater.setFeedURL({ provider: 'generic', url: settings.updates.url });
  autoUpdater
    .checkForUpdatesAndNotify()
    .catch((error: unknown) => logger.warn('Update check failed', { error: String(error) }));
}

// Must be declared before the app is ready: app:// is a standard, secure origin of its own.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

if (!app.requestSingleInstanceLock()) {
  // Another Roomy is running on this data folder: it is brought forward instead.
  app.quit();
} else {
  let core: Core | undefined;
  let mainWindow: BrowserWindow | undefined;
  // Token writes still under way (safeStorage seals asynchronously): quitting waits for them.
  let pendingSecrets = (): Promise<void> => Promise.resolve();
  const windowStateFile = join(dataDir, 'window-state.json');

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  // Every web contents, whatever created it, gets the navigation rules.
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => {
      if (!mayNavigateTo(event.url)) {
        event.preventDefault();
        logger.warn('Navigation refused', { url: event.url });
      }
    });
    contents.on('will-redirect', (event) => {
      if (!mayNavigateTo(event.url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      const external = externalUrlToOpen(url);
      if (external) void shell.openExternal(external.href);
      else logger.warn('New window refused', { url });
      return { action: 'deny' };
    });
    contents.on('destroyed', () => core?.disconnect(callerIdOfWindow(contents.id)));
  });

  const readWindowState = (): SavedWindowState | null => {
    try {
      return parseWindowState(readFileSync(windowStateFile, 'utf8'));
    } catch {
      return null;
    }
  };

  const saveWindowState = (window: BrowserWindow) => {
    const state: SavedWindowState = { bounds: window.getNormalBounds(), maximized: window.isMaximized() };
    try {
      writeFileSync(windowStateFile, JSON.stringify(state));
    } catch (error) {
      logger.warn('Could not remember the window position', { error: String(error) });
    }
  };

  const openWindow = () => {
    const saved = readWindowState();
    const displays = screen.getAllDisplays().map((d) => d.workArea);
    const window = new BrowserWindow(
      secureWindowOptions({
        preload: preloadFile,
        bounds: boundsToRestore(saved, displays),
        devTools: !app.isPackaged,
      }),
    );
    if (saved?.maximized) window.maximize();
    window.once('ready-to-show', () => window.show());
    window.on('close', () => saveWindowState(window));
    window.on('closed', () => (mainWindow = undefined));
    void window.loadURL(APP_ENTRY_URL);
    mainWindow = window;
  };

  // A failure to start (a database this build cannot open, a full disk) must be seen, not leave
  // a windowless process holding the single-instance lock.
  const failToStart = (error: unknown) => {
    logger.error('Roomy could not start', { error: String(error) });
    dialog.showErrorBox(
      'Roomy CRM could not start',
      `${error instanceof Error ? error.message : String(error)}\n\nThe log is in ${join(dataDir, 'logs')}.`,
    );
    app.exit(1);
  };

  /**
   * Sync tokens sealed by the operating system's keychain; with none (or Linux's built-in
   * password standing in for a keyring), kept in memory only: then each start needs one online
   * sign-in before the device syncs again.
   */
  const openSecrets = async (): Promise<{ store: SecretStore; description: string }> => {
    const facts = {
      platform: process.platform,
      encryptionAvailable: await safeStorage.isAsyncEncryptionAvailable(),
      ...(process.platform === 'linux' ? { linuxBackend: safeStorage.getSelectedStorageBackend() } : {}),
    };
    const storage = secretStorageFor(facts);
    const description = describeTokenStorage(facts);
    if (storage.kind === 'memory') {
      logger.warn('Sync tokens are kept in memory only', { reason: storage.reason });
      return { store: new MemorySecretStore(), description };
    }
    const store = await AsyncEncryptedFileSecretStore.open(
      join(dataDir, 'synced', 'tokens.json'),
      {
        encrypt: (plain) => safeStorage.encryptStringAsync(plain),
        decrypt: async (sealed) => {
          const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(sealed);
          return { plain: result, reseal: shouldReEncrypt };
        },
      },
      (error) => logger.warn('A sync token could not be saved: it is kept in memory for now', { error: String(error) }),
    );
    pendingSecrets = () => store.flushed();
    return { store, description };
  };

  /**
   * The audit chain's key is sealed beside the tokens when there is a keychain, which takes over
   * the keys.json a tool or the browser host left in the data folder; without one it stays there.
   */
  const openKeyStore = async (tokens: SecretStore): Promise<SecretStore> => {
    const plain = new FileSecretStore(join(dataDir, 'keys.json'));
    if (!(tokens instanceof AsyncEncryptedFileSecretStore)) {
      logger.warn('The audit chain key is kept in keys.json in the data folder: no keychain can seal it');
      return plain;
    }
    await takeOverPlainSecrets(plain, tokens);
    return tokens;
  };

  void app
    .whenReady()
    .then(async () => {
      if ('problem' in sqliteBinding) throw new Error(sqliteBinding.problem);
      if (sqliteBinding.binding)
        logger.info(`SQLite opens through the Electron build of better-sqlite3 at ${sqliteBinding.binding}`);
      const secrets = await openSecrets();
      core = createDesktop({
        databaseFile: localDatabaseFile(dataDir),
        nativeBinding: sqliteBinding.binding,
        secrets: secrets.store,
        keyStore: await openKeyStore(secrets.store),
        migrationsFolder: join(appRoot, 'db', 'migrations', 'sqlite'),
        logger,
        dailyBackups: true,
        environment: {
          version: app.getVersion(),
          runtime: `Electron ${process.versions.electron}`,
          logsDir: join(dataDir, 'logs'),
          fleet,
          settingsFile,
          tokenStorage: secrets.description,
          openFolder: async (path) => {
            const problem = await shell.openPath(path);
            if (problem) throw new Error(problem);
          },
        },
      });
      logger.info('Roomy started', { version: app.getVersion(), data: dataDir });
      const openCore = core;

      protocol.handle(APP_SCHEME, async (request) => {
        const file = await serveAppFile(rendererDir, new URL(request.url).pathname);
        const body = typeof file.body === 'string' ? file.body : new Uint8Array(file.body);
        return new Response(body, { status: file.status, headers: file.headers });
      });

      const refuse = refuseAllPermissionRequests((permission, origin) =>
        logger.warn('Permission refused', { permission, origin }),
      );
      session.defaultSession.setPermissionRequestHandler(refuse);
      session.defaultSession.setPermissionCheckHandler(refuseAllPermissionChecks);

      ipcMain.handle(IPC_CHANNELS.call, ipcCallHandler(openCore, logger));

      openCore.onChange((tables) => {
        for (const window of BrowserWindow.getAllWindows()) window.webContents.send(IPC_CHANNELS.changed, tables);
      });

      openWindow();
      startUpdates();
      app.on('activate', () => {
        if (BrowserWindow.getAllWindows().length === 0) openWindow();
      });
    })
    .catch(failToStart);

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  // Clean shutdown: sync tokens are written, then the database is closed (its write-ahead log
  // folded in) before the process ends.
  let tokensWritten = false;
  app.on('will-quit', (event) => {
    if (!tokensWritten) {
      event.preventDefault();
      void pendingSecrets().finally(() => {
        tokensWritten = true;
        app.quit();
      });
      return;
    }
    ipcMain.removeHandler(IPC_CHANNELS.call);
    core?.close();
    core = undefined;
    logger.info('Roomy stopped');
  });
}
