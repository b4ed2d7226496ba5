// Backups on real SQLite files: copy, keep the newest, restore round trip, and refusals of a
// damaged file, a foreign file, a newer build's database, an altered structure, an edited or
// re-hashed audit trail, and a ledger entry that differs from its audited insert.
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openLocalDatabase, type LocalDatabase } from '../../db/local-database.js';
import { legacyAuditHash } from '../../db/audit/chain-hash.js';
import { users } from '../../db/schema/sqlite.js';
import { appendAudit, verifyAuditChain } from '../../main/core/audit-chain.js';
import { commitChange } from '../../main/core/changes.js';
import { createCore } from '../../main/core/core.js';
import { keepAuditChain, type ChainKeySource } from '../../main/core/chain-keeper.js';
import { FileSecretStore } from '../../main/sync/secret-store.js';
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
import { ledgerRow, locationRow, userRow } from '../db/fixtures.js';
import { createTestCore, setUpAdmin, STRONG_PASSWORD } from '../core/test-core.js';
import { tempDir } from '../harness/databases.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

const DEVICE = 'device-1';

/** A database whose audit chain is kept as the core keeps it, its key in keys.json beside it. */
function database(): { file: string; local: LocalDatabase; dir: string; keys: ChainKeySource } {
  const dir = tempDir();
  const file = join(dir.path, 'roomy.db');
  const local = openLocalDatabase(file);
  local.sqlite.prepare(`INSERT INTO device_meta (key, value) VALUES ('device_id', ?)`).run(DEVICE);
  const keys = { store: new FileSecretStore(join(dir.path, 'keys.json')), entry: 'audit-chain local' };
  const chain = keepAuditChain(local.sqlite, DEVICE, keys);
  chain.secret();
  cleanups.push(() => dir.remove());
  cleanups.push(() => local.sqlite.open && (chain.release(), local.close()));
  return { file, local, dir: dir.path, keys };
}

const addLocation = (local: LocalDatabase, name: string) => {
  const row = locationRow({ name });
  local.sqlite
    .prepare(
      `INSERT INTO locations (id, name, city, country, time_zone, currency, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(row.id, row.name, row.city, row.country, row.timeZone, row.currency, row.createdAt, row.updatedAt);
};

const audit = (local: LocalDatabase, action: string, at = '2026-11-24T09:00:00.000Z') =>
  appendAudit(local.sqlite, DEVICE, at, { actorId: null, actorRole: null, action });

/**
 * Changes a backup as someone with the file would: the append-only triggers out of the way, then
 * put back as they were, so only the audit trail can tell.
 */
function tamperWith(path: string, work: (copy: Database.Database) => void): void {
  const copy = new Database(path);
  const triggers = copy
    .prepare(
      `SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ('audit_log', 'ledger_entries')`,
    )
    .all() as { name: string; sql: string }[];
  for (const { name } of triggers) copy.exec(`DROP TRIGGER "${name}"`);
  work(copy);
  for (const { sql } of triggers) copy.exec(sql);
  copy.close();
}

/** What someone with the file but not the key can do: rewrite from `seq` on and re-hash by the old rule. */
function rehashFrom(copy: Database.Database, seq: number, rewrite: string): void {
  copy.exec(rewrite);
  const rows = copy.prepare('SELECT * FROM audit_log WHERE device_id = ? ORDER BY seq').all(DEVICE) as Record<
    string,
    string | number | null
  >[];
  let previous = rows.find((r) => r.seq === seq - 1)?.hash ?? '0'.repeat(64);
  for (const row of rows.filter((r) => Number(r.seq) >= seq)) {
    const hash = legacyAuditHash({
      id: String(row.id),
      deviceId: String(row.device_id),
      seq: Number(row.seq),
      actorId: row.actor_id as string | null,
      actorRole: row.actor_role as string | null,
      action: String(row.action),
      entityType: row.entity_type as string | null,
      entityId: row.entity_id as string | null,
      before: row.before === null ? null : JSON.parse(String(row.before)),
      after: row.after === null ? null : JSON.parse(String(row.after)),
      at: String(row.at),
      prevHash: String(previous),
    });
    copy.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?').run(previous, hash, row.id);
    previous = hash;
  }
  const last = rows.at(-1)!;
  copy.prepare(`UPDATE device_meta SET value = ? WHERE key = ?`).run(`${last.seq} ${previous}`, `audit_head:${DEVICE}`);
}

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
    const { file, local, keys } = database();
    addLocation(local, 'Lisbon');
    audit(local, 'test');
    const backup = await createBackup(local.sqlite, backupsFolder(file), new Date('2026-11-24T10:00:00Z'));
    addLocation(local, 'Porto');
    expect(verifyBackup(backup.path, undefined, undefined, keys)).toEqual({ auditRows: 1 });
    // Another computer, without this database's key, cannot vouch for it.
    expect(() => verifyBackup(backup.path)).toThrow(/sealed with a key this computer does not hold/);

    stageRestore(backup.path, file);
    local.close();
    const outcome = applyPendingRestore(file, new Date('2026-11-24T11:00:00Z'), undefined, undefined, keys) as {
      keptAs: string;
    };
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
    const { file, local, keys } = database();
    audit(local, 'first');
    audit(local, 'second', '2026-11-24T09:01:00.000Z');
    const backup = await createBackup(local.sqlite, backupsFolder(file), new Date('2026-11-24T10:00:00Z'));
    expect(verifyBackup(backup.path, undefined, undefined, keys)).toEqual({ auditRows: 2 });
    tamperWith(backup.path, (copy) => {
      copy.prepare(`UPDATE audit_log SET action = 'rewritten' WHERE seq = 1`).run();
    });
    expect(() => verifyBackup(backup.path, undefined, undefined, keys)).toThrow(
      /broken audit trail: This computer's audit entry 1 was changed after it was written/,
    );
  });

  it('a backup whose audit trail was rewritten and re-hashed without the key is refused', async () => {
    const { file, local, keys } = database();
    for (const action of ['first', 'second', 'third']) audit(local, action);
    const backup = await createBackup(local.sqlite, backupsFolder(file), new Date('2026-11-24T10:00:00Z'));
    tamperWith(backup.path, (copy) =>
      rehashFrom(copy, 2, `UPDATE audit_log SET action = 'nothing happened' WHERE seq = 2`),
    );
    expect(() => verifyBackup(backup.path, undefined, undefined, keys)).toThrow(
      /re-sealed without this computer's key/,
    );
  });

  it('a backup whose ledger entry differs from its audited insert is refused, naming what changed', async () => {
    const { file, local, keys } = database();
    const user = userRow();
    local.db
      .insert(users)
      .values(user as never)
      .run();
    const entry = ledgerRow(user.id, { amountMinor: 10_000, netAmountMinor: 9_700, platformFeeMinor: 300 });
    commitChange(
      local.sqlite,
      local.db,
      DEVICE,
      { id: null, role: null },
      'ledger/record',
      '2026-11-24T09:00:00.000Z',
      (w) => w.insert('ledger_entries', entry as never),
    );
    const backup = await createBackup(local.sqlite, backupsFolder(file), new Date('2026-11-24T10:00:00Z'));
    expect(verifyBackup(backup.path, undefined, undefined, keys)).toEqual({ auditRows: 1 });
    tamperWith(backup.path, (copy) =>
      copy
        .prepare('UPDATE ledger_entries SET amount_minor = 100, platform_fee_minor = 0, net_amount_minor = 100')
        .run(),
    );
    expect(() => verifyBackup(backup.path, undefined, undefined, keys)).toThrow(
      new RegExp(
        `ledger entry ${entry.id} .* differs from what was recorded when it was made: the amount, platform fee and net amount changed outside Roomy`,
      ),
    );
  });

  it('a backup with a trigger dropped is refused, naming it; one as this build makes it is accepted', async () => {
    const { file, local, keys } = database();
    const good = await createBackup(local.sqlite, backupsFolder(file), new Date('2026-11-24T10:00:00Z'));
    expect(verifyBackup(good.path, undefined, undefined, keys)).toEqual({ auditRows: 0 });
    const bad = await createBackup(local.sqlite, backupsFolder(file), new Date('2026-11-24T10:01:00Z'));
    const copy = new Database(bad.path);
    copy.exec('DROP TRIGGER ledger_entries_no_update');
    copy.close();
    expect(() => stageRestore(bad.path, file)).toThrow(
      /does not have the structure this version of Roomy gives a database .*: trigger ledger_entries_no_update is missing/,
    );
    expect(existsSync(`${file}.restore`)).toBe(false);
  });

  it('a backup with a trigger or an index redefined, or an object added, is refused, naming each', async () => {
    const { file, local, keys } = database();
    const backup = await createBackup(local.sqlite, backupsFolder(file), new Date('2026-11-24T10:00:00Z'));
    const copy = new Database(backup.path);
    copy.exec(`DROP TRIGGER audit_log_no_delete;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log WHEN 0 BEGIN SELECT RAISE(ABORT, 'no'); END;
      DROP INDEX audit_device_seq_unique; CREATE INDEX audit_device_seq_unique ON audit_log (device_id, seq);
      CREATE TABLE notes (text TEXT);`);
    copy.close();
    const refusal = () => verifyBackup(backup.path, undefined, undefined, keys);
    expect(refusal).toThrow(/trigger audit_log_no_delete is defined differently/);
    expect(refusal).toThrow(/index audit_device_seq_unique is defined differently/);
    expect(refusal).toThrow(/table notes should not be there/);
  });

  it('a restore the app makes: the chain goes back with it, the restore is recorded, and work goes on', async () => {
    const core = createTestCore();
    cleanups.push(() => core.dispose());
    await setUpAdmin(core, 'w');
    const backup = await core.ok<{ name: string }>('w', 'backups/create');
    await core.ok('w', 'locations/create', {
      name: 'Porto',
      city: 'Porto',
      country: 'PT',
      timeZone: 'Europe/Lisbon',
      currency: 'EUR',
    });
    const before = core.database.sqlite.prepare('SELECT max(seq) FROM audit_log').pluck().get() as number;
    await core.ok('w', 'backups/restore', { name: backup.name });
    core.close();

    const restored = createCore({ databaseFile: join(core.dir, 'roomy.db') });
    try {
      expect(verifyAuditChain(restored.database.sqlite)).toMatchObject({ intact: true });
      const record = JSON.parse(JSON.parse(readFileSync(join(core.dir, 'keys.json'), 'utf8'))['audit-chain local']) as {
        restored: { fromSeq: number; toSeq: number };
      };
      expect(record.restored.fromSeq).toBe(before + 1);
      expect(record.restored.toSeq).toBeLessThan(before);
      const signedIn = await restored.call('w', 'auth/sign-in', {
        email: 'admin@example.com',
        password: STRONG_PASSWORD,
      });
      expect(signedIn.ok).toBe(true);
      const actions = restored.database.sqlite.prepare('SELECT action FROM audit_log ORDER BY seq').pluck().all();
      expect(actions.slice(-3)).toEqual(['backups.restored', 'auth/sign-in', 'auth.sign-in']);
      expect(verifyAuditChain(restored.database.sqlite)).toMatchObject({ intact: true });
    } finally {
      restored.close();
    }
  });

  it('a database from a newer build is refused', async () => {
    const { file, local, keys } = database();
    const backup = await createBackup(local.sqlite, backupsFolder(file), new Date('2026-11-24T10:00:00Z'));
    const newer = new Database(backup.path);
    newer.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run('f'.repeat(64), Date.now());
    newer.close();
    expect(() => verifyBackup(backup.path, undefined, undefined, keys)).toThrow(/newer version/);
  });
});
