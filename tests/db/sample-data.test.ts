import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { passwordWeakness } from '../../db/auth/passwords.js';
import { isUuidV7 } from '../../db/domain/ids.js';
import { generateSampleData, type SampleData } from '../../db/sample/generate.js';
import { loadSampleData, type SampleCounts } from '../../db/sample/load.js';
import { verifyAuditChain } from '../../main/core/audit-chain.js';
import { createCore } from '../../main/core/core.js';
import {
  createSampleDatabase,
  generatePassword,
  howToOpen,
  type SampleDatabaseRequest,
} from '../../scripts/sample-data.js';
import { freshLocalDatabase, tempDir, type TestLocalDatabase } from '../harness/databases.js';

const TODAY = '2026-06-15';
const TABLES = ['users', 'locations', 'properties', 'reservations', 'tasks', 'ledger_entries'] as const;

describe('sample data generation', () => {
  it('is deterministic: the same seed gives the same rows, ids included', () => {
    const first = generateSampleData({ size: 'demo', today: TODAY });
    expect(generateSampleData({ size: 'demo', today: TODAY })).toEqual(first);
    const other = generateSampleData({ size: 'demo', today: TODAY, seed: 'another' });
    expect(other.reservations[0]?.id).not.toBe(first.reservations[0]?.id);
    expect(other).not.toEqual(first);
  });

  it('makes only UUIDv7 ids', () => {
    const data = generateSampleData({ size: 'demo', today: TODAY });
    const ids = Object.values(data).flatMap((rows: { id: string }[]) => rows.map((row) => row.id));
    expect(ids.filter((id) => !isUuidV7(id))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('makes no admin and no credentials, and uses reserved e-mail domains only', () => {
    const { users } = generateSampleData({ size: 'demo', today: TODAY });
    expect(users.some((u) => u.role === 'ADMIN')).toBe(false);
    expect(users.every((u) => /@example\.(com|net|org)$/.test(u.email))).toBe(true);
    expect(new Set(users.map((u) => u.email)).size).toBe(users.length);
  });

  it('rejects a malformed today', () => {
    expect(() => generateSampleData({ size: 'demo', today: '15/06/2026' })).toThrow(/YYYY-MM-DD/);
  });
});

describe('sample data in SQLite (demo size)', () => {
  let local: TestLocalDatabase;
  let data: SampleData;
  let counts: SampleCounts;
  const all = (sql: string) => local.sqlite.prepare(sql).all();
  const value = (sql: string) => local.sqlite.prepare(sql).pluck().get();

  beforeAll(() => {
    local = freshLocalDatabase();
    data = generateSampleData({ size: 'demo', today: TODAY });
    counts = loadSampleData(local.sqlite, data);
  });
  afterAll(() => local.dispose());

  it('loads every row', () => {
    expect(counts).toEqual({
      users: data.users.length,
      locations: data.locations.length,
      properties: data.properties.length,
      reservations: data.reservations.length,
      tasks: data.tasks.length,
      ledgerEntries: data.ledgerEntries.length,
    });
    expect(value('SELECT count(*) FROM reservations')).toBe(data.reservations.length);
    expect(value('SELECT count(*) FROM ledger_entries')).toBe(data.ledgerEntries.length);
    expect(counts.properties).toBeGreaterThanOrEqual(20);
    expect(counts.reservations).toBeGreaterThan(2_000);
  });

  it('satisfies every foreign key', () => {
    expect(all('PRAGMA foreign_key_check')).toEqual([]);
  });

  it('never overlaps two active reservations of a property', () => {
    const overlaps = value(`
      SELECT count(*) FROM reservations a
      JOIN reservations b ON b.property_id = a.property_id AND b.id > a.id
        AND a.check_in < b.check_out AND b.check_in < a.check_out
      WHERE a.status NOT IN ('CANCELLED', 'NO_SHOW') AND b.status NOT IN ('CANCELLED', 'NO_SHOW')`);
    expect(overlaps).toBe(0);
  });

  it('nets every ledger entry: net = amount - platform fee - transaction fee', () => {
    const wrong = value(`
      SELECT count(*) FROM ledger_entries
      WHERE net_amount_minor <> amount_minor - platform_fee_minor - transaction_fee_minor`);
    expect(wrong).toBe(0);
  });

  it("records each checked-out stay's total as the guest's payment, and splits it completely", () => {
    const mismatched = all(`
      SELECT r.id, r.total_minor,
        (SELECT sum(amount_minor) FROM ledger_entries e WHERE e.reservation_id = r.id AND e.type = 'GUEST_PAYMENT') AS paid,
        (SELECT sum(platform_fee_minor) FROM ledger_entries e WHERE e.reservation_id = r.id AND e.type = 'GUEST_PAYMENT')
          + (SELECT sum(amount_minor) FROM ledger_entries e WHERE e.reservation_id = r.id
              AND e.type IN ('CLEANING_COST', 'AGENCY_FEE', 'OWNER_PAYOUT')) AS split
      FROM reservations r
      WHERE r.status = 'CHECKED_OUT' AND r.check_out < '${TODAY}'
        AND (paid IS NOT r.total_minor OR split IS NOT r.total_minor)`);
    expect(mismatched).toEqual([]);
    expect(value(`SELECT count(*) FROM reservations WHERE status = 'CHECKED_OUT'`)).toBeGreaterThan(1_000);
  });

  it('refunds only payments, by reference', () => {
    const orphans = value(`
      SELECT count(*) FROM ledger_entries refund
      LEFT JOIN ledger_entries payment ON payment.id = refund.reference_entry_id
      WHERE refund.type = 'REFUND' AND (payment.type IS NOT 'GUEST_PAYMENT' OR payment.reservation_id <> refund.reservation_id)`);
    expect(orphans).toBe(0);
    expect(value(`SELECT count(*) FROM ledger_entries WHERE type = 'REFUND'`)).toBeGreaterThan(0);
  });

  it("keeps money in its property's currency", () => {
    const ledger = value(`
      SELECT count(*) FROM ledger_entries e JOIN properties p ON p.id = e.property_id WHERE e.currency <> p.currency`);
    const reservations = value(`
      SELECT count(*) FROM reservations r JOIN properties p ON p.id = r.property_id WHERE r.currency <> p.currency`);
    const properties = value(`
      SELECT count(*) FROM properties p JOIN locations l ON l.id = p.location_id WHERE p.currency <> l.currency`);
    expect([ledger, reservations, properties]).toEqual([0, 0, 0]);
  });

  it('spans several currencies and time zones', () => {
    expect(value('SELECT count(DISTINCT currency) FROM locations')).toBeGreaterThanOrEqual(3);
    expect(value('SELECT count(DISTINCT time_zone) FROM locations')).toBeGreaterThanOrEqual(3);
  });

  it('refuses a second load into a database that has properties, writing nothing', () => {
    const before = TABLES.map((table) => value(`SELECT count(*) FROM ${table}`));
    const again = generateSampleData({ size: 'demo', today: TODAY, seed: 'second' });
    expect(() => loadSampleData(local.sqlite, again)).toThrow(/sample data can only be loaded into an empty database/);
    expect(TABLES.map((table) => value(`SELECT count(*) FROM ${table}`))).toEqual(before);
  });
});

describe('a sample database the app can open (npm run sample-data -- --admin-email)', () => {
  const folders: { remove(): void }[] = [];
  const newDataDir = () => {
    const dir = tempDir('roomy-sample-');
    folders.push(dir);
    return dir.path;
  };
  afterEach(() => folders.splice(0).forEach((dir) => dir.remove()));
  const ADMIN = { email: 'ines.rocha@office.example', firstName: 'Inês', lastName: 'Rocha' };
  const request = (file: string, more: Partial<SampleDatabaseRequest> = {}): SampleDatabaseRequest => ({
    file,
    size: 'demo',
    seed: 'roomy',
    today: TODAY,
    ...more,
  });

  /** Opens the database as the app does, signs in, and returns what the administrator sees. */
  async function signInAndLook(file: string, email: string, password: string) {
    const core = createCore({ databaseFile: file });
    try {
      const status = await core.call('window', 'auth/status');
      const signedIn = await core.call('window', 'auth/sign-in', { email, password });
      const properties = await core.call('window', 'properties/list', { limit: 100 });
      const audit = await core.call('window', 'audit/verify');
      return { status, signedIn, properties, audit, chain: verifyAuditChain(core.database.sqlite) };
    } finally {
      core.close();
    }
  }

  it('creates an active administrator who signs in with the generated password, sees the properties, and leaves the audit chain intact', async () => {
    const file = join(newDataDir(), 'roomy.db');
    const report = await createSampleDatabase(request(file, { admin: ADMIN }));
    expect(report.admin).toMatchObject({ email: ADMIN.email, generated: true });
    const password = report.admin!.password;
    expect(passwordWeakness(password, ADMIN)).toBeNull();

    const seen = await signInAndLook(file, ADMIN.email, password);
    expect(seen.status).toMatchObject({ ok: true, value: { needsSetup: false } });
    expect(seen.signedIn).toMatchObject({ ok: true, value: { role: 'ADMIN', email: ADMIN.email } });
    expect(seen.properties).toMatchObject({ ok: true });
    expect((seen.properties as { value: { items: unknown[] } }).value.items).toHaveLength(report.counts.properties);
    expect(seen.audit).toMatchObject({ ok: true, value: { intact: true } });
    expect(seen.chain.intact).toBe(true);

    const core = createCore({ databaseFile: file });
    try {
      const row = (sql: string) => core.database.sqlite.prepare(sql).get() as Record<string, unknown>;
      expect(row(`SELECT role, status FROM users WHERE email = '${ADMIN.email}'`)).toEqual({
        role: 'ADMIN',
        status: 'ACTIVE',
      });
      expect(row(`SELECT count(*) AS n FROM users WHERE role = 'ADMIN'`)).toEqual({ n: 1 });
      // Only the administrator has a verifier: the sample people cannot sign in.
      expect(core.database.sqlite.prepare('SELECT verifier FROM local_credentials').pluck().all()).toEqual([
        expect.stringMatching(/^\$argon2id\$/),
      ]);
      // Both writes are in the chain, as the first-run screen and "Load sample data" record them.
      const actions = core.database.sqlite.prepare('SELECT DISTINCT action FROM audit_log').pluck().all();
      expect(actions).toEqual(expect.arrayContaining(['auth/setup', 'sample-data.load']));
    } finally {
      core.close();
    }
  });

  it('takes the password given, and refuses one the first-run screen would refuse, writing nothing', async () => {
    const dir = newDataDir();
    const file = join(dir, 'roomy.db');
    await expect(
      createSampleDatabase(request(file, { admin: { ...ADMIN, password: 'inesrocha2024' } })),
    ).rejects.toThrow(/^ROOMY_ADMIN_PASSWORD: /);
    await expect(createSampleDatabase(request(file, { admin: { ...ADMIN, email: 'not an address' } }))).rejects.toThrow(
      /^--admin-email: must be a valid email address/,
    );
    expect(readdirSync(dir)).toEqual([]);

    const password = 'ochre-lantern-quay-1987-tidal';
    const report = await createSampleDatabase(request(file, { admin: { ...ADMIN, password } }));
    expect(report.admin).toEqual({ email: ADMIN.email, password, generated: false });
    expect((await signInAndLook(file, ADMIN.email, password)).signedIn).toMatchObject({ ok: true });
  });

  it('refuses an address that belongs to a sample person, writing nothing', async () => {
    const dir = newDataDir();
    const someone = generateSampleData({ size: 'demo', today: TODAY }).users[0]!;
    await expect(
      createSampleDatabase(request(join(dir, 'roomy.db'), { admin: { ...ADMIN, email: someone.email.toUpperCase() } })),
    ).rejects.toThrow(`--admin-email: ${someone.email} belongs to a person in the sample data`);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses to overwrite a database unless asked to replace it', async () => {
    const file = join(newDataDir(), 'roomy.db');
    const first = await createSampleDatabase(request(file, { admin: ADMIN }));
    await expect(createSampleDatabase(request(file, { admin: ADMIN }))).rejects.toThrow(
      `${file} already exists: choose another place, or add --replace`,
    );
    expect((await signInAndLook(file, ADMIN.email, first.admin!.password)).signedIn).toMatchObject({ ok: true });

    const second = await createSampleDatabase(request(file, { admin: ADMIN, replace: true, seed: 'another' }));
    const seen = await signInAndLook(file, ADMIN.email, second.admin!.password);
    expect(seen.signedIn).toMatchObject({ ok: true });
    expect(seen.chain.intact).toBe(true);
    expect((await signInAndLook(file, ADMIN.email, first.admin!.password)).signedIn).toMatchObject({ ok: false });
  });

  it('says how to open what it wrote, naming the data folder', () => {
    expect(howToOpen('/srv/roomy/demo/roomy.db', 'linux')).toBe(
      "Open it with: ROOMY_DATA_DIR='/srv/roomy/demo' npm start",
    );
    expect(howToOpen("/home/ana/.config/Roomy CRM/ana's/roomy.db", 'darwin')).toBe(
      `Open it with: ROOMY_DATA_DIR='/home/ana/.config/Roomy CRM/ana'\\''s' npm start`,
    );
    expect(howToOpen("/data/ana's/roomy.db", 'win32')).toBe(
      "Open it with (PowerShell): $env:ROOMY_DATA_DIR = '/data/ana''s'; npm start",
    );
    expect(howToOpen('/srv/scale.db', 'linux')).toMatch(/roomy\.db in its data folder: .*--data-dir DIR/);
  });

  it('makes passwords of twenty characters from an alphabet without look-alikes', () => {
    const passwords = Array.from({ length: 20 }, generatePassword);
    for (const password of passwords) expect(password).toMatch(/^[a-hjkmnp-z2-9]{4}(-[a-hjkmnp-z2-9]{4}){4}$/);
    expect(new Set(passwords).size).toBe(passwords.length);
  });

  it('from the command line: prints the password once and the command that opens the data folder', async () => {
    const dataDir = join(newDataDir(), 'office data');
    const root = resolve(import.meta.dirname, '../..');
    const run = () =>
      spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          'scripts/sample-data.ts',
          '--size',
          'demo',
          '--today',
          TODAY,
          '--data-dir',
          dataDir,
          '--admin-email',
          ADMIN.email,
        ],
        { cwd: root, encoding: 'utf8', env: { ...process.env, ROOMY_ADMIN_PASSWORD: '' } },
      );
    const made = run();
    expect(made.stderr).toBe('');
    expect(made.status).toBe(0);
    const password = /with the password (\S+)/.exec(made.stdout)?.[1];
    expect(password).toBeDefined();
    expect(made.stdout).toContain(`Open it with: ROOMY_DATA_DIR='${dataDir}' npm start`);
    expect(existsSync(join(dataDir, 'roomy.db'))).toBe(true);

    const again = run();
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('already exists: choose another place, or add --replace');
    expect((await signInAndLook(join(dataDir, 'roomy.db'), ADMIN.email, password!)).signedIn).toMatchObject({
      ok: true,
    });
  });
});
