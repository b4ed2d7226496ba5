// `npm start`: builds the app, then opens it in Electron: on first run it fetches the Electron
// runtime and builds better-sqlite3 for Electron's ABI beside node_modules (which keeps Node's
// build for the tests and tools). Where either cannot be had it says why and serves the same app
// to a browser on this machine instead.
//   --browser        use the browser host even where Electron is available
//   --port N         the browser host's port (default: a free one)
//   --no-build       use the last build (dist/) as it is
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openLocalDatabase } from '../db/local-database.js';
import { defaultDataDir, localDatabaseFile } from '../main/app-paths.js';
import { createDesktop } from '../main/desktop.js';
import { consoleLogger } from '../main/core/logger.js';
import {
  ELECTRON_NODE_FLOOR,
  findElectronRuntime,
  nodeMeetsElectronFloor,
  type ElectronRuntime,
} from '../main/electron-runtime.js';
import { startBrowserHost } from '../main/host/browser-host.js';
import { FileSecretStore } from '../main/sync/secret-store.js';
import { planElectronAbiBuild, SQLITE_BINDING_ENV, type ElectronAbiTarget } from '../main/native-modules.js';
import { electronAbiFacts, ensureElectronAbiBinding } from './electron-abi.js';

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    browser: { type: 'boolean', default: false },
    port: { type: 'string', default: '0' },
    'no-build': { type: 'boolean', default: false },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`--port: must be a port number from 0 to 65535, not ${JSON.stringify(values.port)}`);
  process.exit(2);
}

const dataDir = defaultDataDir();
mkdirSync(dataDir, { recursive: true });
const databaseFile = localDatabaseFile(dataDir);

/** Creates or upgrades the database before anything else, so a failed migration stops here, plainly. */
function prepareDatabase(): void {
  const local = openLocalDatabase(databaseFile);
  try {
    console.log(`Roomy CRM database: ${databaseFile}`);
    if (local.backupPath) console.log(`Backed up before upgrading it: ${local.backupPath}`);
  } finally {
    local.close();
  }
}

async function build(rendererOnly: boolean): Promise<void> {
  if (values['no-build']) return;
  const args = ['--import', 'tsx', resolve(root, 'scripts/build.ts'), ...(rendererOnly ? ['--renderer-only'] : [])];
  await new Promise<void>((done, fail) =>
    spawn(process.execPath, args, { cwd: root, stdio: 'inherit' }).on('exit', (code) =>
      code === 0 ? done() : fail(new Error(`the build failed (exit code ${code})`)),
    ),
  );
}

async function runBrowserHost(): Promise<void> {
  // Sync tokens stay in memory here: the browser host has no operating-system keychain to seal them.
  // The audit chain's key must outlive a restart, so it is kept in keys.json in the data folder.
  const core = createDesktop({
    databaseFile,
    keyStore: new FileSecretStore(join(dataDir, 'keys.json')),
    logger: consoleLogger,
    dailyBackups: true,
    environment: { runtime: `Browser host on Node ${process.versions.node}` },
  });
  const host = await startBrowserHost({
    core,
    // ROOMY_RENDERER_DIR serves a renderer built elsewhere (see scripts/build.ts).
    rendererDir: resolve(root, process.env.ROOMY_RENDERER_DIR ?? 'dist/renderer'),
    port,
    logger: consoleLogger,
  });
  console.log(`\nRoomy is running at ${host.url}`);
  console.log('Open that address in a browser on this computer (it works only here). Ctrl+C stops Roomy.');
  const stop = async () => {
    await host.close();
    core.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

const run = (command: string, args: string[]) =>
  new Promise<number | null>((done) =>
    spawn(command, args, { cwd: root, stdio: 'inherit' })
      .on('exit', (code) => done(code))
      .on('error', () => done(null)),
  );

const electronTarget = (electronVersion: string): ElectronAbiTarget => ({
  electronVersion,
  platform: process.platform,
  arch: process.arch,
});

/** Since Electron 42 the package fetches its binary on first use rather than when installed. */
async function downloadElectron(runtime: Extract<ElectronRuntime, { available: false }>): Promise<ElectronRuntime> {
  if (!runtime.download) return runtime;
  console.log(`Downloading the Electron ${runtime.version} runtime (once)…`);
  const code = await run(process.execPath, [runtime.download]);
  const after = findElectronRuntime(root);
  if (after.available || code === 0) return after;
  return { available: false, reason: `the Electron ${runtime.version} runtime could not be downloaded (see above)` };
}

/** What the window would need here, said where Electron is missing (nothing is built). */
function sayWhatTheWindowNeeds(): void {
  const pinned = (
    JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      optionalDependencies: { electron: string };
    }
  ).optionalDependencies.electron;
  const plan = planElectronAbiBuild(electronAbiFacts(root, electronTarget(pinned)));
  const binding = relative(root, plan.paths.binding);
  console.log(
    plan.action === 'use'
      ? `With Electron ${pinned}, the window would open the database through ${binding}, built here before.`
      : `With Electron ${pinned}, the first npm start would build better-sqlite3 for Electron's ABI into ${binding} ` +
          '(@electron/rebuild, on a copy of the module: node_modules keeps its build for Node), then open the window.',
  );
}

/** The Electron binary and the better-sqlite3 build the window loads, or null (and why) for the browser host. */
async function prepareWindow(): Promise<{ binary: string; binding: string } | null> {
  let runtime = findElectronRuntime(root);
  if (!runtime.available) runtime = await downloadElectron(runtime);
  if (!runtime.available) {
    console.log(`\nThe Electron runtime is not available on this machine: ${runtime.reason}.`);
    sayWhatTheWindowNeeds();
    return null;
  }
  if (!nodeMeetsElectronFloor(process.versions.node))
    console.log(
      `Electron ${runtime.version} and @electron/rebuild ask for Node.js ${ELECTRON_NODE_FLOOR} or newer; this is ` +
        `Node ${process.versions.node}. Going on: what they run here needs no more than Node 20.19, ` +
        `but upgrade Node if the build below fails.`,
    );
  const abi = await ensureElectronAbiBinding(root, electronTarget(runtime.version), runtime.abi, (line) =>
    console.log(line),
  );
  if (!abi.ok) {
    console.log(`\nbetter-sqlite3 could not be built for Electron ${runtime.version}: ${abi.reason}.`);
    return null;
  }
  return { binary: runtime.binary, binding: abi.binding };
}

try {
  prepareDatabase();
  const electron = values.browser ? null : await prepareWindow();
  if (electron) {
    await build(false);
    const child = spawn(electron.binary, [root], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, [SQLITE_BINDING_ENV]: electron.binding },
    });
    child.on('exit', (code) => process.exit(code ?? 0));
  } else {
    if (!values.browser) console.log('Roomy opens in your browser instead, served only to this computer.');
    await build(true);
    await runBrowserHost();
  }
} catch (error) {
  console.error(`Roomy could not start: ${(error as Error).message}`);
  process.exit(1);
}
