import { cpSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openCentralDatabase } from '../../db/central-database.js';
import { openLocalDatabase } from '../../db/local-database.js';
import { MigrationHistoryError, POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS } from '../../db/migrate/history.js';
import { emptyCentralTarget, tempDir } from '../harness/databases.js';
import { locationRow, propertyRow, reservationRow, userRow } from './fixtures.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function workDir() {
  const dir = tempDir();
  cleanups.push(dir.remove);
  return dir.path;
}

/** A copy of the migrations folder that knows only the first `count` migrations. */
function firstMigrations(source: string, count: number): string {
  const folder = join(workDir(), 'migrations');
  cpSync(source, folder, { recursive: true });
  const journalPath = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: unknown[] };
  journal.entries = journal.entries.slice(0, count);
  writeFileSync(journalPath, JSON.stringify(journal));
  return folder;
}

const journalTags = (folder: string): string[] =>
  JSON.parse(readFileSync(join(folder, 'meta', '_journal.json'), 'utf8')).entries.map((e: { tag: string }) => e.tag);
const KNOWN_SQLITE = journalTags(SQLITE_MIGRATIONS).length;
const KNOWN_POSTGRES = journalTags(POSTGRES_MIGRATIONS).length;
/** Migrations of the server-only tables (db/parity-exceptions.ts): Postgres has them, SQLite does not. */
const SERVER_ONLY_MIGRATIONS = ['0005_server_sessions', '0006_devices'];
/** The replication guard lets a synced device store the server's rows; the server needs none. */
const DEVICE_ONLY_MIGRATIONS = [
  '0005_replication_guard',
  '0006_durable_pending_edits',
  '0007_replication_guard_in_memory',
];

describe('local SQLite migrations', () => {
  it('apply to an empty file, with the pragmas set, and no backup of an empty database', () => {
    const file = join(workDir(), 'roomy.db');
    const local = openLocalDatabase(file);
    cleanups.push(() => local.close());
    expect(local.backupPath).toBeNull();
    const tables = local.sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all();
    expect(tables).toEqual(
      expect.arrayContaining(['users', 'properties', 'reservations', 'ledger_entries', 'audit_log', 'outbox']),
    );
    expect(local.sqlite.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get()).toBe(KNOWN_SQLITE);
    expect(local.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(local.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(local.sqlite.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    expect(local.sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
  });

  it('reopening an up-to-date database changes nothing and writes no backup', () => {
    const file = join(workDir(), 'roomy.db');
    openLocalDatabase(file).close();
    const again = openLocalDatabase(file);
    cleanups.push(() => again.close());
    expect(again.backupPath).toBeNull();
    expect(again.sqlite.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get()).toBe(KNOWN_SQLITE);
  });

  it('writes a backup beside a non-empty database before migrating it, holding its data as it was', () => {
    const dir = workDir();
    const file = join(dir, 'roomy.db');
    const old = openLocalDatabase(file, { migrationsFolder: firstMigrations(SQLITE_MIGRATIONS, 1) });
    const user = userRow();
    old.sqlite
      .prepare(
        'INSERT INTO users (id, email, first_name, last_name, role, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(user.id, user.email, user.firstName, user.lastName, user.role, user.createdAt, user.updatedAt);
    old.close();

    const upgraded = openLocalDatabase(file, { now: () => new Date('2026-11-24T10:00:00Z') });
    cleanups.push(() => upgraded.close());
    expect(upgraded.backupPath).toBe(`${file}.before-migration-2026-11-24T10-00-00-000Z.bak`);
    expect(existsSync(upgraded.backupPath!)).toBe(true);
    const backup = new Database(upgraded.backupPath!, { readonly: true });
    cleanups.push(() => backup.close());
    expect(backup.prepare('SELECT email FROM users').pluck().all()).toEqual([user.email]);
    expect(backup.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get()).toBe(1);
    expect(upgraded.sqlite.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get()).toBe(KNOWN_SQLITE);
  });

  it('refuses a database with a migration this build does not know, and leaves it untouched', () => {
    const file = join(workDir(), 'roomy.db');
    const newer = openLocalDatabase(file);
    newer.sqlite
      .prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)')
      .run('f'.repeat(64), Date.now());
    newer.close();
    const sizeBefore = statSync(file).size;

    expect(() => openLocalDatabase(file)).toThrow(MigrationHistoryError);
    expect(() => openLocalDatabase(file)).toThrow(/knows only \d+.*newer version/);
    expect(statSync(file).size).toBe(sizeBefore);
  });

  it('refuses a database whose history differs from this build', () => {
    const file = join(workDir(), 'roomy.db');
    const other = openLocalDatabase(file);
    other.sqlite
      .prepare('UPDATE __drizzle_migrations SET hash = ? WHERE rowid = (SELECT min(rowid) FROM __drizzle_migrations)')
      .run('0'.repeat(64));
    other.close();
    expect(() => openLocalDatabase(file)).toThrow(/unknown migration at position 1/);
  });
});

describe('central Postgres migrations', () => {
  it('apply to an empty database, install btree_gist, and are a no-op when reapplied', async () => {
    const target = await emptyCentralTarget();
    cleanups.push(target.drop);
    const connect = () => openCentralDatabase(target.url ? { url: target.url } : { pgliteDataDir: 'memory' });
    const first = await connect();
    const tables = await first.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
    );
    expect(tables.map((t) => t.table_name)).toEqual(
      expect.arrayContaining(['users', 'properties', 'reservations', 'ledger_entries', 'audit_log', 'change_log']),
    );
    expect(await first.query(`SELECT 1 FROM pg_extension WHERE extname = 'btree_gist'`)).toHaveLength(1);
    await first.close();
    if (!target.url) return; // an in-memory PGlite does not survive closing
    const second = await connect();
    cleanups.push(() => second.close());
    const [{ count }] = (await second.query<{ count: string }>(
      `SELECT count(*) FROM drizzle.__drizzle_migrations`,
    )) as [{ count: string }];
    expect(Number(count)).toBe(KNOWN_POSTGRES);
  });

  it('refuse a database with an unknown migration', async () => {
    const target = await emptyCentralTarget();
    cleanups.push(target.drop);
    if (!target.url) return;
    const central = await openCentralDatabase({ url: target.url });
    await central.query(`INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES ($1, $2)`, [
      'e'.repeat(64),
      Date.now(),
    ]);
    await central.close();
    await expect(openCentralDatabase({ url: target.url })).rejects.toThrow(/knows only \d+.*newer version/);
  });
});

describe('embedded PGlite migrations', () => {
  it('apply, and the overlap constraint holds there too', async () => {
    const dir = workDir();
    const pglite = await openCentralDatabase({ pgliteDataDir: join(dir, 'pglite') });
    cleanups.push(() => pglite.close());
    const guest = userRow();
    const location = locationRow();
    const property = propertyRow(location.id);
    const { db } = pglite;
    const schema = await import('../../db/schema/postgres.js');
    const pg = db as unknown as import('drizzle-orm/pglite').PgliteDatabase<typeof schema>;
    await pg.insert(schema.users).values(guest as never);
    await pg.insert(schema.locations).values(location as never);
    await pg.insert(schema.properties).values(property as never);
    await pg.insert(schema.reservations).values(reservationRow(property.id, guest.id) as never);
    await expect(
      pg.insert(schema.reservations).values(reservationRow(property.id, guest.id) as never),
    ).rejects.toThrow();
    const [{ count }] = (await pglite.query<{ count: number }>(`SELECT count(*)::int AS count FROM reservations`)) as [
      { count: number },
    ];
    expect(count).toBe(1);
  });
});

describe('the migration folders', () => {
  it('SQLite and Postgres know the same migrations, in the same order, but for the server-only and device-only ones', () => {
    // Each dialect numbers its own folder: the names must match, not the numbers.
    const name = (tag: string) => tag.replace(/^\d+_/, '');
    const shared = journalTags(POSTGRES_MIGRATIONS).filter((tag) => !SERVER_ONLY_MIGRATIONS.includes(tag));
    expect(shared.map(name)).toEqual(
      journalTags(SQLITE_MIGRATIONS)
        .filter((tag) => !DEVICE_ONLY_MIGRATIONS.includes(tag))
        .map(name),
    );
  });
});
