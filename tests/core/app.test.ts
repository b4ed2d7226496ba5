// The installation operations through the router: About, settings within IT's locks, folders,
// diagnostics without personal data, and backups with a staged restore applied at the next start.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from '../../main/core/core.js';
import { redact } from '../../main/operations/app.js';
import { readFleetConfig } from '../../main/fleet-config.js';
import { seedStaff, signInAs } from './seed.js';
import { createTestCore, setUpAdmin, type TestCore } from './test-core.js';

const cores: TestCore[] = [];
afterEach(() => cores.splice(0).forEach((c) => c.dispose()));

function core(environment: Parameters<typeof createTestCore>[1] = {}): TestCore {
  const made = createTestCore(new Date('2026-11-24T09:00:00Z'), {
    fleet: { path: '/nonexistent/config.json', config: {}, problem: null },
    ...environment,
  });
  cores.push(made);
  return made;
}

describe('About', () => {
  it('tells the version, where the data is, and that the app runs on its own', async () => {
    const c = core({ version: '1.2.3', runtime: 'Test runtime' });
    await setUpAdmin(c, 'w');
    const about = await c.ok<Record<string, unknown>>('w', 'app/about');
    expect(about).toMatchObject({
      version: '1.2.3',
      runtime: 'Test runtime',
      databaseFile: join(c.dir, 'roomy.db'),
      sync: { mode: 'standalone', url: null },
      lastBackupAt: null,
      canOpenFolders: false,
    });
  });
});

describe('settings', () => {
  it('an admin turns updates off; a locked setting cannot be changed; other roles may not', async () => {
    const dir = core().dir;
    const fleetFile = join(dir, 'fleet.json');
    writeFileSync(fleetFile, JSON.stringify({ syncServerUrl: 'https://sync.office.example', lock: ['syncServerUrl'] }));
    const c = core({ fleet: readFleetConfig(fleetFile) });
    await setUpAdmin(c, 'w');
    const changed = await c.ok<{ settings: { updates: { enabled: boolean } } }>('w', 'app/update-settings', {
      updates: { enabled: false },
    });
    expect(changed.settings.updates.enabled).toBe(false);
    const locked = await c.fails('w', 'app/update-settings', { syncServerUrl: 'https://elsewhere.example' });
    expect(locked).toMatchObject({ code: 'forbidden', message: expect.stringContaining('IT department') });
    const about = await c.ok<{ sync: { url: string } }>('w', 'app/about');
    expect(about.sync.url).toBe('https://sync.office.example');

    const agent = await seedStaff(c, 'AGENT');
    await signInAs(c, 'agent', agent);
    expect((await c.fails('agent', 'app/update-settings', { updates: { enabled: true } })).code).toBe('forbidden');
    const bad = await c.fails('w', 'app/update-settings', { syncServerUrl: 'ftp://x' });
    expect(bad.fields).toHaveProperty('syncServerUrl');
  });
});

describe('folders and diagnostics', () => {
  it('opens a folder where the shell can, and otherwise says where it is', async () => {
    const opened: string[] = [];
    const withShell = core({ openFolder: async (path) => void opened.push(path) });
    await setUpAdmin(withShell, 'w');
    expect(await withShell.ok('w', 'app/open-folder', { folder: 'logs' })).toEqual({
      opened: true,
      path: join(withShell.dir, 'logs'),
    });
    expect(opened).toEqual([join(withShell.dir, 'logs')]);
    const browser = core();
    await setUpAdmin(browser, 'w');
    expect(await browser.ok('w', 'app/open-folder', { folder: 'backups' })).toEqual({
      opened: false,
      path: join(browser.dir, 'backups'),
    });
    expect((await browser.fails('w', 'app/open-folder', { folder: '/etc' })).fields).toHaveProperty('folder');
  });

  it('a diagnostics bundle has versions, counts and logs, without emails or phone numbers', async () => {
    const c = core();
    await setUpAdmin(c, 'w');
    mkdirSync(join(c.dir, 'logs'), { recursive: true });
    writeFileSync(
      join(c.dir, 'logs', 'main.log'),
      'signed in maria.silva@example.com from +351 912 345 678\nopened property 019a\n',
    );
    const { path } = await c.ok<{ path: string }>('w', 'app/diagnostics');
    const text = readFileSync(path, 'utf8');
    const bundle = JSON.parse(text);
    expect(bundle.rowCounts.users).toBe(1);
    expect(bundle.integrity).toBe('ok');
    expect(bundle.logs[0].text).toContain('signed in [email] from [phone]');
    expect(text).not.toMatch(/maria\.silva|912 345|admin@example\.com/);
  });
});

describe('redaction of logs', () => {
  it('removes emails, international phone numbers and the home folder, and keeps timestamps and ids', () => {
    const lines = [
      "[2026-11-24 10:15:02.123] [info]  Roomy started { version: '0.1.0', data: 'C:\\\\Users\\\\maria.silva\\\\AppData\\\\Roaming\\\\Roomy CRM' }",
      '[2026-11-24 10:15:09.456] [warn]  Sign-in refused { email: maria.silva@example.com }',
      '[2026-11-24 10:16:00.000] [info]  Guest +351 912 345 678 booked property 019a2b3c-4d5e-7f60-8abc-0123456789ab',
      '[2026-11-24 10:17:00.000] [info]  Backup /home/maria/.config/Roomy CRM/backups/roomy-2026-11-24T10-17-00-000Z.db',
    ].join('\n');
    const windows = redact(lines, 'C:\\Users\\maria.silva');
    expect(windows).toContain("data: '~\\\\AppData");
    expect(windows).not.toMatch(/maria\.silva/);
    expect(windows).toContain('[2026-11-24 10:15:02.123]');
    expect(windows).toContain('019a2b3c-4d5e-7f60-8abc-0123456789ab');
    expect(windows).toContain('Guest [phone] booked');
    expect(windows).toContain('{ email: [email] }');
    expect(redact(lines, '/home/maria')).toContain(
      'Backup ~/.config/Roomy CRM/backups/roomy-2026-11-24T10-17-00-000Z.db',
    );
  });
});

describe('backups through the app', () => {
  it('staff back up; only an admin restores, and the restore happens at the next start', async () => {
    const c = core();
    await setUpAdmin(c, 'w');
    const backup = await c.ok<{ name: string }>('w', 'backups/create');
    expect(await c.ok('w', 'backups/list')).toEqual([expect.objectContaining({ name: backup.name })]);
    await c.ok('w', 'locations/create', {
      name: 'After backup',
      city: 'Porto',
      country: 'PT',
      timeZone: 'Europe/Lisbon',
      currency: 'EUR',
    });

    const manager = await seedStaff(c, 'MANAGER');
    await signInAs(c, 'm', manager);
    expect((await c.fails('m', 'backups/restore', { name: backup.name })).code).toBe('forbidden');
    expect((await c.fails('w', 'backups/restore', { name: 'nope.db' })).fields).toHaveProperty('name');
    expect(await c.ok('w', 'backups/restore', { name: backup.name })).toEqual({
      staged: backup.name,
      restartRequired: true,
    });

    c.close();
    const reopened = createCore({ databaseFile: join(c.dir, 'roomy.db') });
    try {
      expect(
        reopened.database.sqlite.prepare(`SELECT count(*) FROM locations WHERE name = 'After backup'`).pluck().get(),
      ).toBe(0);
      expect(existsSync(join(c.dir, 'roomy.db.restore'))).toBe(false);
      expect(
        reopened.database.sqlite
          .prepare(`SELECT count(*) FROM audit_log WHERE action = 'backups.restored'`)
          .pluck()
          .get(),
      ).toBe(1);
    } finally {
      reopened.close();
    }
  });

  it('an export lands in the exports folder', async () => {
    const c = core();
    await setUpAdmin(c, 'w');
    const { path } = await c.ok<{ path: string }>('w', 'backups/export');
    expect(path.startsWith(join(c.dir, 'exports'))).toBe(true);
    expect(existsSync(path)).toBe(true);
  });
});
