// Backups on real SQLite files: copy, keep the newest, restore round trip, and refusals of a
// damaged file, a foreign file, a newer build's database and an edited audit trail.
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openLocalDatabase, type LocalDatabase } from '../../db/local-database.js';
import { appendAudit } from '../../main/core/audit-chain.js';
import {
  applyPendingRestore,
  backUpIfDue,
  backupsFolder,
  createBackup,
  exportDatabase,
  listBackups,
  stageRestore,
  verifyBackup,
} from '../../main/backups.js';
import { locationRow } from '../db/fixtures.js';
import { tempDir } from '../harness/databases.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function database(): { file: string; local: LocalDatabase; dir: string } {
  const dir = tempDir();
  const file = join(dir.path, 'roomy.db');
  const local = openLocalDatabase(file);
  cleanups.push(() => dir.remove());
  cleanups.push(() => local.sqlite.open && local.close());
  return { file, local, dir: dir.path };
}

const addLocation = (local: LocalDatabase, name: string) => {
  const row = locationRow({ name });
  local.sqlite
    .prepare(
      `INSERT INTO locations (id, name, city, country, time_zone, currency, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(row.id, row.name, row.city, row.country, row.timeZone, row.currency, row.createdAt, row.updatedAt);
};
const locationNames = (sqlite: Database.Database) =>
  sqlite.prepare('SELECT name FROM locations ORDER BY name').pluck().all();

describe('backups', () => {
  it('copy the live database, keep only the newest, and come daily', async () => {
    const { file, local } = database();
    addLocation(local, 'Lisbon');
    const folder = backupsFolder(file);
    for (let day = 1; day <= 4; day++)
      await createBackup(local.sqlite, folder, new Date(`2026-11-0${day}T03:00:00Z`), 3);
    const kept = listBackups(folder);
    expect(kept.map((b) => b.createdAt)).toEqual([
      '2026-11-04T03:00:00.000Z',
      '2026-11-03T03:00:00.000Z',
      '2026-11-02T03:00:00.000Z',
    ]);
    const copy = new Database(kept[0]!.path, { readonly: true });
    expect(locationNames(copy)).toEqual(['Lisbon']);
    copy.close();
    expect(await backUpIfDue(local.sqlite, folder, new Date('2026-11-04T20:00:00Z'), 3)).toBeNull();
    expect(await backUpIfDue(local.sqlite, folder, new Date('2026-11-05T03:00:01Z'), 3)).not.toBeNull();
  });

  it('restore round trip: the database returns to the backup, and the replaced one is kept', async () => {
    const { file, local } = database();
    addLocation(local, 'Lisbon');
    appendAudit(local.sqlite, 'device-1', '2026-11-24T09:00:00.000Z', {
      actorId: null,
      actorRole: null,
      action: 'test',
    });
    const backup = await createBackup(local.sqlite, backupsFolder(file), new Date('2026-11-24T10:00:00Z'));
    addLocation(local, 'Porto');
    expect(verifyBackup(backup.path)).toEqual({ auditRows: 1 });

    stageRestore(backup.path, file);
    local.close();
    const outcome = applyPendingRestore(file, new Date('2026-11-24T11:00:00Z')) as { keptAs: string };
    expect(outcome.keptAs).toMatch(/before-restore-2026-11-24T11-00-00-000Z\.db$/);
    const restored = openLocalDatabase(file);
    expect(locationNames(restored.sqlite)).toEqual(['Lisbon']);
    restored.close();
    const previous = new Database(outcome.keptAs, { readonly: true });
    expect(locationNames(previous)).toEqual(['Lisbon', 'Porto']);
    previous.close();
    expect(applyPendingRestore(file, new Date())).toBeNull();
  });

  it('a restore after a crash never replays the old write-ahead log onto the restored copy', async () => {
    const { file, local, dir } = database();
    addLocation(local, 'Lisbon');
    const backup = await createBackup(local.sqlite, backupsFolder(file), new Date('2026-11-24T10:00:00Z'));
    for (let i = 0; i < 50; i++) addLocation(local, `After ${i}`);
    // The state a crash leaves: the database and its unfolded write-ahead log, side by side.
    const crashed = join(dir, 'crashed');
    mkdirSync(crashed);
    const crashedFile = join(crashed, 'roomy.db');
    copyFileSync(file, crashedFile);
    copyFileSync(`${file}-wal`, `${crashedFile}-wal`);
    stageRestore(backup.path, crashedFile);

    const outcome = applyPendingRestore(crashedFile, new Date('2026-11-24T11:00:00Z')) as { keptAs: string };
    expect(existsSync(`${crashedFile}-wal`) && readFileSync(`${crashedFile}-wal`).length > 0).toBe(false);
    const restored = new Database(crashedFile, { readonly: true });
    expect(locationNames(restored)).toEqual(['Lisbon']);
    restored.close();
    const kept = new Database(outcome.keptAs, { readonly: true });
    expect(locationNames(kept)).toHaveLength(51);
    kept.close();
  });

  it('a staged restore that is no longer sound is refused at start, and the database is left alone', async () => {
    const { file, local } = database();
    addLocation(local, 'Lisbon');
    const backup = await createBackup(local.sqlite, backupsFolder(file), new Date('2026-11-24T10:00:00Z'));
    addLocation(local, 'Porto');
    stageRestore(backup.path, file);
    local.close();
    writeFileSync(`${file}.restore`, 'damaged on disk since');
    const outcome = applyPendingRestore(file, new Date('2026-11-24T11:00:00Z'));
    expect(outcome).toMatchObject({ refused: expect.stringContaining('cannot') });
    const current = new Database(file, { readonly: true });
    expect(locationNames(current)).toEqual(['Lisbon', 'Porto']);
    current.close();
    expect(existsSync(`${file}.restore`)).toBe(false);
  });

  it('backups are single files: reading one leaves nothing beside it', async () => {
    const { file, local } = database();
    const backup = await createBackup(local.sqlite, backupsFolder(file), new Date('2026-11-24T10:00:00Z'));
    verifyBackup(backup.path);
    expect(existsSync(`${backup.path}-wal`) || existsSync(`${backup.path}-shm`)).toBe(false);
  });

  it('an export is a complete database IT can open', async () => {
    const { local, dir } = database();
    addLocation(local, 'Faro');
    const path = await exportDatabase(local.sqlite, join(dir, 'exports'), new Date('2026-11-24T10:00:00Z'));
    const copy = new Database(path, { readonly: true });
    expect(locationNames(copy)).toEqual(['Faro']);
    copy.close();
  });

  it('a corrupted backup is refused and nothing is staged', async () => {
    const { file, local } = database();
    for (let i = 0; i < 200; i++) addLocation(local, `Town ${i} ${'x'.repeat(200)}`);
    const backup = await createBackup(local.sqlite, backupsFolder(file), new Date('2026-11-24T10:00:00Z'));
    const bytes = readFileSync(backup.path);
    // Scribble over the middle pages, where the rows and index live.
    bytes.fill(0x5a, 8192, bytes.length - 4096);
    writeFileSync(backup.path, bytes);
    expect(() => stageRestore(backup.path, file)).toThrow(/damaged|cannot/);
    expect(existsSync(`${file}.restore`)).toBe(false);
  });

  it('a file that is not a Roomy database is refused', () => {
    const { dir, file } = database();
    const foreign = join(dir, 'other.db');
    const other = new Database(foreign);
    other.exec('CREATE TABLE notes (text TEXT)');
    other.close();
    expect(() => stageRestore(foreign, file)).toThrow(/not a Roomy database/);
    const text = join(dir, 'notes.db');
    writeFileSync(text, 'just some text, not SQLite at all, long enough to have a header of sorts');
    expect(() => stageRestore(text, file)).toThrow(/cannot/);
  });

  it('a backup whose audit trail was edited is refused', async () => {
    const { file, local } = database();
    appendAudit(local.sqlite, 'device-1', '2026-11-24T09:00:00.000Z', {
      actorId: null,
      actorRole: null,
      action: 'first',
    });
    appendAudit(local.sqlite, 'device-1', '2026-11-24T09:01:00.000Z', {
      actorId: null,
      actorRole: null,
      action: 'second',
    });
    const backup = await createBackup(local.sqlite, backupsFolder(file), new Date('2026-11-24T10:00:00Z'));
    const tampered = new Database(backup.path);
    tampered.exec('DROP TRIGGER IF EXISTS audit_log_no_update');
    for (const trigger of tampered
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'`)
      .pluck()
      .all()) {
      tampered.exec(`DROP TRIGGER "${trigger as string}"`);
    }
    tampered.prepare(`UPDATE audit_log SET action = 'rewritten' WHERE seq = 1`).run();
    tampered.close();
    expect(() => verifyBackup(backup.path)).toThrow(/broken audit trail/);
  });

  it('a database from a newer build is refused', async () => {
    const { file, local } = database();
    const backup = await createBackup(local.sqlite, backupsFolder(file), new Date('2026-11-24T10:00:00Z'));
    const newer = new Database(backup.path);
    newer.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run('f'.repeat(64), Date.now());
    newer.close();
    expect(() => verifyBackup(backup.path)).toThrow(/newer version/);
  });
});
