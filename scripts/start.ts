// `npm start`: builds the app, then opens it in Electron. Where the Electron runtime cannot be
// obtained it says so and serves the same app to a browser on this machine instead.
//   --browser        use the browser host even where Electron is available
//   --port N         the browser host's port (default: a free one)
//   --no-build       use the last build (dist/) as it is
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openLocalDatabase } from '../db/local-database.js';
import { defaultDataDir, localDatabaseFile } from '../main/app-paths.js';
import { createDesktop } from '../main/desktop.js';
import { consoleLogger } from '../main/core/logger.js';
import { findElectronRuntime } from '../main/electron-runtime.js';
import { startBrowserHost } from '../main/host/browser-host.js';

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
  const core = createDesktop({
    databaseFile,
    logger: consoleLogger,
    dailyBackups: true,
    environment: { runtime: `Browser host on Node ${process.versions.node}` },
  });
  const host = await startBrowserHost({
    core,
    rendererDir: resolve(root, 'dist/renderer'),
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

try {
  prepareDatabase();
  const electron = findElectronRuntime();
  if (electron.available && !values.browser) {
    await build(false);
    const child = spawn(electron.binary, [root], { cwd: root, stdio: 'inherit' });
    child.on('exit', (code) => process.exit(code ?? 0));
  } else {
    if (!electron.available) {
      console.log(`\nThe Electron runtime is not available on this machine: ${electron.reason}.`);
      console.log('Roomy opens in your browser instead, served only to this computer.');
    }
    await build(true);
    await runBrowserHost();
  }
} catch (error) {
  console.error(`Roomy could not start: ${(error as Error).message}`);
  process.exit(1);
}
