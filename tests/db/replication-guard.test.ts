// The replication guard is the connection's own state (SQLite migration 0007), not a row: nothing
// written into the file opens it, and a connection without the app's function cannot write the
// guarded tables at all.
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setReplicating } from '../../db/local-database.js';
import { ledgerEntries, locations, properties, reservations, users } from '../../db/schema/sqlite.js';
import { Replica } from '../../main/sync/replica.js';
import { freshLocalDatabase, type TestLocalDatabase } from '../harness/databases.js';
import { ledgerRow, locationRow, propertyRow, reservationRow, userRow } from './fixtures.js';

let local: TestLocalDatabase;
let entryId: string;
let propertyId: string;
let guestId: string;

beforeEach(() => {
  local = freshLocalDatabase();
  const user = userRow();
  const location = locationRow();
  const property = propertyRow(location.id);
  const entry = ledgerRow(user.id);
  local.db
    .insert(users)
    .values(user as never)
    .run();
  local.db
    .insert(locations)
    .values(location as never)
    .run();
  local.db
    .insert(properties)
    .values(property as never)
    .run();
  local.db
    .insert(ledgerEntries)
    .values(entry as never)
    .run();
  local.db
    .insert(reservations)
    .values(reservationRow(property.id, user.id, { checkIn: '2026-12-01', checkOut: '2026-12-05' }) as never)
    .run();
  entryId = entry.id;
  propertyId = property.id;
  guestId = user.id;
});
afterEach(() => local.dispose());

const amendEntry = (sqlite: Database.Database) =>
  sqlite.prepare('UPDATE ledger_entries SET notes = ? WHERE id = ?').run('rewritten', entryId);
const overlappingStay = () =>
  reservationRow(propertyId, guestId, { checkIn: '2026-12-03', checkOut: '2026-12-07', status: 'CONFIRMED' });

describe('the replication guard', () => {
  it('does not stand aside for a replicating row in device_meta', () => {
    local.sqlite.prepare(`INSERT INTO device_meta (key, value) VALUES ('replicating', '1')`).run();
    expect(() => amendEntry(local.sqlite)).toThrow(/ledger_entries is append-only/);
    expect(() => local.sqlite.prepare('DELETE FROM ledger_entries').run()).toThrow(/append-only/);
    expect(() =>
      local.db
        .insert(reservations)
        .values(overlappingStay() as never)
        .run(),
    ).toThrow(/reservations_no_overlap/);
    expect(local.sqlite.prepare('SELECT notes FROM ledger_entries WHERE id = ?').pluck().get(entryId)).not.toBe(
      'rewritten',
    );
  });

  it('stands aside only inside Replica.apply, and closes again when it ends, even by an error', () => {
    const replica = new Replica(local.sqlite);
    replica.apply(() => replica.update('ledger_entries', entryId, { notes: 'as the server has it' }));
    expect(local.sqlite.prepare('SELECT notes FROM ledger_entries WHERE id = ?').pluck().get(entryId)).toBe(
      'as the server has it',
    );
    expect(() => amendEntry(local.sqlite)).toThrow(/append-only/);
    expect(() =>
      replica.apply(() => {
        replica.update('ledger_entries', entryId, { notes: 'rolled back' });
        throw new Error('the batch failed');
      }),
    ).toThrow(/the batch failed/);
    expect(() => amendEntry(local.sqlite)).toThrow(/append-only/);
  });

  it('belongs to its connection: opening it on one leaves another guarded', () => {
    const other = new Database(local.file);
    try {
      setReplicating(local.sqlite, true);
      expect(() => amendEntry(other)).toThrow();
    } finally {
      setReplicating(local.sqlite, false);
      other.close();
    }
  });

  it('leaves a connection without the app’s function unable to touch the guarded tables', () => {
    const tool = new Database(local.file);
    try {
      expect(() => amendEntry(tool)).toThrow(/no such function: roomy_replicating/);
      expect(() => tool.prepare('DELETE FROM ledger_entries').run()).toThrow(/no such function/);
      expect(() => tool.prepare('DELETE FROM audit_log').run()).toThrow(/no such function/);
      expect(() => tool.prepare(`UPDATE reservations SET status = 'CONFIRMED'`).run()).toThrow(/no such function/);
      tool.prepare(`INSERT INTO device_meta (key, value) VALUES ('replicating', '1')`).run();
      expect(() => amendEntry(tool)).toThrow(/no such function/);
    } finally {
      tool.close();
    }
    expect(() => amendEntry(local.sqlite)).toThrow(/append-only/);
  });
});
