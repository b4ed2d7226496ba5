// The installation operations through the router: About, settings within IT's locks, folders,
// diagnostics without personal data, and backups with a staged restore applied at the next start.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from '../../main/core/core.js';
import { describeTokenStorage, TOKENS_IN_MEMORY } from '../../main/app-environment.js';
import { redact } from '../../main/redaction.js';
import { readFleetConfig } from '../../main/fleet-config.js';
import { seedGuest, seedLedgerEntry, seedLocation, seedProperty, seedStaff, seedTask, signInAs } from './seed.js';
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

describe('where sync tokens are kept', () => {
  it('About says it in words: in memory only by default, or as the shell found it', async () => {
    const plain = core();
    await setUpAdmin(plain, 'w');
    expect((await plain.ok<{ tokenStorage: string }>('w', 'app/about')).tokenStorage).toBe(TOKENS_IN_MEMORY);
    const noKeyring = describeTokenStorage({
      platform: 'linux',
      encryptionAvailable: true,
      linuxBackend: 'basic_text',
    });
    const shell = core({ tokenStorage: noKeyring });
    await setUpAdmin(shell, 'w');
    const about = await shell.ok<{ tokenStorage: string }>('w', 'app/about');
    expect(about.tokenStorage).toBe(noKeyring);
    expect(about.tokenStorage).toMatch(/^In memory only: this computer has no keychain/);
  });
});

describe('server addresses', () => {
  const refused = [
    ['a malformed address', 'sync office example', /^Sync server address: must be a web address such as https:/],
    ['no host', 'https://', /^Sync server address: must be a web address/],
    [
      'a user name and password',
      'https://it:hunter2@sync.office.example/',
      /^Sync server address: must not contain a user name or password/,
    ],
    [
      'a user name alone',
      'https://it@sync.office.example',
      /^Sync server address: must not contain a user name or password/,
    ],
    ['another scheme', 'ftp://sync.office.example', /^Sync server address: must start with https:\/\//],
    [
      'plain http to another computer',
      'http://sync.office.example',
      /^Sync server address: must use https \(plain http only to localhost\)/,
    ],
    ['a fragment', 'https://sync.office.example/#admin', /^Sync server address: must not end with a # part/],
  ] as const;

  it.each(refused)(
    'sync/connect refuses %s, naming the field in words, and writes nothing',
    async (_case, url, why) => {
      const c = core();
      const error = await c.fails('door', 'sync/connect', { syncServerUrl: url });
      expect(error.code).toBe('validation');
      expect(error.fields?.syncServerUrl).toMatch(why);
      expect(error.message).toContain('Sync server address: ');
      expect(JSON.stringify(error)).not.toContain('hunter2');
      expect(existsSync(join(c.dir, 'settings.json'))).toBe(false);
    },
  );

  it.each(refused)('app/update-settings refuses %s and keeps the address it had', async (_case, url, why) => {
    const c = core();
    await setUpAdmin(c, 'w');
    await c.ok('w', 'app/update-settings', { syncServerUrl: 'https://sync.office.example' });
    const error = await c.fails('w', 'app/update-settings', { syncServerUrl: url });
    expect(error.code).toBe('validation');
    expect(error.fields?.syncServerUrl).toMatch(why);
    expect((await c.ok<{ sync: { url: string } }>('w', 'app/about')).sync.url).toBe('https://sync.office.example');
  });

  it('takes a good address, without its trailing slash, and plain http to this computer', async () => {
    const c = core();
    expect(await c.ok('door', 'sync/connect', { syncServerUrl: '  https://Sync.Office.example/roomy/ ' })).toEqual({
      syncServerUrl: 'https://sync.office.example/roomy',
    });
    await setUpAdmin(c, 'w');
    const changed = await c.ok<{ settings: { syncServerUrl: string } }>('w', 'app/update-settings', {
      syncServerUrl: 'http://localhost:8787',
    });
    expect(changed.settings.syncServerUrl).toBe('http://localhost:8787');
  });

  it('never shows credentials: an address with them in a settings file or IT’s file is not used', async () => {
    const dir = core().dir;
    const fleetFile = join(dir, 'fleet.json');
    writeFileSync(fleetFile, JSON.stringify({ syncServerUrl: 'https://it:hunter2@sync.office.example' }));
    const c = core({ fleet: readFleetConfig(fleetFile) });
    writeFileSync(join(c.dir, 'settings.json'), JSON.stringify({ syncServerUrl: 'https://me:secret@sync.example' }));
    await setUpAdmin(c, 'w');
    const cleaner = await seedStaff(c, 'CLEANER');
    await signInAs(c, 'cleaner', cleaner);
    const about = await c.ok<{ sync: unknown; fleetConfigProblem: string }>('cleaner', 'app/about');
    expect(about.sync).toEqual({ mode: 'standalone', url: null });
    expect(about.fleetConfigProblem).toMatch(/syncServerUrl: must not contain a user name or password/);
    const shown = JSON.stringify([about, await c.ok('cleaner', 'app/settings')]);
    expect(shown).not.toMatch(/hunter2|secret@/);
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
      'signed in maria.silva@example.com from +351 912 345 678\nopened property 019a\n' +
        'upload refused { authorization: Bearer eyJzdWIiOiIx.c2ln } guest 912 345 678 / (212) 555-0100\n',
    );
    const { path } = await c.ok<{ path: string }>('w', 'app/diagnostics');
    const text = readFileSync(path, 'utf8');
    const bundle = JSON.parse(text);
    expect(bundle.rowCounts.users).toBe(1);
    expect(bundle.integrity).toBe('ok');
    expect(bundle.logs[0].text).toContain('signed in [email] from [phone]');
    expect(bundle.logs[0].text).toContain('guest [phone] / [phone]');
    expect(text).not.toMatch(/maria\.silva|912 345|555-0100|eyJzdWIi|admin@example\.com/);
  });
});

describe('a diagnostics bundle by role', () => {
  it('counts only what the role may read, as it may see it, and names no other table', async () => {
    const c = core();
    await setUpAdmin(c, 'w');
    const cleaner = await seedStaff(c, 'CLEANER');
    const location = seedLocation(c);
    const theirs = seedProperty(c, location.id);
    const other = seedProperty(c, location.id, { name: 'Not theirs' });
    seedTask(c, theirs.id, { assigneeId: cleaner.id });
    seedTask(c, other.id);
    seedLedgerEntry(c, seedGuest(c).id, { propertyId: theirs.id });
    await signInAs(c, 'cleaner', cleaner);

    const { path } = await c.ok<{ path: string }>('cleaner', 'app/diagnostics');
    const text = readFileSync(path, 'utf8');
    expect(JSON.parse(text).rowCounts).toEqual({ locations: 1, properties: 1, tasks: 1 });
    expect(text).not.toMatch(/ledger|audit_log|reservations|"users"/);

    const admin = JSON.parse(readFileSync((await c.ok<{ path: string }>('w', 'app/diagnostics')).path, 'utf8'));
    expect(admin.rowCounts).toMatchObject({ properties: 2, tasks: 2, ledger_entries: 1, users: 3 });
    expect(admin.rowCounts.audit_log).toBeGreaterThan(0);
  });
});

describe('redaction of logs', () => {
  it('removes bearer tokens, authorization headers, tokens in JSON and national phone numbers', () => {
    const lines = [
      '[2026-11-24 10:15:02.123] [warn]  Sync failed { status: 503, request: "POST /v1/changesets", authorization: "Bearer eyJzdWIiOiIx.c2lnbmF0dXJl-_x" }',
      'GET /v1/shape HTTP/1.1 Authorization: Basic aXQ6aHVudGVyMg==',
      '[2026-11-24 10:15:03.000] [info]  answer {"accessToken":"eyJhbGciOi.eyJzdWIi.sig","refreshToken":"rt-6f1c9a","user":{"id":"019a2b3c-4d5e-7f60-8abc-0123456789ab"}}',
      'retrying with Bearer 8c1f0e2d9b7a',
      'Guest called from 912 345 678, (212) 555-0100 and 020 7946 0958 at 2026-11-24 10:16',
      'Backup roomy-2026-11-24T10-17-00-000Z.db of 1048576 bytes from 127.0.0.1:41235, version 0.1.0',
    ].join('\n');
    const out = redact(lines, '/home/maria');
    expect(out).not.toMatch(/eyJ|c2lnbmF0dXJl|aXQ6aHVudGVyMg|rt-6f1c9a|8c1f0e2d9b7a/);
    expect(out).not.toMatch(/912 345|555-0100|7946/);
    expect(out).toContain('Guest called from [phone], [phone] and [phone] at 2026-11-24 10:16');
    expect(out).toContain('"refreshToken":"[secret]"');
    expect(out).toContain('Bearer [token]');
    // What support needs to follow a trail stays.
    expect(out).toContain('[2026-11-24 10:15:02.123]');
    expect(out).toContain('019a2b3c-4d5e-7f60-8abc-0123456789ab');
    expect(out).toContain(
      'Backup roomy-2026-11-24T10-17-00-000Z.db of 1048576 bytes from 127.0.0.1:41235, version 0.1.0',
    );
  });

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
