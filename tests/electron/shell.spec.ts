// The desktop shell in the real Electron runtime: the window's security settings, navigation
// refused, no Node in the page, and SQLite opened through the better-sqlite3 built for Electron.
// These run where the Electron binary exists (`npm start` downloads it on a normal machine);
// elsewhere they are skipped, and say why.
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { findElectronRuntime } from '../../main/electron-runtime.js';
import { SQLITE_BINDING_ENV } from '../../main/native-modules.js';
import { ensureElectronAbiBinding } from '../../scripts/electron-abi.js';

const runtime = findElectronRuntime();
const root = resolve(import.meta.dirname, '../..');

test.skip(!runtime.available, `the Electron runtime is not available here: ${runtime.available ? '' : runtime.reason}`);
if (!runtime.available) console.log(`Electron-runtime tests skipped: ${runtime.reason}.`);

// One window for the file, and one worker: the build below must not run twice at once.
test.describe.configure({ mode: 'serial' });

let app: ElectronApplication;
let page: Page;
let dataDir: string;
let binding: string;

test.beforeAll(async () => {
  if (!runtime.available) return;
  // What `npm start` does first: better-sqlite3 for this Electron's ABI, beside node_modules
  // (compiling it, where no prebuilt binary can be fetched, takes minutes on a small machine).
  test.setTimeout(10 * 60_000);
  const abi = await ensureElectronAbiBinding(
    root,
    { electronVersion: runtime.version, platform: process.platform, arch: process.arch },
    runtime.abi,
    (line) => console.log(line),
  );
  if (!abi.ok) throw new Error(`better-sqlite3 could not be built for Electron ${runtime.version}: ${abi.reason}`);
  binding = abi.binding;
  dataDir = mkdtempSync(join(tmpdir(), 'roomy-electron-'));
  // Started as a test runner or `npx electron .` would: the shell finds the build beside the app.
  const { [SQLITE_BINDING_ENV]: _named, ...inherited } = process.env;
  app = await electron.launch({
    executablePath: runtime.binary,
    args: [root],
    env: { ...inherited, ROOMY_DATA_DIR: dataDir },
  });
  page = await app.firstWindow();
  await expect(page.getByRole('heading', { name: 'Welcome to Roomy CRM' })).toBeVisible();
});

test.afterAll(async () => {
  await app?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('the database is opened through the better-sqlite3 built for Electron, not node_modules’ own', async () => {
  const modules = await app.evaluate(() => process.versions.modules);
  expect(modules).not.toBe(process.versions.modules);
  const log = readFileSync(join(dataDir, 'logs', 'main.log'), 'utf8');
  expect(log).toContain('SQLite opens through the Electron build of better-sqlite3');
  expect(log).toContain(binding);
  expect(log).toContain('Roomy started');
});

test('the window is sandboxed and isolated, with no Node integration', async () => {
  const preferences = await app.evaluate(({ BrowserWindow }) => {
    const contents = BrowserWindow.getAllWindows()[0]!.webContents;
    return contents.getLastWebPreferences();
  });
  expect(preferences).toMatchObject({
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    webSecurity: true,
  });
});

test('the page is served from app://roomy, with its Content-Security-Policy', async () => {
  expect(page.url()).toBe('app://roomy/index.html#/');
  const csp = await page.evaluate(async () =>
    (await fetch('app://roomy/index.html')).headers.get('content-security-policy'),
  );
  expect(csp).toContain("script-src 'self'");
});

test('the page has no require, process or ipcRenderer: only window.roomy', async () => {
  const globals = await page.evaluate(() => ({
    require: typeof (globalThis as { require?: unknown }).require,
    process: typeof (globalThis as { process?: unknown }).process,
    roomy: Object.keys((window as unknown as { roomy: object }).roomy).sort(),
  }));
  expect(globals).toEqual({ require: 'undefined', process: 'undefined', roomy: ['call', 'onChange'] });
});

test('navigation away from the app and new windows are refused', async () => {
  // The shell logs each refusal: waited for, rather than a pause that may be too short.
  const log = () => readFileSync(join(dataDir, 'logs', 'main.log'), 'utf8');
  await page.evaluate(() => {
    window.location.href = 'https://example.com/';
  });
  await expect.poll(log).toContain('Navigation refused');
  expect(page.url()).toMatch(/^app:\/\/roomy\//);
  await page.evaluate(() => window.open('https://example.com/', '_blank'));
  await expect.poll(log).toContain('New window refused');
  expect(app.windows()).toHaveLength(1);
});
