// The desktop shell in the real Electron runtime: the window's security settings, navigation
// refused, and no Node in the page. These run where the Electron binary exists (npm downloads it
// on a normal machine); elsewhere they are skipped, and say why.
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { findElectronRuntime } from '../../main/electron-runtime.js';

const runtime = findElectronRuntime();
const root = resolve(import.meta.dirname, '../..');

test.skip(!runtime.available, `the Electron runtime is not available here: ${runtime.available ? '' : runtime.reason}`);
if (!runtime.available) console.log(`Electron-runtime tests skipped: ${runtime.reason}.`);

let app: ElectronApplication;
let page: Page;
let dataDir: string;

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'roomy-electron-'));
  app = await electron.launch({
    executablePath: runtime.available ? runtime.binary : undefined,
    args: [root],
    env: { ...process.env, ROOMY_DATA_DIR: dataDir },
  });
  page = await app.firstWindow();
  await expect(page.getByRole('heading', { name: 'Welcome to Roomy CRM' })).toBeVisible();
});

test.afterAll(async () => {
  await app?.close();
  rmSync(dataDir, { recursive: true, force: true });
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
  await page.evaluate(() => {
    window.location.href = 'https://example.com/';
  });
  await page.waitForTimeout(500);
  expect(page.url()).toMatch(/^app:\/\/roomy\//);
  await page.evaluate(() => window.open('https://example.com/', '_blank'));
  await page.waitForTimeout(500);
  expect(app.windows()).toHaveLength(1);
});
