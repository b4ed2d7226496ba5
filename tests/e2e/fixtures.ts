/// <reference lib="dom" />
// Each end-to-end test gets its own Roomy: a browser host started the way `npm start` starts it,
// on a fresh data folder, and a page open at its address. A test that needs settings in place
// before Roomy starts (a sync server) launches it itself with `launchRoomy`.
import { test as base, expect, type Page } from '@playwright/test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBrowserHost, type RunningHost } from '../harness/browser-host.js';

export interface Roomy {
  url: string;
  origin: string;
  dataDir: string;
}

export interface RoomyOptions {
  /** Written to the data folder's settings.json before Roomy starts (e.g. `syncServerUrl`). */
  settings?: Record<string, unknown>;
}

export const test = base.extend<{ launchRoomy: (options?: RoomyOptions) => Promise<Roomy>; roomy: Roomy }>({
  launchRoomy: async ({ page }, use) => {
    const started: Array<{ host: RunningHost; dataDir: string }> = [];
    const problems: string[] = [];
    // A page that breaks its own Content-Security-Policy, or throws, fails the test.
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy|Refused to/.test(message.text()))
        problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    await use(async (options = {}) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'roomy-e2e-'));
      if (options.settings) writeFileSync(join(dataDir, 'settings.json'), JSON.stringify(options.settings, null, 2));
      const host = await startBrowserHost({ dataDir });
      started.push({ host, dataDir });
      const { url } = host;
      await page.goto(url);
      return { url, origin: new URL(url).origin, dataDir };
    });
    for (const { host, dataDir } of started) {
      await host.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
    expect(problems, 'the page reported no CSP violations or uncaught errors').toEqual([]);
  },
  roomy: async ({ launchRoomy }, use) => {
    await use(await launchRoomy());
  },
});

export { expect };

export const ADMIN = {
  email: 'admin@example.com',
  firstName: 'Marta',
  lastName: 'Costa',
  password: 'violet-harbour-tram-58',
};

/** A text field by its label, whether or not the label carries the "required" asterisk. */
export const field = (page: Page, label: string) =>
  page.getByRole('textbox', { name: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\*)?$`) });

export async function setUpAdmin(page: Page, options: { sampleData: boolean }): Promise<void> {
  await expect(page.getByRole('heading', { name: 'Welcome to Roomy CRM' })).toBeVisible();
  await field(page, 'Email').fill(ADMIN.email);
  await field(page, 'First name').fill(ADMIN.firstName);
  await field(page, 'Last name').fill(ADMIN.lastName);
  await page.getByLabel(/^Password/).fill(ADMIN.password);
  await page.getByLabel(/^Repeat the password/).fill(ADMIN.password);
  if (options.sampleData) await page.getByLabel(/Load sample data/).check();
  await page.getByRole('button', { name: 'Create administrator' }).click();
  const signedIn = page.getByRole('navigation', { name: 'Main navigation' });
  if (options.sampleData) {
    // Two long steps, each waited for on its own: the account (a password hash), then the data.
    await expect(signedIn.or(page.getByRole('status').filter({ hasText: 'Loading the sample data' }))).toBeVisible({
      timeout: 30_000,
    });
  }
  await expect(signedIn).toBeVisible({ timeout: 30_000 });
}

export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await field(page, 'Email').fill(email);
  await page.getByLabel(/^Password/).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('navigation', { name: 'Main navigation' })).toBeVisible();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByTestId('account-menu').click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in to Roomy CRM' })).toBeVisible();
}

/**
 * Picks an option of a select by typing part of it; in the open dialog if there is one. The
 * option is taken from the list that this select controls, and if that list closed before the
 * click (a dialog opening moves focus, and a select losing focus closes its list) it is opened
 * again: on a busy machine the page can lag behind the test.
 */
export async function choose(
  page: Page,
  label: RegExp | string,
  text: string,
  option?: RegExp | string,
): Promise<void> {
  const dialog = page.getByRole('dialog');
  const scope = (await dialog.count()) > 0 ? dialog.last() : page;
  const input = scope.getByRole('combobox', { name: label });
  await expect(async () => {
    if ((await input.getAttribute('aria-expanded')) !== 'true') await input.click();
    // A select that is not searchable only opens its list.
    if ((await input.isEditable()) && (await input.inputValue()) !== text) await input.fill(text);
    const list = page.locator(`[id="${await input.getAttribute('aria-controls')}"]`);
    await list
      .getByRole('option', { name: option ?? text })
      .first()
      .click({ timeout: 5_000 });
  }).toPass();
  await expect(input).not.toHaveAttribute('aria-expanded', 'true');
}

/** Calls an operation from inside the page, with the page's own token and connection. */
export function callFromPage(page: Page, name: string, input: unknown) {
  return page.evaluate(
    async ([operation, args]) => {
      const response = await fetch('/api/call', {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${sessionStorage.getItem('roomy.token')}`,
          'X-Roomy-Connection': sessionStorage.getItem('roomy.connection') ?? '',
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({ name: operation, input: args }),
      });
      return (await response.json()) as { ok: boolean; error?: { code: string; message: string } };
    },
    [name, input] as const,
  );
}

/** Calls an operation from inside the page and fails the test unless it succeeds; its value. */
export async function callOk<T = { id: string }>(page: Page, name: string, input: unknown): Promise<T> {
  const result = (await callFromPage(page, name, input)) as { ok: boolean; value?: T; error?: unknown };
  expect(result.ok, `${name}: ${JSON.stringify(result.error)}`).toBe(true);
  return result.value!;
}
